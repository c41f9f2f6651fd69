import type { IncomingMessage } from 'node:http';
import { errors, isStatusError } from '../../api/errors.js';
import type { Transport } from '../../api/transport.js';
import { realClock, type Clock } from '../../lib/clock.js';
import {
  BOOTSTRAP_TOKEN_NAMESPACE,
  bootstrapTokenFromSecret,
  bootstrapTokenSecretName,
  isBootstrapTokenExpired,
  parseBootstrapToken,
} from '../../pki/index.js';
import { checkToken, parseBasicAuth } from './credentials.js';

/** JoinTokenCheck is what checkJoinToken needs: the server token and where bootstrap token Secrets live. */
export interface JoinTokenCheck {
  tokenSecret: string;
  /** transport reads the bootstrap token Secrets in kube-system. */
  transport: Transport;
  clock?: Clock;
}

async function getTokenSecret(transport: Transport, id: string): Promise<unknown> {
  try {
    return await transport.request({ verb: 'get', group: '', version: 'v1', resource: 'secrets', namespace: BOOTSTRAP_TOKEN_NAMESPACE, name: bootstrapTokenSecretName(id) });
  } catch (e) {
    if (isStatusError(e) && e.status.code === 404) return undefined;
    throw e;
  }
}

/**
 * checkJoinToken accepts the request when its basic auth carries the server token's secret, or,
 * as k3s does, a bootstrap token `<id>.<secret>` whose Secret `kube-system/bootstrap-token-<id>`
 * exists, holds that secret, allows authentication and has not expired. Anything else is a 401;
 * an expired token's 401 says so (and how to get a new one).
 */
export async function checkJoinToken(req: IncomingMessage, o: JoinTokenCheck): Promise<void> {
  const creds = parseBasicAuth(req.headers.authorization);
  // Agents send `node:<token>`, servers `server:<token>`; any other user is checkToken's 401.
  const bootstrap = creds && (creds.username === 'node' || creds.username === 'server') ? parseBootstrapToken(creds.password) : undefined;
  if (!bootstrap) return checkToken(req, o.tokenSecret);
  const token = bootstrapTokenFromSecret(await getTokenSecret(o.transport, bootstrap.id));
  // The id is public (it names the Secret): only a matching secret says anything about the token.
  if (!token || token.secret !== bootstrap.secret || !token.usages.includes('authentication')) {
    throw errors.unauthorized(`Unauthorized: bootstrap token ${bootstrap.id} is unknown or not valid for authentication`);
  }
  if (isBootstrapTokenExpired(token, (o.clock ?? realClock).now())) {
    const at = new Date(token.expiresAt ?? 0).toISOString();
    throw errors.unauthorized(`Unauthorized: bootstrap token ${bootstrap.id} expired at ${at}; create a new one with 'skiff token create' on a server`);
  }
}
