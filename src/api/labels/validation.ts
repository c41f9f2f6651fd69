/** Validation of label maps and meta/v1 LabelSelector objects (apimachinery's metav1 validation). */
import { fieldErr, type FieldError } from '../field_errors.js';
import { isObject } from '../types.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';

/** validateLabels checks keys (qualified names) and values (label values); errors sit at `path` itself, as upstream. */
export function validateLabels(labels: unknown, path: string): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (!isObject(labels)) return [fieldErr.typeInvalid(path, labels, 'must be a map of string keys to string values')];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const m of isQualifiedName(k)) errs.push(fieldErr.invalid(path, k, m));
    if (typeof v !== 'string') {
      errs.push(fieldErr.typeInvalid(`${path}[${k}]`, v, 'must be a string'));
      continue;
    }
    for (const m of isValidLabelValue(v)) errs.push(fieldErr.invalid(path, v, m));
  }
  return errs;
}

function validateRequirement(e: unknown, path: string): FieldError[] {
  if (!isObject(e)) return [fieldErr.typeInvalid(path, e, 'must be an object')];
  const errs: FieldError[] = [];
  const op = e['operator'];
  const values = Array.isArray(e['values']) ? e['values'] : [];
  switch (op) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(fieldErr.required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        errs.push(fieldErr.forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      }
      break;
    default:
      errs.push(fieldErr.invalid(`${path}.operator`, op, 'not a valid selector operator'));
  }
  const key = typeof e['key'] === 'string' ? e['key'] : '';
  for (const m of isQualifiedName(key)) errs.push(fieldErr.invalid(`${path}.key`, key, m));
  values.forEach((v, i) => {
    const s = typeof v === 'string' ? v : String(v);
    for (const m of isValidLabelValue(s)) errs.push(fieldErr.invalid(`${path}.values[${i}]`, s, m));
  });
  return errs;
}

/** validateLabelSelector checks a meta/v1 LabelSelector; null/undefined is valid here (callers decide whether it is required). */
export function validateLabelSelector(sel: unknown, path: string): FieldError[] {
  if (sel === undefined || sel === null) return [];
  if (!isObject(sel)) return [fieldErr.typeInvalid(path, sel, 'must be an object')];
  const errs = validateLabels(sel['matchLabels'], `${path}.matchLabels`);
  const exprs = sel['matchExpressions'];
  if (Array.isArray(exprs)) exprs.forEach((e, i) => errs.push(...validateRequirement(e, `${path}.matchExpressions[${i}]`)));
  return errs;
}
