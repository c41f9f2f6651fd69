import { join } from 'node:path';
import { restrict, restrictFiles, restrictTree, type Repair } from '../lib/private_files.js';
import type { Logger } from '../lib/log.js';

/**
 * secureDataDir makes what the data dir holds root-only, as k3s does, and repairs what an older
 * version, a restore or a hand edit left open: the server's state, certificates and tokens
 * (folders 0700, files 0600), the agent's credentials and configuration. `extraFiles` are state
 * kept elsewhere (a database named by --datastore-endpoint, with its -wal and -shm).
 *
 * The data dir, `agent/` and `agent/ingress/` are 0711: nginx's workers run unprivileged and must
 * reach their temp folder below; nobody else can list them, and the files in them are 0600. Pod
 * folders are closed (0700) but not walked: their volumes keep the modes their pods asked for.
 */
export function secureDataDir(dataDir: string, extraFiles: string[] = []): Repair[] {
  const out: (Repair | undefined)[] = [];
  const agent = join(dataDir, 'agent');
  const ingress = join(agent, 'ingress');
  out.push(restrict(dataDir, 0o711), ...restrictFiles(dataDir));
  out.push(...restrictTree(join(dataDir, 'server')));
  out.push(restrict(agent, 0o711), ...restrictFiles(agent));
  for (const d of ['etc', 'cni']) out.push(...restrictTree(join(agent, d)));
  for (const d of ['containerd', 'pods', 'tmp']) out.push(restrict(join(agent, d), 0o700));
  out.push(restrict(ingress, 0o711), ...restrictFiles(ingress), ...restrictTree(join(ingress, 'certs')));
  for (const f of extraFiles) for (const p of [f, `${f}-wal`, `${f}-shm`]) out.push(restrict(p, 0o600));
  return out.filter((r): r is Repair => r !== undefined);
}

/** logRepairs tells what secureDataDir changed (at start, what was found open). */
export function logRepairs(logger: Logger, repairs: Repair[], when: string): void {
  if (!repairs.length) return;
  const shown = repairs.slice(0, 5).map((r) => `${r.path} ${r.from.toString(8)}→${r.to.toString(8)}`);
  logger.info(`${when}: made ${repairs.length} files and folders under the data dir root-only`, { changed: shown.join(', ') + (repairs.length > 5 ? ', …' : '') });
}
