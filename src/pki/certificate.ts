// Reading and checking certificates with node:crypto only: the agent imports this without loading
// @peculiar/x509 (~20 MB), which only issuing needs.
import { X509Certificate } from 'node:crypto';
import type { Clock } from '../lib/clock.js';
import { distinguishedNameValues } from './distinguished_name.js';
import { publicKeyDer } from './keys.js';

/** RENEW_BEFORE_DAYS: a leaf cert expiring within this many days is re-issued at start, as k3s does. */
export const RENEW_BEFORE_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * pemCertificates parses every CERTIFICATE block of a PEM bundle, in order, as node:crypto
 * X509Certificates; throws when there is none or one does not parse.
 */
export function pemCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error('no CERTIFICATE block in PEM data');
  return blocks.map((b) => new X509Certificate(b));
}

/** certificateNotAfter returns the end of the certificate's validity in ms since the epoch; throws when unreadable. */
export function certificateNotAfter(cert: X509Certificate): number {
  const t = Date.parse(cert.validTo);
  // Why: a NaN would compare as "never expires" and keep a broken certificate forever.
  if (Number.isNaN(t)) throw new Error(`unreadable certificate expiry ${JSON.stringify(cert.validTo)}`);
  return t;
}

/** subjectMatches reports whether the cert's subject has exactly this CN and this set of O values. */
export function subjectMatches(cert: X509Certificate, commonName: string, organizations: string[]): boolean {
  const cn = distinguishedNameValues(cert.subject, 'CN');
  const orgs = distinguishedNameValues(cert.subject, 'O').sort();
  const want = [...organizations].sort();
  return cn.length === 1 && cn[0] === commonName && orgs.length === want.length && orgs.every((o, i) => o === want[i]);
}

/**
 * leafStillValid reports whether cert is not within RENEW_BEFORE_DAYS of expiry at clock.now(),
 * belongs to the private key keyPem, and carries a signature caCert's key verifies (signature
 * only: names and chains are the caller's business). Anything unreadable (a key that does not
 * parse, an odd expiry) is false: the caller issues or fetches a new certificate.
 */
export function leafStillValid(cert: X509Certificate, keyPem: string, caCert: X509Certificate, clock: Clock): boolean {
  try {
    if (clock.now() >= certificateNotAfter(cert) - RENEW_BEFORE_DAYS * DAY_MS) return false;
    if (!cert.publicKey.export({ type: 'spki', format: 'der' }).equals(publicKeyDer(keyPem))) return false;
    return cert.verify(caCert.publicKey);
  } catch {
    return false;
  }
}
