import { fieldErr, type FieldError } from '../../field_errors.js';
import { objAt } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import type { KubeObject } from '../../types.js';
import { base64Problem, decodedLength } from './core_base64.js';
import { configMapKeyProblems, sameJSON } from './core_syntax.js';
import { AGE_COLUMN, NAME_COLUMN, ageOf, column, keyCount, nameOf } from './core_table.js';

/** MAX_DATA_SIZE is the largest total size of a ConfigMap's or Secret's data (core.MaxSecretSize, 1 MiB). */
export const MAX_DATA_SIZE = 1024 * 1024;

/** IMMUTABLE_MSG is the detail for changes to an object with `immutable: true`. */
export const IMMUTABLE_MSG = 'field is immutable when `immutable` is set';

function validateConfigMapData(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = objAt(obj, 'data') ?? {};
  const binary = objAt(obj, 'binaryData') ?? {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of configMapKeyProblems(k)) errs.push(fieldErr.invalid(`data[${k}]`, k, m));
    if (k in binary) errs.push(fieldErr.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    if (typeof v !== 'string') errs.push(fieldErr.typeInvalid(`data[${k}]`, v, 'must be a string'));
    else total += Buffer.byteLength(v, 'utf8');
  }
  for (const [k, v] of Object.entries(binary)) {
    for (const m of configMapKeyProblems(k)) errs.push(fieldErr.invalid(`binaryData[${k}]`, k, m));
    const problem = typeof v === 'string' ? base64Problem(v) : 'must be a base64 string';
    if (problem) errs.push(fieldErr.invalid(`binaryData[${k}]`, '<binary data>', problem));
    else if (typeof v === 'string') total += decodedLength(v);
  }
  // Upstream reports the size against the whole object (an empty path).
  if (total > MAX_DATA_SIZE) errs.push(fieldErr.tooLong('', '', MAX_DATA_SIZE));
  return errs;
}

/** validateImmutableData refuses changes to `immutable` and to the given data fields once `immutable` is true. */
export function validateImmutableData(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(fieldErr.forbidden('immutable', IMMUTABLE_MSG));
  for (const f of fields) {
    if (!sameJSON(obj[f] ?? {}, old[f] ?? {})) errs.push(fieldErr.forbidden(f, IMMUTABLE_MSG));
  }
  return errs;
}

/** configmaps (v1 ConfigMap, `cm`): string `data` and base64 `binaryData`, keys as IsConfigMapKey, 1 MiB in total. */
export const configmaps: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: false,
  subresources: [],
  defaults() {},
  validate(obj, old) {
    const errs = old ? validateImmutableData(obj, old, ['data', 'binaryData']) : [];
    return [...errs, ...validateConfigMapData(obj)];
  },
  columns: [NAME_COLUMN, column('Data', 'Data contains the configuration data.'), AGE_COLUMN],
  row(obj, now) {
    return [nameOf(obj), keyCount(obj.data) + keyCount(obj.binaryData), ageOf(obj, now)];
  },
};
