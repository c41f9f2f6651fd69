import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, field, objAt, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { isObject, type JsonObject } from '../../types.js';
import { isQualifiedName } from '../../validation/names.js';
import { QUANTITY_PATTERN, parseQuantity } from './quantity.js';
import { NAME_COLUMN, column, nameOf } from './core_table.js';

const LIMIT_TYPES = ['Container', 'Pod', 'PersistentVolumeClaim'];
const STANDARD_RESOURCES = ['cpu', 'memory', 'ephemeral-storage', 'storage'];
const BOUNDS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;

function validateTypeName(v: string, path: string): FieldError[] {
  const errs = isQualifiedName(v).map((m) => fieldErr.invalid(path, v, m));
  if (errs.length === 0 && !v.includes('/') && !LIMIT_TYPES.includes(v)) errs.push(fieldErr.invalid(path, v, 'must be a standard limit type or fully qualified'));
  return errs;
}

function validateResourceName(v: string, path: string): FieldError[] {
  const errs = isQualifiedName(v).map((m) => fieldErr.invalid(path, v, m));
  const standard = STANDARD_RESOURCES.includes(v) || v.startsWith('hugepages-');
  if (errs.length === 0 && !v.includes('/') && !standard) errs.push(fieldErr.invalid(path, v, 'must be a standard resource type or fully qualified'));
  return errs;
}

/** quantities reads one bound map (max, min, …) and checks its names and values. */
function quantities(limit: JsonObject, bound: string, path: string, errs: FieldError[]): Map<string, { n: number; s: string }> {
  const out = new Map<string, { n: number; s: string }>();
  for (const [k, v] of Object.entries(objAt(limit, bound) ?? {})) {
    const p = `${path}.${bound}[${k}]`;
    errs.push(...validateResourceName(k, p));
    const n = typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : undefined;
    if (n === undefined) errs.push(fieldErr.invalid(p, v ?? '', `quantities must match the regular expression '${QUANTITY_PATTERN}'`));
    else out.set(k, { n, s: String(v) });
  }
  return out;
}

/** validateBounds checks, per resource, min ≤ defaultRequest ≤ default ≤ max and the request ratio. */
function validateBounds(b: Record<(typeof BOUNDS)[number], Map<string, { n: number; s: string }>>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const keys = new Set([...b.max.keys(), ...b.min.keys(), ...b.default.keys(), ...b.defaultRequest.keys(), ...b.maxLimitRequestRatio.keys()]);
  for (const k of keys) {
    const [min, max, def, req, ratio] = [b.min.get(k), b.max.get(k), b.default.get(k), b.defaultRequest.get(k), b.maxLimitRequestRatio.get(k)];
    if (min && max && min.n > max.n) errs.push(fieldErr.invalid(`${path}.min[${k}]`, min.s, `min value ${min.s} is greater than max value ${max.s}`));
    if (req && min && min.n > req.n) errs.push(fieldErr.invalid(`${path}.defaultRequest[${k}]`, req.s, `min value ${min.s} is greater than default request value ${req.s}`));
    if (req && max && req.n > max.n) errs.push(fieldErr.invalid(`${path}.defaultRequest[${k}]`, req.s, `default request value ${req.s} is greater than max value ${max.s}`));
    if (req && def && req.n > def.n) errs.push(fieldErr.invalid(`${path}.defaultRequest[${k}]`, req.s, `default request value ${req.s} is greater than default limit value ${def.s}`));
    if (def && min && min.n > def.n) errs.push(fieldErr.invalid(`${path}.default[${k}]`, min.s, `min value ${min.s} is greater than default value ${def.s}`));
    if (def && max && def.n > max.n) errs.push(fieldErr.invalid(`${path}.default[${k}]`, max.s, `default value ${def.s} is greater than max value ${max.s}`));
    if (ratio && ratio.n < 1) errs.push(fieldErr.invalid(`${path}.maxLimitRequestRatio[${k}]`, ratio.s, `ratio ${ratio.s} is less than 1`));
    if (ratio && min && max && min.n > 0 && ratio.n > max.n / min.n) {
      errs.push(fieldErr.invalid(`${path}.maxLimitRequestRatio[${k}]`, ratio.s, `ratio ${ratio.s} is greater than max/min = ${(max.n / min.n).toFixed(6)}`));
    }
  }
  return errs;
}

function validateLimit(limit: JsonObject, path: string, seenTypes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(limit, 'type') ?? '';
  errs.push(...validateTypeName(type, `${path}.type`));
  if (seenTypes.has(type)) errs.push(fieldErr.duplicate(`${path}.type`, type));
  seenTypes.add(type);
  if (type === 'Pod') {
    if (Object.keys(objAt(limit, 'default') ?? {}).length) errs.push(fieldErr.forbidden(`${path}.default`, "may not be specified when `type` is 'Pod'"));
    if (Object.keys(objAt(limit, 'defaultRequest') ?? {}).length) errs.push(fieldErr.forbidden(`${path}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
  }
  if (type === 'PersistentVolumeClaim' && field(limit, 'min', 'storage') === undefined && field(limit, 'max', 'storage') === undefined) {
    errs.push(fieldErr.required(`${path}.limits`, 'either minimum or maximum storage value is required, but neither was provided'));
  }
  const b = Object.fromEntries(BOUNDS.map((k) => [k, type === 'Pod' && k.startsWith('default') ? new Map() : quantities(limit, k, path, errs)]));
  return [...errs, ...validateBounds(b as Record<(typeof BOUNDS)[number], Map<string, { n: number; s: string }>>, path)];
}

/** defaultLimit applies SetDefaults_LimitRangeItem: for Containers, default ← max, defaultRequest ← default, then ← min. */
function defaultLimit(limit: JsonObject): void {
  if (limit.type !== 'Container') return;
  const def: JsonObject = { ...(objAt(limit, 'default') ?? {}) };
  const req: JsonObject = { ...(objAt(limit, 'defaultRequest') ?? {}) };
  for (const [k, v] of Object.entries(objAt(limit, 'max') ?? {})) if (!(k in def)) def[k] = v;
  for (const [k, v] of Object.entries(def)) if (!(k in req)) req[k] = v;
  for (const [k, v] of Object.entries(objAt(limit, 'min') ?? {})) if (!(k in req)) req[k] = v;
  if (Object.keys(def).length) limit.default = def;
  if (Object.keys(req).length) limit.defaultRequest = req;
}

/**
 * limitranges (v1 LimitRange, `limits`): per-type bounds on resources; container defaults are
 * derived from max/min. There is no dedicated printer upstream, so the Table is the generic
 * Name / Created At one.
 */
export const limitranges: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  singular: 'limitrange',
  namespaced: true,
  shortNames: ['limits'],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: false,
  subresources: [],
  defaults(obj) {
    for (const l of arr(obj, 'spec', 'limits')) if (isObject(l)) defaultLimit(l);
  },
  validate(obj) {
    const seen = new Set<string>();
    return arr(obj, 'spec', 'limits').flatMap((l, i) =>
      isObject(l) ? validateLimit(l, `spec.limits[${i}]`, seen) : [fieldErr.typeInvalid(`spec.limits[${i}]`, l, 'must be an object')],
    );
  },
  columns: [NAME_COLUMN, column('Created At', 'CreationTimestamp is when the object was created.', { type: 'date' })],
  row(obj) {
    // The generic convertor prints the time in RFC 3339 (Go's zero time when unset).
    return [nameOf(obj), obj.metadata.creationTimestamp ?? '0001-01-01T00:00:00Z'];
  },
};
