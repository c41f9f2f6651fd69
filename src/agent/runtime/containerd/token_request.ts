import type { Client } from '../../../client/client.js';
import { R } from '../../../client/client.js';
import type { ServiceAccountTokenSource } from './token_manager.js';

/**
 * tokenRequestSource asks the API server for projected tokens as the kubelet does: a TokenRequest
 * on `serviceaccounts/<name>/token` bound to the pod (name and uid, so the token dies with the
 * pod), for the source's audience (none: the API server's) and lifetime.
 */
export function tokenRequestSource(client: Client): ServiceAccountTokenSource {
  const accounts = client.resource(R.serviceaccounts);
  return async (req) => {
    const body = {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: {},
      spec: {
        audiences: req.audience ? [req.audience] : [],
        expirationSeconds: req.expirationSeconds,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: req.podName, uid: req.podUID },
      },
    };
    const answer = (await accounts.createSubresource(req.namespace, req.serviceAccountName, 'token', body)) as {
      spec?: { expirationSeconds?: unknown };
      status?: { token?: unknown; expirationTimestamp?: unknown };
    };
    const token = answer.status?.token;
    const expiresAt = Date.parse(String(answer.status?.expirationTimestamp ?? ''));
    if (typeof token !== 'string' || !token || Number.isNaN(expiresAt)) throw new Error('the TokenRequest answer carries no token');
    const granted = answer.spec?.expirationSeconds;
    return { token, expiresAt, expirationSeconds: typeof granted === 'number' ? granted : req.expirationSeconds };
  };
}
