import { isStatusError } from '../../api/errors.js';
import { str } from '../../api/object.js';
import type { ApiRequest, Transport } from '../../api/transport.js';
import { hashNodePassword, verifyNodePassword } from '../../pki/index.js';

/** NODE_PASSWORD_NAMESPACE holds the node-password Secrets. */
export const NODE_PASSWORD_NAMESPACE = 'kube-system';

/** nodePasswordSecretName returns `<node>.node-password.skiff` (k3s: `<node>.node-password.k3s`). */
export function nodePasswordSecretName(nodeName: string): string {
  return `${nodeName}.node-password.skiff`;
}

/** nodePasswordRejected is the message of the 403 a node gets when its password does not match the Secret's hash. */
export function nodePasswordRejected(nodeName: string): string {
  return (
    "Node password rejected, duplicate hostname or contents of '/etc/skiff/node-password' changed. " +
    'If this is a new node, set --node-name to a unique value; if this is an existing node, ' +
    `delete the Secret ${NODE_PASSWORD_NAMESPACE}/${nodePasswordSecretName(nodeName)}`
  );
}

/** NodePasswordCheck is the outcome of checkNodePassword. */
export type NodePasswordCheck = 'created' | 'matched' | 'rejected';

const MAX_ATTEMPTS = 3;

const SECRETS: Pick<ApiRequest, 'group' | 'version' | 'resource' | 'namespace'> = { group: '', version: 'v1', resource: 'secrets', namespace: NODE_PASSWORD_NAMESPACE };

async function getSecret(transport: Transport, nodeName: string): Promise<unknown> {
  try {
    return await transport.request({ verb: 'get', ...SECRETS, name: nodePasswordSecretName(nodeName) });
  } catch (e) {
    if (isStatusError(e) && e.status.code === 404) return undefined;
    throw e;
  }
}

/**
 * checkNodePassword compares password with the hash in the node's Secret: it creates the Secret
 * (a salted hash, never the password) when there is none, answers 'matched' when the hash fits and
 * 'rejected' otherwise (also for a Secret without a usable hash). Two first joins racing for one
 * name are settled by the create: the loser re-reads and is checked against the winner's hash.
 */
export async function checkNodePassword(transport: Transport, nodeName: string, password: string): Promise<NodePasswordCheck> {
  for (let attempt = 1; ; attempt++) {
    const secret = await getSecret(transport, nodeName);
    if (secret !== undefined) {
      const b64 = str(secret, 'data', 'hash');
      if (b64 === undefined) return 'rejected';
      return (await verifyNodePassword(password, Buffer.from(b64, 'base64').toString('utf8'))) ? 'matched' : 'rejected';
    }
    const hash = await hashNodePassword(password);
    const body = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: nodePasswordSecretName(nodeName), namespace: NODE_PASSWORD_NAMESPACE },
      type: 'skiff.io/node-password',
      data: { hash: Buffer.from(hash, 'utf8').toString('base64') },
    };
    try {
      await transport.request({ verb: 'create', ...SECRETS, body });
      return 'created';
    } catch (e) {
      if (!(isStatusError(e) && e.status.code === 409) || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
}
