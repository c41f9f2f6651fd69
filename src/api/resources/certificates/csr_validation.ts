// CertificateSigningRequest validation as pkg/apis/certificates/validation (v1.32) does it.
import { X509Certificate } from 'node:crypto';
import { deepCopy, field, num, str } from '../../object.js';
import { fieldErr, type FieldError } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { DNS1123_SUBDOMAIN_MAX, isDNS1123Label, isDNS1123Subdomain } from '../../validation/names.js';
import { approvalState, certificateOf, conditionsOf, LEGACY_UNKNOWN_SIGNER, type CsrCondition } from './csr_conditions.js';
import { decodeRequestField, parseCertificateRequest } from './csr_request.js';

/** KEY_USAGES are the spec.usages values the API accepts (sorted, as the NotSupported message lists them). */
export const KEY_USAGES = [
  'any', 'cert sign', 'client auth', 'code signing', 'content commitment', 'crl sign', 'data encipherment', 'decipher only',
  'digital signature', 'email protection', 'encipher only', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'key agreement',
  'key encipherment', 'microsoft sgc', 'netscape sgc', 'ocsp signing', 's/mime', 'server auth', 'signing', 'timestamping',
];

/** CsrUpdateRules say which parts of status an update path may change. */
export interface CsrUpdateRules {
  /** allowSettingApprovalConditions: the approval subresource. */
  allowSettingApprovalConditions: boolean;
  /** allowSettingCertificate: the status subresource. */
  allowSettingCertificate: boolean;
}

