import { errors } from '../../api/errors.js';
import { isObject, type KubeObject } from '../../api/types.js';
import type { Scope } from '../scope.js';
import type { TokenResult } from './authenticator.js';

/** TokenReviewOptions: the token authenticators to ask, in order, and the API server's audiences. */
export interface TokenReviewOptions {
  authenticators: ((token: string, audiences: string[]) => Promise<TokenResult>)[];
  apiAudiences: string[];
}

/**
 * reviewToken is POST tokenreviews (authentication.k8s.io/v1): it authenticates spec.token for
 * spec.audiences (default: the API server's) and answers in status whether it is valid, as whom,
 * and for which audiences. Errors read as kube-apiserver's bearer-token chain words them.
 */
export async function reviewToken(o: TokenReviewOptions, scope: Scope, body: Record<string, unknown>): Promise<KubeObject> {
  if (scope.namespace) throw errors.badRequest(`namespace is not allowed on this type: ${scope.namespace}`);
  const spec = isObject(body.spec) ? body.spec : {};
  const token = typeof spec.token === 'string' ? spec.token : '';
  if (!token) throw errors.badRequest('token is required for TokenReview in authentication');
  const asked = Array.isArray(spec.audiences) ? spec.audiences.filter((a): a is string => typeof a === 'string') : [];
  const audiences = asked.length ? asked : o.apiAudiences;
  const status: Record<string, unknown> = {};
  let result: TokenResult = { status: 'unknown' };
  for (const a of o.authenticators) {
    result = await a(token, audiences);
    if (result.status !== 'unknown') break;
  }
  if (result.status === 'ok') {
    const u = result.user;
    status.authenticated = true;
    status.user = { username: u.name, ...(u.uid ? { uid: u.uid } : {}), groups: [...u.groups, 'system:authenticated'], ...(u.extra ? { extra: u.extra } : {}) };
    status.audiences = result.audiences;
  } else {
    status.error = result.status === 'refused' ? `[invalid bearer token, ${result.error}]` : 'invalid bearer token';
  }
  const meta = isObject(body.metadata) ? body.metadata : {};
  return { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', metadata: { ...(meta as KubeObject['metadata']), creationTimestamp: null } as unknown as KubeObject['metadata'], spec, status };
}
