import { realClock, type Clock } from '../lib/clock.js';
import type { CertificateAuthority } from './ca.js';
import { generateKeyPem, importSigningKey } from './keys.js';
import { normalizeDNSName, normalizeIP } from './san.js';
import { x509 } from './x509.js';

/** LEAF_VALIDITY_DAYS is the default lifetime of issued serving and client certs: 1 year, as k3s's. */
export const LEAF_VALIDITY_DAYS = 365;

const DAY_MS = 24 * 60 * 60 * 1000;

/** IssuedCert is a leaf certificate and its private key, both PEM. */
export interface IssuedCert {
  certPem: string;
  keyPem: string;
}

/** IssueOptions are shared by issueServingCert and issueClientCert. */
export interface IssueOptions {
  commonName: string;
  /** days of validity from now; default LEAF_VALIDITY_DAYS. */
  days?: number;
  /** keyPem reuses an existing private key instead of generating a new P-256 one. */
  keyPem?: string;
  clock?: Clock;
}

/** ServingCertOptions describe a TLS server certificate. */
export interface ServingCertOptions extends IssueOptions {
  dnsNames?: string[];
  ips?: string[];
}

/** ClientCertOptions describe a TLS client certificate; Kubernetes reads CN as the user and O as the groups. */
export interface ClientCertOptions extends IssueOptions {
  organizations?: string[];
}

/** issueLeaf signs a certificate for subject with the CA; notBefore is the CA's (tolerates clock skew, as client-go does). */
async function issueLeaf(
  ca: CertificateAuthority,
  opts: IssueOptions,
  subject: x509.JsonName,
  extra: x509.Extension[],
): Promise<IssuedCert> {
  const days = opts.days ?? LEAF_VALIDITY_DAYS;
  if (!(days > 0)) throw new Error(`certificate validity must be positive, got ${days} days`);
  const keyPem = opts.keyPem ?? generateKeyPem();
  const leafKey = await importSigningKey(keyPem);
  const now = (opts.clock ?? realClock).now();
  const caKeyId = ca.certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  const cert = await x509.X509CertificateGenerator.create({
    subject,
    issuer: ca.certificate.subjectName,
    publicKey: leafKey.publicKey,
    signingKey: ca.signingKey.privateKey,
    signingAlgorithm: ca.signingKey.algorithm,
    notBefore: ca.certificate.notBefore,
    notAfter: new Date(now + days * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      ...(caKeyId ? [new x509.AuthorityKeyIdentifierExtension(caKeyId)] : []),
      ...extra,
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem };
}

/**
 * issueServingCert signs a server certificate (extKeyUsage serverAuth) with the CA, carrying the
 * given DNS names and IPs as subject alternative names. Throws for an invalid IP or empty name.
 */
export async function issueServingCert(ca: CertificateAuthority, opts: ServingCertOptions): Promise<IssuedCert> {
  const names: x509.JsonGeneralName[] = [
    ...(opts.dnsNames ?? []).map((d) => ({ type: 'dns' as const, value: normalizeDNSName(d) })),
    ...(opts.ips ?? []).map((ip) => ({ type: 'ip' as const, value: normalizeIP(ip) })),
  ];
  const extra: x509.Extension[] = [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth])];
  if (names.length > 0) extra.push(new x509.SubjectAlternativeNameExtension(names));
  return issueLeaf(ca, opts, [{ CN: [opts.commonName] }], extra);
}

/**
 * issueClientCert signs a client certificate (extKeyUsage clientAuth) with the CA: subject
 * O=<each organization>, CN=<commonName>, the order Go writes them.
 */
export async function issueClientCert(ca: CertificateAuthority, opts: ClientCertOptions): Promise<IssuedCert> {
  const orgs = opts.organizations ?? [];
  const subject: x509.JsonName = [...(orgs.length > 0 ? [{ O: orgs }] : []), { CN: [opts.commonName] }];
  const extra = [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])];
  return issueLeaf(ca, opts, subject, extra);
}
