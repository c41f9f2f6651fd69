import { fieldErr, type FieldError } from '../../field_errors.js';
import { objAt, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { isObject, type KubeObject } from '../../types.js';
import { MAX_DATA_SIZE, validateImmutableData } from './configmaps.js';
import { base64Problem, encodeBase64 } from './core_base64.js';
import { FIELD_IMMUTABLE, configMapKeyProblems } from './core_syntax.js';
import { AGE_COLUMN, NAME_COLUMN, ageOf, column, keyCount, nameOf } from './core_table.js';

/** The annotation a service-account-token Secret must carry. */
const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';

/** decodedData returns the decoded bytes of each valid base64 value of `data`. */
function decodedData(obj: KubeObject): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(objAt(obj, 'data') ?? {})) {
    if (typeof v === 'string' && !base64Problem(v)) out.set(k, Buffer.from(v, 'base64'));
  }
  return out;
}

function validateJSONKey(data: Map<string, Buffer>, key: string): FieldError[] {
  const v = data.get(key);
  if (v === undefined) return [fieldErr.required(`data[${key}]`)];
  try {
    const parsed: unknown = JSON.parse(v.toString('utf8'));
    if (isObject(parsed)) return [];
    return [fieldErr.invalid(`data[${key}]`, '<secret contents redacted>', 'json: cannot unmarshal into Go value of type map[string]interface {}')];
  } catch (e) {
    return [fieldErr.invalid(`data[${key}]`, '<secret contents redacted>', e instanceof Error ? e.message : String(e))];
  }
}

/** validateType checks the keys and annotations a well-known Secret type requires. */
function validateType(obj: KubeObject, data: Map<string, Buffer>): FieldError[] {
  switch (str(obj, 'type')) {
    case 'kubernetes.io/service-account-token':
      return obj.metadata.annotations?.[SA_NAME_ANNOTATION] ? [] : [fieldErr.required(`metadata.annotations[${SA_NAME_ANNOTATION}]`)];
    case 'kubernetes.io/dockercfg':
      return validateJSONKey(data, '.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return validateJSONKey(data, '.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      return data.has('username') || data.has('password') ? [] : [fieldErr.required('data[username]'), fieldErr.required('data[password]')];
    case 'kubernetes.io/ssh-auth':
      return (data.get('ssh-privatekey')?.length ?? 0) > 0 ? [] : [fieldErr.required('data[ssh-privatekey]')];
    case 'kubernetes.io/tls':
      return ['tls.crt', 'tls.key'].filter((k) => !data.has(k)).map((k) => fieldErr.required(`data[${k}]`));
    default:
      return [];
  }
}

function validateSecret(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(objAt(obj, 'data') ?? {})) {
    for (const m of configMapKeyProblems(k)) errs.push(fieldErr.invalid(`data[${k}]`, k, m));
    // Upstream rejects bad base64 while decoding the body; here it surfaces as a field error.
    const problem = typeof v === 'string' ? base64Problem(v) : 'must be a base64 string';
    if (problem) errs.push(fieldErr.invalid(`data[${k}]`, '<secret contents redacted>', problem));
  }
  const data = decodedData(obj);
  for (const b of data.values()) total += b.length;
  if (total > MAX_DATA_SIZE) errs.push(fieldErr.tooLong('data', '', MAX_DATA_SIZE));
  return [...errs, ...validateType(obj, data)];
}

/** mergeStringData folds write-only `stringData` into `data` (base64), as the v1 conversion does, and drops it. */
function mergeStringData(obj: KubeObject): void {
  const stringData = objAt(obj, 'stringData');
  if (!stringData) {
    delete obj.stringData;
    return;
  }
  const data = { ...(objAt(obj, 'data') ?? {}) };
  for (const [k, v] of Object.entries(stringData)) if (typeof v === 'string') data[k] = encodeBase64(v);
  obj.data = data;
  delete obj.stringData;
}

/**
 * secrets (v1 Secret): `type` defaults to Opaque and is immutable; `stringData` is merged into `data`
 * (base64) and removed; `data` values must be base64 and total at most 1 MiB decoded.
 */
export const secrets: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  shortNames: [],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: false,
  subresources: [],
  defaults(obj) {
    if (!obj.type) obj.type = 'Opaque';
    mergeStringData(obj);
  },
  validate(obj, old) {
    const errs: FieldError[] = [];
    if (old) {
      if (obj.type !== old.type) errs.push(fieldErr.invalid('type', obj.type ?? '', FIELD_IMMUTABLE));
      errs.push(...validateImmutableData(obj, old, ['data']));
    }
    return [...errs, ...validateSecret(obj)];
  },
  columns: [NAME_COLUMN, column('Type', 'Used to facilitate programmatic handling of secret data.'), column('Data', 'Data contains the secret data.'), AGE_COLUMN],
  row(obj, now) {
    return [nameOf(obj), str(obj, 'type') ?? '', keyCount(obj.data), ageOf(obj, now)];
  },
  fieldLabels(obj) {
    return { type: str(obj, 'type') ?? '' };
  },
};