/** validateSignerName is ValidateSignerName: `<DNS domain with a dot>/<DNS subdomain>`. */
export function validateSignerName(path: string, name: string): FieldError[] {
  if (name === '') return [fieldErr.required(path)];
  const segments = name.split('/');
  if (segments.length !== 2) return [fieldErr.invalid(path, name, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  const [domain, rest] = segments as [string, string];
  const errs: FieldError[] = [];
  if (domain.length > DNS1123_SUBDOMAIN_MAX) errs.push(fieldErr.tooLong(path, domain, DNS1123_SUBDOMAIN_MAX));
  const labels = domain.split('.');
  for (const label of labels) {
    const problems = isDNS1123Label(label);
    if (problems.length) {
      errs.push(...problems.map((p) => fieldErr.invalid(path, domain, `validating label ${JSON.stringify(label)}: ${p}`)));
      break;
    }
  }
  if (labels.length < 2) errs.push(fieldErr.invalid(path, domain, 'should be a domain with at least two segments separated by dots'));
  const maxPath = DNS1123_SUBDOMAIN_MAX - domain.length - 1;
  if (rest.length > maxPath) errs.push(fieldErr.tooLong(path, rest, maxPath));
  for (const p of isDNS1123Subdomain(rest)) errs.push(fieldErr.invalid(path, rest, `validating path ${JSON.stringify(rest)}: ${p}`));
  return errs;
}

/** certificateProblem checks status.certificate: PEM CERTIFICATE blocks only, at least one, each parsing; undefined when fine. */
export function certificateProblem(base64: string): string | undefined {
  if (base64 === '') return undefined;
  const text = Buffer.from(base64, 'base64').toString('latin1');
  const blocks = [...text.matchAll(/-----BEGIN ([^-\r\n]*)-----\r?\n([\s\S]*?)-----END \1-----/g)];
  if (blocks.length === 0) return 'must contain at least one CERTIFICATE PEM block';
  for (const b of blocks) {
    if (b[1] !== 'CERTIFICATE') return `only CERTIFICATE PEM blocks are allowed, found ${JSON.stringify(b[1])}`;
    if (/^[A-Za-z-]+:/m.test(b[2]!)) return 'no PEM block headers are permitted';
    try {
      new X509Certificate(b[0]);
    } catch (e) {
      return `x509: malformed certificate: ${(e as Error).message}`;
    }
  }
  return undefined;
}

function validateSpec(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  try {
    parseCertificateRequest(decodeRequestField(field(obj, 'spec', 'request')));
  } catch (e) {
    errs.push(fieldErr.invalid('spec.request', str(obj, 'spec', 'request') ?? '', (e as Error).message));
  }
  const usages = field(obj, 'spec', 'usages');
  const list = Array.isArray(usages) ? usages : [];
  if (list.length === 0) errs.push(fieldErr.required('spec.usages'));
  const oldUsages = old ? (field(old, 'spec', 'usages') as unknown[] | undefined) ?? [] : [];
  // Stored objects with unknown or duplicate usages stay updatable (upstream's compatibility rules).
  const tolerateUnknown = oldUsages.some((u) => !KEY_USAGES.includes(String(u)));
  const tolerateDuplicates = new Set(oldUsages).size !== oldUsages.length;
  const seen = new Set<unknown>();
  list.forEach((u, i) => {
    if (!tolerateUnknown && !KEY_USAGES.includes(String(u))) errs.push(fieldErr.notSupported(`spec.usages[${i}]`, u, KEY_USAGES));
    if (!tolerateDuplicates && seen.has(u)) errs.push(fieldErr.duplicate(`spec.usages[${i}]`, u));
    seen.add(u);
  });
  const signer = str(obj, 'spec', 'signerName') ?? '';
  const legacyStored = old !== undefined && str(old, 'spec', 'signerName') === LEGACY_UNKNOWN_SIGNER;
  if (signer === LEGACY_UNKNOWN_SIGNER && !legacyStored) errs.push(fieldErr.invalid('spec.signerName', signer, 'the legacy signerName is not allowed via this API version'));
  else if (!legacyStored) errs.push(...validateSignerName('spec.signerName', signer));
  const exp = num(obj, 'spec', 'expirationSeconds');
  if (exp !== undefined && exp < 600) errs.push(fieldErr.invalid('spec.expirationSeconds', exp, 'may not specify a duration less than 600 seconds (10 minutes)'));
  return errs;
}

const TRUE_ONLY = ['Approved', 'Denied', 'Failed'];

function validateConditions(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const before = old ? approvalState(old) : { approved: false, denied: false };
  const tolerateBoth = before.approved && before.denied;
  const oldTypes = old ? conditionsOf(old).map((c) => c.type) : [];
  const tolerateDuplicates = new Set(oldTypes).size !== oldTypes.length;
  const tolerateEmpty = oldTypes.includes('');
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  conditionsOf(obj).forEach((c, i) => {
    const p = `status.conditions[${i}]`;
    const type = typeof c.type === 'string' ? c.type : '';
    if (type === '' && !tolerateEmpty) errs.push(fieldErr.required(`${p}.type`));
    const allowed = TRUE_ONLY.includes(type) ? ['True'] : ['False', 'True', 'Unknown'];
    if (!c.status) errs.push(fieldErr.required(`${p}.status`));
    else if (!allowed.includes(c.status)) errs.push(fieldErr.notSupported(`${p}.status`, c.status, allowed));
    if (!tolerateBoth) {
      if (type === 'Approved') approved = true;
      if (type === 'Denied') denied = true;
      if ((type === 'Approved' && denied) || (type === 'Denied' && approved)) errs.push(fieldErr.invalid(`${p}.type`, type, 'Approved and Denied conditions are mutually exclusive'));
    }
    if (!tolerateDuplicates && seen.has(type)) errs.push(fieldErr.duplicate(`${p}.type`, type));
    seen.add(type);
  });
  return errs;
}

/** validateCsr is validateCertificateSigningRequest: spec, conditions and status.certificate. */
export function validateCsr(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = [...validateSpec(obj, old), ...validateConditions(obj, old)];
  const cert = certificateOf(obj);
  const unchanged = old !== undefined && certificateOf(old) === cert;
  const problem = unchanged ? undefined : certificateProblem(cert);
  if (problem) errs.push(fieldErr.invalid('status.certificate', '<certificate data>', problem));
  return errs;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** validateCsrUpdate is validateCertificateSigningRequestUpdate with the rules of one update path. */
export function validateCsrUpdate(obj: KubeObject, old: KubeObject, rules: CsrUpdateRules): FieldError[] {
  const errs = validateCsr(obj, old);
  const of = (o: KubeObject, t: string): CsrCondition[] => conditionsOf(o).filter((c) => c.type === t);
  for (const t of ['Approved', 'Denied', 'Failed']) {
    if (of(obj, t).length < of(old, t).length) errs.push(fieldErr.forbidden('status.conditions', `updates may not remove a condition of type ${JSON.stringify(t)}`));
  }
  if (!rules.allowSettingApprovalConditions) {
    for (const t of ['Approved', 'Denied']) {
      const [now, before] = [of(obj, t), of(old, t)];
      if (now.length > before.length) errs.push(fieldErr.forbidden('status.conditions', `updates may not add a condition of type ${JSON.stringify(t)}`));
      else if (now.length === before.length && !sameJson(now, before)) errs.push(fieldErr.forbidden('status.conditions', `updates may not modify a condition of type ${JSON.stringify(t)}`));
    }
  }
  if (certificateOf(obj) !== certificateOf(old)) {
    if (!rules.allowSettingCertificate) errs.push(fieldErr.forbidden('status.certificate', 'updates may not set certificate content'));
    else if (certificateOf(old) !== '') errs.push(fieldErr.forbidden('status.certificate', 'updates may not modify existing certificate content'));
  }
  return errs;
}

/** approvalUpdate is the approval strategy: everything as stored except status.conditions, taken from the request body. */
export function approvalUpdate(current: KubeObject, body: KubeObject): KubeObject {
  const next = deepCopy(current);
  next.status = { ...(next.status as object | undefined), conditions: deepCopy(conditionsOf(body)) };
  return next;
}
