import { join } from 'node:path';
import type { Clock } from '../lib/clock.js';
import { readFileIfExists, writeFileAtomic } from './files.js';
import { generateKeyPem, importSigningKey, publicKeyDer, type SigningKey } from './keys.js';
import { x509 } from './x509.js';

/** CA_VALIDITY_DAYS is how long a generated CA is valid: 10 years, as k3s (client-go) does. */
export const CA_VALIDITY_DAYS = 3650;

const DAY_MS = 24 * 60 * 60 * 1000;

/** CertificateAuthority is a loaded CA: the exact PEM bytes on disk plus parsed forms for signing. */
export interface CertificateAuthority {
  /** name is the CA's role ("server", "client"); files are `<name>-ca.crt` and `<name>-ca.key`. */
  name: string;
  /** certPem is the CA bundle exactly as stored; the node token hashes these bytes. */
  certPem: string;
  keyPem: string;
  /** certificate is the first certificate of the bundle, the one whose key signs. */
  certificate: x509.X509Certificate;
  signingKey: SigningKey;
}

/** parseCertificates decodes every CERTIFICATE block of a PEM bundle, in order; throws when there is none. */
export function parseCertificates(pem: string): x509.X509Certificate[] {
  const blocks = x509.PemConverter.decodeWithHeaders(pem).filter((b) => b.type === 'CERTIFICATE');
  if (blocks.length === 0) throw new Error('no CERTIFICATE block in PEM data');
  return blocks.map((b) => new x509.X509Certificate(b.rawData));
}

/**
 * loadCA parses a CA from its PEM certificate bundle and private key; it throws when the key does
 * not belong to the first certificate or the certificate is not a CA.
 */
export async function loadCA(name: string, certPem: string, keyPem: string): Promise<CertificateAuthority> {
  const certificate = parseCertificates(certPem)[0]!;
  const bc = certificate.getExtension(x509.BasicConstraintsExtension);
  if (!bc?.ca) throw new Error(`${name} CA certificate ${certificate.subject} is not a CA (basicConstraints CA:FALSE)`);
  const certSpki = Buffer.from(certificate.publicKey.rawData);
  if (!certSpki.equals(publicKeyDer(keyPem))) throw new Error(`${name} CA key does not match its certificate`);
  return { name, certPem, keyPem, certificate, signingKey: await importSigningKey(keyPem) };
}

/**
 * createCA makes a self-signed CA with a new P-256 key: CN `skiff-<name>-ca@<unix seconds>`, valid
 * for CA_VALIDITY_DAYS from clock.now(), basicConstraints CA (critical), keyUsage
 * digitalSignature/keyCertSign/cRLSign (critical), and a subject key identifier.
 */
export async function createCA(name: string, clock: Clock): Promise<CertificateAuthority> {
  const keyPem = generateKeyPem();
  const signingKey = await importSigningKey(keyPem);
  const now = clock.now();
  const keys = { privateKey: signingKey.privateKey, publicKey: signingKey.publicKey };
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: [{ CN: [`skiff-${name}-ca@${Math.floor(now / 1000)}`] }],
    keys,
    notBefore: new Date(now),
    notAfter: new Date(now + CA_VALIDITY_DAYS * DAY_MS),
    signingAlgorithm: signingKey.algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(signingKey.publicKey),
    ],
  });
  return { name, certPem: certificate.toString('pem') + '\n', keyPem, certificate, signingKey };
}

/**
 * ensureCA loads the CA `<dir>/<name>-ca.crt` + `<dir>/<name>-ca.key`, or creates and writes one
 * (cert 0644, key 0600) when neither exists. A half-present or unreadable pair throws instead of
 * being replaced: a new CA would silently invalidate every issued certificate and node token.
 */
export async function ensureCA(dir: string, name: string, clock: Clock): Promise<CertificateAuthority> {
  const certPath = join(dir, `${name}-ca.crt`);
  const keyPath = join(dir, `${name}-ca.key`);
  const [certPem, keyPem] = await Promise.all([readFileIfExists(certPath), readFileIfExists(keyPath)]);
  if (certPem !== undefined && keyPem !== undefined) {
    try {
      return await loadCA(name, certPem, keyPem);
    } catch (err) {
      throw new Error(`loading ${certPath}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  if (certPem !== undefined || keyPem !== undefined) {
    throw new Error(`${name} CA is incomplete: need both ${certPath} and ${keyPath}`);
  }
  const ca = await createCA(name, clock);
  // Key first: a crash in between leaves "key without cert", which the check above reports.
  await writeFileAtomic(keyPath, ca.keyPem, 0o600);
  await writeFileAtomic(certPath, ca.certPem, 0o644);
  return ca;
}
