import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, compactVerify, decodeProtectedHeader, type JWTPayload } from 'jose';

/** JsonWebKey is one public key of the JWKS document. */
export interface PublicJwk {
  use: 'sig';
  kty: 'RSA';
  kid: string;
  alg: 'RS256';
  n: string;
  e: string;
}

/** VerifiedToken is a token whose signature checked out, with its decoded payload. */
export type VerifiedToken = { ok: true; payload: Record<string, unknown> } | { ok: false; error: string };

/**
 * TokenSigner signs and verifies service-account JWTs (RS256, through jose) with the key pair of
 * the data dir. The key id is the unpadded base64url SHA-256 of the public key's DER, as
 * kube-apiserver computes it, so relying parties match tokens to the JWKS entry.
 */
export class TokenSigner {
  readonly keyId: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(privateKeyPem: string) {
    this.privateKey = createPrivateKey(privateKeyPem);
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = createHash('sha256').update(this.publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
  }

  /** sign returns the compact JWS of payload. */
  async sign(payload: object): Promise<string> {
    return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: 'RS256', kid: this.keyId }).sign(this.privateKey);
  }

  /**
   * verify checks the signature (RS256 only) and returns the payload, or the reason the token is
   * refused in kube-apiserver's words. Claims (exp, aud, …) are the caller's to check.
   */
  async verify(token: string): Promise<VerifiedToken> {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return { ok: false, error: 'go-jose/go-jose: compact JWS format must have three parts' };
    }
    if (kid !== undefined && kid !== '' && kid !== this.keyId) return { ok: false, error: 'invalid signature, no keys found' };
    try {
      const { payload } = await compactVerify(token, this.publicKey, { algorithms: ['RS256'] });
      const claims: unknown = JSON.parse(Buffer.from(payload).toString('utf8'));
      if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return { ok: false, error: 'go-jose/go-jose: error in cryptographic primitive' };
      return { ok: true, payload: claims as Record<string, unknown> };
    } catch {
      return { ok: false, error: 'go-jose/go-jose: error in cryptographic primitive' };
    }
  }

  /** jwks is the JSON Web Key Set of `/openid/v1/jwks`. */
  jwks(): { keys: PublicJwk[] } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return { keys: [{ use: 'sig', kty: 'RSA', kid: this.keyId, alg: 'RS256', n: jwk.n ?? '', e: jwk.e ?? '' }] };
  }
}
