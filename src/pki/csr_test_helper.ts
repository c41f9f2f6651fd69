// Certificate requests for tests: what `openssl req -new` would make, without a subprocess.
import { generateKeyPem, importSigningKey } from './keys.js';
import { x509 } from './x509.js';

/** TestCsrOptions describe the subject and names of a request; keyPem reuses a key. */
export interface TestCsrOptions {
  commonName?: string;
  organizations?: string[];
  dnsNames?: string[];
  ips?: string[];
  emails?: string[];
  keyPem?: string;
}

/** testCsr returns a PEM "CERTIFICATE REQUEST" signed by its (new or given) P-256 key, and that key. */
export async function testCsr(o: TestCsrOptions = {}): Promise<{ csrPem: string; keyPem: string }> {
  const keyPem = o.keyPem ?? generateKeyPem();
  const key = await importSigningKey(keyPem);
  const name: x509.JsonName = [];
  if (o.organizations?.length) name.push({ O: o.organizations });
  if (o.commonName !== undefined) name.push({ CN: [o.commonName] });
  const sans: x509.JsonGeneralName[] = [
    ...(o.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(o.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(o.emails ?? []).map((value) => ({ type: 'email' as const, value })),
  ];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys: { privateKey: key.privateKey, publicKey: key.publicKey },
    signingAlgorithm: key.algorithm,
    extensions: sans.length ? [new x509.SubjectAlternativeNameExtension(sans)] : [],
  });
  return { csrPem: csr.toString('pem') + '\n', keyPem };
}

/** b64 is base64 of a text (how spec.request and status.certificate travel in JSON). */
export function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}
