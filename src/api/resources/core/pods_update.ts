/** Pod update validation: the spec is immutable except the fields kube-apiserver lets an update change. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr } from '../../object.js';
import { isObject, type JsonObject } from '../../types.js';

/** POD_UPDATE_FORBIDDEN is the message (before the diff) kube-apiserver gives for a changed immutable pod field. */
export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** isZero: absent, null, false, 0, "", [] and {} all equal Go's zero value for semantic comparison. */
function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}

/** semanticEqual compares JSON values as apimachinery's Semantic.DeepEqual does for decoded structs (zero values equal absent). */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isZero(a) && isZero(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => semanticEqual(a[k], b[k]));
  }
  return a === b;
}

function validateContainerUpdates(next: JsonObject, old: JsonObject, key: string): FieldError[] {
  const n = arr(next, key);
  if (n.length !== arr(old, key).length) return [fieldErr.forbidden(`spec.${key}`, 'pod updates may not add or remove containers')];
  const errs: FieldError[] = [];
  n.forEach((c, i) => {
    const image = isObject(c) ? c['image'] : undefined;
    if (typeof image !== 'string' || image === '') errs.push(fieldErr.required(`spec.${key}[${i}].image`));
    else if (image.trim() !== image) errs.push(fieldErr.invalid(`spec.${key}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return errs;
}

function validateDeadline(next: JsonObject, old: JsonObject): FieldError[] {
  const n = next['activeDeadlineSeconds'];
  const o = old['activeDeadlineSeconds'];
  const path = 'spec.activeDeadlineSeconds';
  if (typeof n === 'number') {
    if (n < 0 || n > 2147483647) return [fieldErr.invalid(path, n, 'must be between 0 and 2147483647, inclusive')];
    if (typeof o === 'number' && o < n) return [fieldErr.invalid(path, n, 'must be less than or equal to previous value')];
  } else if (typeof o === 'number') {
    return [fieldErr.invalid(path, null, 'must not update from a positive integer to nil value')];
  }
  return [];
}

function validateOnlyAddedTolerations(next: JsonObject, old: JsonObject): FieldError[] {
  const n = arr(next, 'tolerations').filter(isObject);
  for (const o of arr(old, 'tolerations').filter(isObject)) {
    const found = n.some((t) => semanticEqual({ ...o, tolerationSeconds: t['tolerationSeconds'] }, t));
    if (!found) return [fieldErr.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds')];
  }
  // The toleration values themselves are checked by validatePodSpec on the whole new spec.
  return [];
}

/** mungedSpec is the new spec with every updatable field taken from it and everything else from the old spec's view. */
function mungedSpec(next: JsonObject, old: JsonObject): JsonObject {
  const m = structuredClone(next);
  for (const key of ['containers', 'initContainers']) {
    const oldList = arr(old, key);
    const list = arr(m, key);
    list.forEach((c, i) => {
      const oc = oldList[i];
      if (isObject(c) && isObject(oc)) c['image'] = oc['image'];
    });
  }
  m['activeDeadlineSeconds'] = old['activeDeadlineSeconds'];
  m['tolerations'] = old['tolerations'];
  const oldGrace = old['terminationGracePeriodSeconds'];
  if (typeof oldGrace === 'number' && oldGrace < 0 && m['terminationGracePeriodSeconds'] === 1) m['terminationGracePeriodSeconds'] = oldGrace;
  // Scheduling gates may only be removed; the gate list itself is not compared.
  m['schedulingGates'] = old['schedulingGates'];
  return m;
}

function goName(k: string): string {
  return k.charAt(0).toUpperCase() + k.slice(1);
}

/** specDiff renders a short diff of the changed spec fields, in the spirit of the cmp.Diff upstream appends. */
function specDiff(old: JsonObject, next: JsonObject): string {
  const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])].filter((k) => !semanticEqual(old[k], next[k]));
  const lines = keys.flatMap((k) => [`- \t${goName(k)}: ${JSON.stringify(old[k] ?? null)},`, `+ \t${goName(k)}: ${JSON.stringify(next[k] ?? null)},`]);
  return ['  core.PodSpec{', '  \t... // other fields unchanged', ...lines, '  }', ''].join('\n');
}

/** validatePodSpecUpdate applies ValidatePodUpdate's spec rules (the full spec is validated separately). */
export function validatePodSpecUpdate(nextSpec: unknown, oldSpec: unknown): FieldError[] {
  const next = isObject(nextSpec) ? nextSpec : {};
  const old = isObject(oldSpec) ? oldSpec : {};
  for (const key of ['containers', 'initContainers']) {
    const errs = validateContainerUpdates(next, old, key);
    if (errs.some((e) => e.type === 'FieldValueForbidden')) return errs;
  }
  const errs = [...validateContainerUpdates(next, old, 'containers'), ...validateContainerUpdates(next, old, 'initContainers')];
  const deadline = validateDeadline(next, old);
  if (deadline.length) return [...errs, ...deadline];
  errs.push(...validateOnlyAddedTolerations(next, old));
  if (semanticEqual(next, old)) return errs;
  const munged = mungedSpec(next, old);
  if (!semanticEqual(munged, old)) errs.push(fieldErr.forbidden('spec', `${POD_UPDATE_FORBIDDEN}\n${specDiff(old, munged)}`));
  return errs;
}
