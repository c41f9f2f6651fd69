import type { IncomingMessage } from 'node:http';
import { spliceSockets, upgradeRequestHead } from '../../lib/upgrade.js';

export { spliceSockets, upgradeRequestHead };

/** isUpgraded tells whether Node handed this request's socket over ('upgrade' event): only then may a handler take the socket. */
export function isUpgraded(req: IncomingMessage): boolean {
  // Node sets `upgrade` on requests it dispatched as 'upgrade' (not in @types/node 20).
  return (req as IncomingMessage & { upgrade?: boolean }).upgrade === true && /upgrade/i.test(req.headers.connection ?? '');
}

