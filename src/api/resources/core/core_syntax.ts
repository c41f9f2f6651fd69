import { fieldErr, type FieldError } from '../../field_errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../../validation/names.js';

/** Syntax checks used by core/v1 validation (pkg/apis/core/validation), each returning field errors at a path. */

/** validateDNS1123Label reports value at path when it is not a DNS-1123 label (port names, hostnames). */
export function validateDNS1123Label(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((m) => fieldErr.invalid(path, value, m));
}

/** validateDNS1123Subdomain reports value at path when it is not a DNS-1123 subdomain. */
export function validateDNS1123Subdomain(value: string, path: string): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => fieldErr.invalid(path, value, m));
}

/** validateQualifiedName reports value at path when it is not a `[prefix/]name` qualified name. */
export function validateQualifiedName(value: string, path: string): FieldError[] {
  return isQualifiedName(value).map((m) => fieldErr.invalid(path, value, m));
}

/** dns1035LabelProblems: DNS-1035 label (Service names): like DNS-1123 but must start with a letter. */
export function dns1035LabelProblems(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(v)) {
    errs.push(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return errs;
}

/** PORT_RANGE_MSG is upstream's IsValidPortNum message. */
export const PORT_RANGE_MSG = 'must be between 1 and 65535, inclusive';

/** isValidPortNum tells whether n is an integer TCP/UDP port 1–65535. */
export function isValidPortNum(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** portNameProblems checks an IANA_SVC_NAME (named container ports, string targetPorts). */
export function portNameProblems(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  else if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** validatePortNumOrName checks an IntOrString port: a number 1–65535 or an IANA service name. */
export function validatePortNumOrName(v: unknown, path: string): FieldError[] {
  if (typeof v === 'number') return isValidPortNum(v) ? [] : [fieldErr.invalid(path, v, PORT_RANGE_MSG)];
  if (typeof v === 'string') return portNameProblems(v).map((m) => fieldErr.invalid(path, v, m));
  return [fieldErr.typeInvalid(path, v, 'must be an integer or a string')];
}

/** SUPPORTED_PROTOCOLS are the port protocols core/v1 accepts, sorted as upstream lists them. */
export const SUPPORTED_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** configMapKeyProblems checks a ConfigMap/Secret data key (upstream IsConfigMapKey). */
export function configMapKeyProblems(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
    errs.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** FIELD_IMMUTABLE is apimachinery's FieldImmutableErrorMsg. */
export const FIELD_IMMUTABLE = 'field is immutable';

/** validateImmutable reports path as immutable when the new value differs (deep JSON equality) from the old. */
export function validateImmutable(value: unknown, old: unknown, path: string): FieldError[] {
  return sameJSON(value, old) ? [] : [fieldErr.invalid(path, value, FIELD_IMMUTABLE)];
}

/** canonicalJSON serializes a JSON value with object keys sorted and undefined members dropped. */
function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJSON(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** sameJSON compares two JSON values deeply, ignoring object key order (Go's reflect.DeepEqual on decoded objects). */
export function sameJSON(a: unknown, b: unknown): boolean {
  return canonicalJSON(a) === canonicalJSON(b);
}
