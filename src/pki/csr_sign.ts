import type { Clock } from '../lib/clock.js';
import type { CertificateAuthority } from './ca.js';
import { x509 } from './x509.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** KEY_USAGE_BITS maps certificates.k8s.io usages to keyUsage bits (authority.keyUsageDict). */
const KEY_USAGE_BITS: Record<string, number> = {
  signing: x509.KeyUsageFlags.digitalSignature,
  'digital signature': x509.KeyUsageFlags.digitalSignature,
  'content commitment': x509.KeyUsageFlags.nonRepudiation,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment,
  'key agreement': x509.KeyUsageFlags.keyAgreement,
  'data encipherment': x509.KeyUsageFlags.dataEncipherment,
  'cert sign': x509.KeyUsageFlags.keyCertSign,
  'crl sign': x509.KeyUsageFlags.cRLSign,
  'encipher only': x509.KeyUsageFlags.encipherOnly,
  'decipher only': x509.KeyUsageFlags.decipherOnly,
};

/** EXT_KEY_USAGE_OIDS maps certificates.k8s.io usages to extKeyUsage OIDs (authority.extKeyUsageDict). */
const EXT_KEY_USAGE_OIDS: Record<string, string> = {
  any: '2.5.29.37.0',
  'server auth': '1.3.6.1.5.5.7.3.1',
  'client auth': '1.3.6.1.5.5.7.3.2',
  'code signing': '1.3.6.1.5.5.7.3.3',
  'email protection': '1.3.6.1.5.5.7.3.4',
  's/mime': '1.3.6.1.5.5.7.3.4',
  'ipsec end system': '1.3.6.1.5.5.7.3.5',
  'ipsec tunnel': '1.3.6.1.5.5.7.3.6',
  'ipsec user': '1.3.6.1.5.5.7.3.7',
  timestamping: '1.3.6.1.5.5.7.3.8',
  'ocsp signing': '1.3.6.1.5.5.7.3.9',
  'microsoft sgc': '1.3.6.1.4.1.311.10.3.3',
  'netscape sgc': '2.16.840.1.113730.4.1',
};

/** SignRequestOptions describe one certificate to issue from a PKCS#10 request. */
export interface SignRequestOptions {
  /** requestDer is the PKCS#10 CertificationRequest (its signature already checked by the caller). */
  requestDer: Uint8Array;
  /** usages are spec.usages; each becomes a keyUsage bit or an extKeyUsage. */
  usages: string[];
  /** durationMs is the certificate's lifetime from now. */
  durationMs: number;
  clock: Clock;
}

/**
 * signCertificateRequest issues a certificate for a request as kube-controller-manager's local
 * signer does (PermissiveSigningPolicy): the request's subject and subject alternative names, the
 * key usages from `usages` and no other requested extension, CA:FALSE, notBefore backdated 5
 * minutes (less for certificates shorter than 8 hours) and notAfter `durationMs` from now, never
 * past the CA's own expiry. Returns the PEM certificate; throws for an unknown usage.
 */
export async function signCertificateRequest(ca: CertificateAuthority, o: SignRequestOptions): Promise<string> {
  const csr = new x509.Pkcs10CertificateRequest(o.requestDer);
  let bits = 0;
  const ekus = new Set<string>();
  const unknown: string[] = [];
  for (const u of o.usages) {
    if (KEY_USAGE_BITS[u] !== undefined) bits |= KEY_USAGE_BITS[u]!;
    else if (EXT_KEY_USAGE_OIDS[u]) ekus.add(EXT_KEY_USAGE_OIDS[u]!);
    else unknown.push(u);
  }
  if (unknown.length) throw new Error(`unrecognized usage values: ${JSON.stringify(unknown)}`);
  const now = o.clock.now();
  const backdate = o.durationMs < 8 * HOUR_MS ? Math.floor((5 * MINUTE_MS * o.durationMs) / (8 * HOUR_MS)) : 5 * MINUTE_MS;
  const notAfter = Math.min(now + o.durationMs, ca.certificate.notAfter.getTime());
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
  if (bits) extensions.push(new x509.KeyUsagesExtension(bits, true));
  if (ekus.size) extensions.push(new x509.ExtendedKeyUsageExtension([...ekus].sort()));
  const san = csr.getExtension('2.5.29.17');
  if (san) extensions.push(new x509.Extension(san.type, san.critical, san.value));
  const caKeyId = ca.certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  if (caKeyId) extensions.push(new x509.AuthorityKeyIdentifierExtension(caKeyId));
  const cert = await x509.X509CertificateGenerator.create({
    subject: csr.subjectName,
    issuer: ca.certificate.subjectName,
    publicKey: csr.publicKey,
    signingKey: ca.signingKey.privateKey,
    signingAlgorithm: ca.signingKey.algorithm,
    notBefore: new Date(now - backdate),
    notAfter: new Date(notAfter),
    extensions,
  });
  return cert.toString('pem') + '\n';
}
