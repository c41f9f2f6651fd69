import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/types.js';
import type { Clock } from '../../lib/clock.js';
import type { TokenAuthenticator } from '../auth.js';
import type { ApiCore } from '../core.js';
import { ServiceAccountAuthenticator } from './authenticator.js';
import { TokenIssuer, type LegacyTokenSpec } from './issuer.js';
import { coreLookups } from './lookups.js';
import { oidcDiscovery } from './oidc.js';
import { TokenSigner } from './signer.js';
import { createToken } from './token_request.js';
import { reviewToken } from './token_review.js';

export { ensureSigningKey, serviceAccountKeyPath } from './signing_key.js';
export { ServiceAccountAuthenticator, type TokenResult } from './authenticator.js';
export { TokenIssuer } from './issuer.js';
export { TokenSigner } from './signer.js';

/** ServiceAccountTokensOptions configure service-account tokens for one API server. */
export interface ServiceAccountTokensOptions {
  core: ApiCore;
  /** privateKeyPem is the RSA signing key (ensureSigningKey). */
  privateKeyPem: string;
  /** issuer is the `iss` of bound tokens (k3s: https://kubernetes.default.svc.<cluster domain>). */
  issuer: string;
  /** apiAudiences are the audiences the API server accepts (default [issuer], as --api-audiences). */
  apiAudiences?: string[];
  /** jwksUri is what the OIDC configuration names as key set (asked at the first request). */
  jwksUri: () => string;
  clock: Clock;
  maxExpirationSeconds?: number;
  extendExpiration?: boolean;
}

/** ServiceAccountTokens is what the composition root wires into the API server and the controllers. */
export interface ServiceAccountTokens {
  issuer: TokenIssuer;
  authenticator: ServiceAccountAuthenticator;
  /** tokenAuthenticator goes into the API server's bearer-token chain. */
  tokenAuthenticator: TokenAuthenticator;
  /** oidcRoutes serves `/.well-known/openid-configuration` and `/openid/v1/jwks` (false for other paths). */
  oidcRoutes: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
  /** legacyToken signs the token of a `kubernetes.io/service-account-token` Secret. */
  legacyToken: (spec: LegacyTokenSpec) => Promise<string>;
}

/**
 * serviceAccountTokens sets up bound and legacy service-account tokens on core: the TokenRequest
 * subresource (`serviceaccounts/token`), TokenReview, the authenticator and OIDC discovery.
 */
export function serviceAccountTokens(o: ServiceAccountTokensOptions): ServiceAccountTokens {
  const { core, clock } = o;
  const apiAudiences = o.apiAudiences?.length ? o.apiAudiences : [o.issuer];
  const signer = new TokenSigner(o.privateKeyPem);
  const issuer = new TokenIssuer(signer, o.issuer, clock);
  const authenticator = new ServiceAccountAuthenticator({ signer, issuer: o.issuer, apiAudiences, lookups: coreLookups(() => core, false), clock });
  const requestOpts = {
    issuer,
    apiAudiences,
    lookups: coreLookups(() => core, true),
    clock,
    admission: () => core.opts.admission ?? [],
    ...(o.maxExpirationSeconds ? { maxExpirationSeconds: o.maxExpirationSeconds } : {}),
    ...(o.extendExpiration === false ? { extendExpiration: false } : {}),
  };
  core.subresourceCreators.set('serviceaccounts/token', (scope, name, body) => createToken(requestOpts, scope, name, body as Record<string, unknown>));
  const reviews = core.registry.lookup('authentication.k8s.io', 'v1', 'tokenreviews')?.type;
  if (reviews) {
    const reviewOpts = { authenticators: [(token: string, auds: string[]) => authenticator.authenticate(token, auds)], apiAudiences };
    core.creators.set(reviews, (scope, body: KubeObject) => reviewToken(reviewOpts, scope, body));
  }
  return {
    issuer,
    authenticator,
    tokenAuthenticator: authenticator.tokenAuthenticator(),
    oidcRoutes: oidcDiscovery({ issuer: o.issuer, jwksUri: o.jwksUri, signer }),
    legacyToken: (spec) => issuer.legacy(spec),
  };
}
