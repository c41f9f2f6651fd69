import { fieldErr, type FieldError } from '../../field_errors.js';
import { isDNS1123Subdomain } from '../../validation/names.js';

const CSI_DRIVER_NAME_MAX = 63;

/** validateCSIDriverName is upstream's validateCSIDriverName: required, at most 63 characters, a DNS-1123 subdomain in lower case. */
export function validateCSIDriverName(name: string, path: string): FieldError[] {
  if (name === '') return [fieldErr.required(path, name)];
  if (name.length > CSI_DRIVER_NAME_MAX) return [fieldErr.tooLong(path, name, CSI_DRIVER_NAME_MAX)];
  return isDNS1123Subdomain(name.toLowerCase()).map((m) => fieldErr.invalid(path, name, m));
}
