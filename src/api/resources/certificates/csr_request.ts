// Reading the PKCS#10 request of a CertificateSigningRequest (spec.request) as Go's x509 does.
// reflect-metadata must be evaluated before @peculiar/x509 (tsyringe needs it); ESM evaluates imports in order.
import 'reflect-metadata';
import { Pkcs10CertificateRequest, SubjectAlternativeNameExtension } from '@peculiar/x509';
import { verify as verifySignature } from 'node:crypto';

/** CertificateRequestInfo is what a signer or approver reads from a certificate request. */
export interface CertificateRequestInfo {
  /** commonName is the subject's CN (the last one, as Go reads it); "" when absent. */
  commonName: string;
  /** organizations are the subject's O values, in order. */
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  /** der is the whole PKCS#10 CertificationRequest. */
  der: Uint8Array;
}

interface Tlv {
  tag: number;
  /** start and end bound the value; headerStart is where the tag byte sits. */
  headerStart: number;
  start: number;
  end: number;
}

const MALFORMED = 'x509: malformed certificate request';

/** readTlv reads one DER tag-length-value at off; throws on truncation or an indefinite length. */
function readTlv(buf: Uint8Array, off: number, limit: number): Tlv {
  if (off + 2 > limit) throw new Error(MALFORMED);
  const tag = buf[off]!;
  let len = buf[off + 1]!;
  let start = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) throw new Error(MALFORMED);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  if (start + len > limit) throw new Error(MALFORMED);
  return { tag, headerStart: off, start, end: start + len };
}

/** HASH_BY_SIGNATURE_OID maps the DER of a signature algorithm OID to the hash node:crypto verifies with (null: Ed25519). */
const HASH_BY_SIGNATURE_OID: Record<string, string | null> = {
  '2a864886f70d010105': 'sha1', // sha1WithRSAEncryption
  '2a864886f70d01010b': 'sha256',
  '2a864886f70d01010c': 'sha384',
  '2a864886f70d01010d': 'sha512',
  '2a8648ce3d0401': 'sha1', // ecdsa-with-SHA1
  '2a8648ce3d040302': 'sha256',
  '2a8648ce3d040303': 'sha384',
  '2a8648ce3d040304': 'sha512',
  '2b6570': null, // Ed25519
};

/** checkSignature verifies the request's self-signature as Go's CertificateRequest.CheckSignature does. */
function checkSignature(der: Uint8Array, spki: ArrayBuffer): void {
  const outer = readTlv(der, 0, der.length);
  const tbs = readTlv(der, outer.start, outer.end);
  const alg = readTlv(der, tbs.end, outer.end);
  const sig = readTlv(der, alg.end, outer.end);
  const oid = readTlv(der, alg.start, alg.end);
  if (outer.tag !== 0x30 || tbs.tag !== 0x30 || alg.tag !== 0x30 || oid.tag !== 0x06 || sig.tag !== 0x03) throw new Error(MALFORMED);
  const oidHex = Buffer.from(der.subarray(oid.start, oid.end)).toString('hex');
  const hash = HASH_BY_SIGNATURE_OID[oidHex];
  if (hash === undefined) throw new Error('x509: cannot verify signature: algorithm unimplemented');
  const key = { key: Buffer.from(spki), format: 'der' as const, type: 'spki' as const };
  // The BIT STRING's first byte counts unused bits (always 0 for signatures).
  const signature = der.subarray(sig.start + 1, sig.end);
  if (!verifySignature(hash, der.subarray(tbs.headerStart, tbs.end), key, signature)) {
    const kind = oidHex.startsWith('2a8648ce3d') ? 'x509: ECDSA verification failure' : hash === null ? 'x509: Ed25519 verification failure' : 'crypto/rsa: verification error';
    throw new Error(kind);
  }
}

/** firstPemBlock returns the type and DER of the first PEM block in text (Go's pem.Decode), or undefined. */
function firstPemBlock(text: string): { type: string; der: Buffer } | undefined {
  const m = /-----BEGIN ([^-\r\n]*)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) return undefined;
  const body = m[2]!.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) return undefined;
  return { type: m[1]!, der: Buffer.from(body, 'base64') };
}

/**
 * parseCertificateRequest reads a PEM "CERTIFICATE REQUEST" (the bytes spec.request holds, after
 * base64) and checks its signature. It throws with Go's messages: "PEM block type must be
 * CERTIFICATE REQUEST", "x509: ECDSA verification failure", …
 */
export function parseCertificateRequest(pem: Uint8Array | string): CertificateRequestInfo {
  const block = firstPemBlock(typeof pem === 'string' ? pem : Buffer.from(pem).toString('latin1'));
  if (!block || block.type !== 'CERTIFICATE REQUEST') throw new Error('PEM block type must be CERTIFICATE REQUEST');
  let csr: Pkcs10CertificateRequest;
  try {
    csr = new Pkcs10CertificateRequest(block.der);
  } catch {
    throw new Error(MALFORMED);
  }
  checkSignature(block.der, csr.publicKey.rawData);
  const sanExt = csr.getExtension('2.5.29.17');
  const names = sanExt ? new SubjectAlternativeNameExtension(sanExt.rawData).names.items : [];
  const of = (type: string): string[] => names.filter((n) => n.type === type).map((n) => n.value);
  const cns = csr.subjectName.getField('CN');
  return {
    commonName: cns[cns.length - 1] ?? '',
    organizations: csr.subjectName.getField('O'),
    dnsNames: of('dns'),
    ipAddresses: of('ip'),
    emailAddresses: of('email'),
    uris: of('url'),
    der: new Uint8Array(block.der),
  };
}

/** decodeRequestField turns spec.request (base64 of the PEM, as JSON carries []byte) into bytes; throws Go's decode message. */
export function decodeRequestField(value: unknown): Buffer {
  if (typeof value !== 'string') return Buffer.alloc(0);
  const bad = /[^A-Za-z0-9+/=\s]/.exec(value);
  if (bad) throw new Error(`illegal base64 data at input byte ${bad.index}`);
  return Buffer.from(value, 'base64');
}
