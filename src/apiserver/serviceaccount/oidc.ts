import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenSigner } from './signer.js';

/** OPENID_CONFIG_PATH and JWKS_PATH are kube-apiserver's service-account issuer discovery paths. */
export const OPENID_CONFIG_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';

/** OidcDiscoveryOptions: the issuer, where relying parties fetch the keys, and the signer holding them. */
export interface OidcDiscoveryOptions {
  issuer: string;
  /** jwksUri is published in the configuration (--service-account-jwks-uri; default https://<advertise address>:<port>/openid/v1/jwks), asked at the first request (the port may be chosen at listen). */
  jwksUri: () => string;
  signer: TokenSigner;
}

/**
 * oidcDiscovery returns the handler of the two discovery documents (with or without a trailing
 * slash), or false for other paths. Both are public JSON relying parties cache for an hour; who
 * may read them is the authorizer's decision (system:service-account-issuer-discovery).
 */
export function oidcDiscovery(o: OidcDiscoveryOptions): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  let config: Buffer | undefined;
  const configDoc = (): Buffer =>
    (config ??= Buffer.from(
      JSON.stringify({
        issuer: o.issuer,
        jwks_uri: o.jwksUri(),
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      }),
    ));
  const jwks = Buffer.from(JSON.stringify(o.signer.jwks()));
  return (req, res, path) => {
    const p = path.endsWith('/') ? path.slice(0, -1) : path;
    if (p !== OPENID_CONFIG_PATH && p !== JWKS_PATH) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const body = p === JWKS_PATH ? jwks : configDoc();
    res.writeHead(200, { 'Content-Type': p === JWKS_PATH ? 'application/jwk-set+json' : 'application/json', 'Cache-Control': 'public, max-age=3600', 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
