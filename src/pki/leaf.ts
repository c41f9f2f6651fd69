import type { Clock } from '../lib/clock.js';
import type { CertificateAuthority } from './ca.js';
import { parseCertificates } from './ca.js';
import { readFileIfExists, writeFileAtomic } from './files.js';
import type { IssuedCert } from './issue.js';
import { publicKeyDer } from './keys.js';
import { x509 } from './x509.js';

/** RENEW_BEFORE_DAYS: a leaf cert expiring within this many days is re-issued at start, as k3s does. */
export const RENEW_BEFORE_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

/** LeafSpec tells ensureLeaf where a cert lives, which CA must sign it, what it must contain, and how to issue it. */
export interface LeafSpec {
  ca: CertificateAuthority;
  certPath: string;
  keyPath: string;
  clock: Clock;
  /** fits reports whether an existing, CA-signed, unexpired cert still has the wanted contents. */
  fits: (cert: x509.X509Certificate) => boolean;
  /** issue signs a new cert, reusing keyPem when given. */
  issue: (keyPem: string | undefined) => Promise<IssuedCert>;
}

/** subjectMatches reports whether the cert's subject has exactly this CN and this set of O values. */
export function subjectMatches(cert: x509.X509Certificate, commonName: string, organizations: string[]): boolean {
  const cn = cert.subjectName.getField('CN');
  const orgs = [...cert.subjectName.getField('O')].sort();
  const want = [...organizations].sort();
  return cn.length === 1 && cn[0] === commonName && orgs.length === want.length && orgs.every((o, i) => o === want[i]);
}

/** stillValid reports whether cert is signed by the CA's key, matches key, and is not within RENEW_BEFORE_DAYS of expiry. */
async function stillValid(spec: LeafSpec, cert: x509.X509Certificate, keyPem: string): Promise<boolean> {
  const renewAt = cert.notAfter.getTime() - RENEW_BEFORE_DAYS * DAY_MS;
  if (spec.clock.now() >= renewAt) return false;
  if (!Buffer.from(cert.publicKey.rawData).equals(publicKeyDer(keyPem))) return false;
  return cert.verify({ publicKey: spec.ca.certificate.publicKey, signatureOnly: true });
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
    const cert = tryParse(certPem);
    if (cert && spec.fits(cert) && (await stillValid(spec, cert, key))) return { certPem, keyPem: key };
  }
  const issued = await spec.issue(key);
  if (issued.keyPem !== keyPem) await writeFileAtomic(spec.keyPath, issued.keyPem, 0o600);
  await writeFileAtomic(spec.certPath, issued.certPem, 0o644);
  return issued;
}

/** tryParse returns the first certificate of a PEM bundle, or undefined when it does not parse. */
function tryParse(pem: string): x509.X509Certificate | undefined {
  try {
    return parseCertificates(pem)[0];
  } catch {
    return undefined;
  }
}
