import type { X509Certificate } from 'node:crypto';
import type { Clock } from '../lib/clock.js';
import type { CertificateAuthority } from './ca.js';
import { leafStillValid, pemCertificates } from './certificate.js';
import { readFileIfExists, writeFileAtomic } from './files.js';
import type { IssuedCert } from './issue.js';
import { publicKeyDer } from './keys.js';

/** LeafSpec tells ensureLeaf where a cert lives, which CA must sign it, what it must contain, and how to issue it. */
export interface LeafSpec {
  ca: CertificateAuthority;
  certPath: string;
  keyPath: string;
  clock: Clock;
  /** fits reports whether an existing, CA-signed, unexpired cert still has the wanted contents. */
  fits: (cert: X509Certificate) => boolean;
  /** issue signs a new cert, reusing keyPem when given. */
  issue: (keyPem: string | undefined) => Promise<IssuedCert>;
}

/** keyIfUsable returns keyPem when it parses as a private key, else undefined (a broken key is replaced). */
function keyIfUsable(keyPem: string | undefined): string | undefined {
  if (keyPem === undefined) return undefined;
  try {
    publicKeyDer(keyPem);
    return keyPem;
  } catch {
    return undefined;
  }
}

/**
 * ensureLeaf returns the cert/key pair at spec's paths when both exist, the key matches, the CA
 * signed it, it is not near expiry and spec.fits accepts it. Otherwise it issues a new one (keeping
 * the existing key when it is usable, so pinned keys survive SAN changes) and writes it atomically:
 * key 0600 first, then cert 0644.
 */
export async function ensureLeaf(spec: LeafSpec): Promise<IssuedCert> {
  const [certPem, keyPem] = await Promise.all([readFileIfExists(spec.certPath), readFileIfExists(spec.keyPath)]);
  const key = keyIfUsable(keyPem);
  if (certPem !== undefined && key !== undefined) {
    const [cert, caCert] = [tryParse(certPem), tryParse(spec.ca.certPem)];
    if (cert && caCert && spec.fits(cert) && leafStillValid(cert, key, caCert, spec.clock)) return { certPem, keyPem: key };
  }
  const issued = await spec.issue(key);
  if (issued.keyPem !== keyPem) await writeFileAtomic(spec.keyPath, issued.keyPem, 0o600);
  await writeFileAtomic(spec.certPath, issued.certPem, 0o644);
  return issued;
}

/** tryParse returns the first certificate of a PEM bundle, or undefined when it does not parse. */
function tryParse(pem: string): X509Certificate | undefined {
  try {
    return pemCertificates(pem)[0];
  } catch {
    return undefined;
  }
}
