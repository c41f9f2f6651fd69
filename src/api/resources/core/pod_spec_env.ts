/** Validation of container env, envFrom and resources (requests/limits). */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr } from '../../object.js';
import { isObject } from '../../types.js';
import { isQualifiedName } from '../../validation/names.js';
import { parseQuantity, QUANTITY_PATTERN } from './quantity.js';

/** isEnvVarName: the relaxed rule on by default in v1.32 (printable ASCII other than '='). */
export function isEnvVarName(name: string): string[] {
  return /^[\x20-\x3c\x3e-\x7e]+$/.test(name)
    ? []
    : ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
}

const envSources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'];

function validateValueFrom(ev: Record<string, unknown>, path: string): FieldError[] {
  const from = ev['valueFrom'];
  if (!isObject(from)) return [];
  const errs: FieldError[] = [];
  const set = envSources.filter((s) => isObject(from[s]));
  if (set.length === 0) {
    errs.push(fieldErr.invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  } else if (typeof ev['value'] === 'string' && ev['value'] !== '') {
    errs.push(fieldErr.invalid(path, '', 'may not be specified when `value` is not empty'));
  } else if (set.length > 1) {
    errs.push(fieldErr.invalid(path, '', 'may not have more than one field specified at a time'));
  }
  for (const s of ['configMapKeyRef', 'secretKeyRef']) {
    const ref = from[s];
    if (isObject(ref) && !ref['key']) errs.push(fieldErr.required(`${path}.${s}.key`));
  }
  const fieldRef = from['fieldRef'];
  if (isObject(fieldRef) && !fieldRef['fieldPath']) errs.push(fieldErr.required(`${path}.fieldRef.fieldPath`));
  const resRef = from['resourceFieldRef'];
  if (isObject(resRef) && !resRef['resource']) errs.push(fieldErr.required(`${path}.resourceFieldRef.resource`));
  return errs;
}

/** validateEnv checks env names (required, valid) and valueFrom sources. */
export function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(env).forEach((e, i) => {
    const p = `${path}[${i}]`;
    const ev = isObject(e) ? e : {};
    const name = typeof ev['name'] === 'string' ? ev['name'] : '';
    if (!name) errs.push(fieldErr.required(`${p}.name`));
    else for (const m of isEnvVarName(name)) errs.push(fieldErr.invalid(`${p}.name`, name, m));
    errs.push(...validateValueFrom(ev, `${p}.valueFrom`));
  });
  return errs;
}

/** validateEnvFrom checks each envFrom entry names exactly one of configMapRef/secretRef and a valid prefix. */
export function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(envFrom).forEach((e, i) => {
    const p = `${path}[${i}]`;
    const ev = isObject(e) ? e : {};
    const n = ['configMapRef', 'secretRef'].filter((k) => isObject(ev[k])).length;
    if (n === 0) errs.push(fieldErr.invalid(p, '', 'must specify one of: `configMapRef` or `secretRef`'));
    if (n > 1) errs.push(fieldErr.invalid(p, '', 'may not have more than one field specified at a time'));
    const prefix = ev['prefix'];
    if (typeof prefix === 'string' && prefix) for (const m of isEnvVarName(prefix)) errs.push(fieldErr.invalid(`${p}.prefix`, prefix, m));
  });
  return errs;
}

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);

function validateResourceMap(m: unknown, path: string, errs: FieldError[]): Map<string, number> {
  const parsed = new Map<string, number>();
  if (!isObject(m)) return parsed;
  for (const [name, raw] of Object.entries(m)) {
    const p = `${path}[${name}]`;
    for (const msg of isQualifiedName(name)) errs.push(fieldErr.invalid(p, name, msg));
    if (!name.includes('/') && !standardContainerResources.has(name) && !name.startsWith('hugepages-')) {
      errs.push(fieldErr.invalid(p, name, 'must be a standard resource for containers'));
    }
    const q = typeof raw === 'string' || typeof raw === 'number' ? parseQuantity(raw) : undefined;
    if (q === undefined) {
      errs.push(fieldErr.invalid(p, raw, `quantities must match the regular expression '${QUANTITY_PATTERN}'`));
    } else if (q < 0) {
      errs.push(fieldErr.invalid(p, String(raw), 'must be greater than or equal to 0'));
    } else {
      parsed.set(name, q);
    }
  }
  return parsed;
}

/** validateResources checks resource names and quantities, and that each request is ≤ its limit (= for hugepages). */
export function validateResources(res: unknown, path: string): FieldError[] {
  if (!isObject(res)) return [];
  const errs: FieldError[] = [];
  const limits = validateResourceMap(res['limits'], `${path}.limits`, errs);
  const requests = validateResourceMap(res['requests'], `${path}.requests`, errs);
  const rawLimits = isObject(res['limits']) ? res['limits'] : {};
  const rawRequests = isObject(res['requests']) ? res['requests'] : {};
  for (const [name, req] of requests) {
    const limit = limits.get(name);
    if (limit === undefined) continue;
    const shown = String(rawRequests[name]);
    const limitShown = String(rawLimits[name]);
    if (name.startsWith('hugepages-') && req !== limit) {
      errs.push(fieldErr.invalid(`${path}.requests`, shown, `must be equal to ${name} limit of ${limitShown}`));
    } else if (req > limit) {
      errs.push(fieldErr.invalid(`${path}.requests`, shown, `must be less than or equal to ${name} limit of ${limitShown}`));
    }
  }
  return errs;
}
