/**
 * Field errors as kube-apiserver reports them (k8s.io/apimachinery/pkg/util/validation/field):
 * a type (which becomes the cause's `reason`), a dotted path, the bad value and a detail.
 */

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

/** FieldError is one validation failure at one field path. */
export interface FieldError {
  type: FieldErrorType;
  /** field is the path, e.g. `spec.template.spec.containers[0].name`. */
  field: string;
  badValue?: unknown;
  detail?: string;
}

/** goValue renders a bad value roughly as Go's %#v / %v does in kube-apiserver messages. */
export function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goValue).join(', ')}}`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.every(([, x]) => typeof x === 'string')) {
      return `map[string]string{${entries.map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`).join(', ')}}`;
    }
    return `map[string]interface {}{${entries.map(([k, x]) => `${JSON.stringify(k)}:${goValue(x)}`).join(', ')}}`;
  }
  return String(v);
}

/** fieldErrorMessage renders one error as kube-apiserver does: `path: Invalid value: "x": detail`. */
export function fieldErrorMessage(e: FieldError, withField = true): string {
  const prefix = withField ? `${e.field}: ` : '';
  switch (e.type) {
    case 'FieldValueRequired':
      return `${prefix}Required value${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueForbidden':
      return `${prefix}Forbidden${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueTooLong':
      return `${prefix}Too long: ${e.detail ?? ''}`;
    case 'FieldValueTooMany':
      return `${prefix}Too many: ${e.detail ?? ''}`;
    case 'FieldValueNotFound':
      return `${prefix}Not found: ${goValue(e.badValue)}`;
    case 'FieldValueDuplicate':
      return `${prefix}Duplicate value: ${goValue(e.badValue)}`;
    case 'FieldValueNotSupported':
      return `${prefix}Unsupported value: ${goValue(e.badValue)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'InternalError':
      return `${prefix}Internal error: ${e.detail ?? ''}`;
    default:
      return `${prefix}Invalid value: ${goValue(e.badValue)}${e.detail ? `: ${e.detail}` : ''}`;
  }
}

/** Constructors, named after upstream's field.Required / field.Invalid / … */
export const fieldErr = {
  required: (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail }),
  invalid: (field: string, badValue: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, badValue, detail }),
  notSupported: (field: string, badValue: unknown, valid: string[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field,
    badValue,
    detail: `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}`,
  }),
  duplicate: (field: string, badValue: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, badValue }),
  forbidden: (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail }),
  tooLong: (field: string, badValue: unknown, max: number): FieldError => ({
    type: 'FieldValueTooLong',
    field,
    badValue,
    detail: `may not be more than ${max} bytes`,
  }),
  notFound: (field: string, badValue: unknown): FieldError => ({ type: 'FieldValueNotFound', field, badValue }),
  typeInvalid: (field: string, badValue: unknown, detail: string): FieldError => ({
    type: 'FieldValueTypeInvalid',
    field,
    badValue,
    detail,
  }),
};
