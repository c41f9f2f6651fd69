/** Validation of PodSpec volumes: unique DNS-1123 names and exactly one source, with the common sources' required fields. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr } from '../../object.js';
import { isObject, type JsonObject } from '../../types.js';
import { isDNS1123Label } from '../../validation/names.js';
import { VOLUME_SOURCES } from './pod_spec_defaults.js';
import { parseQuantity } from './quantity.js';

function requiredString(src: JsonObject, key: string, path: string): FieldError[] {
  return typeof src[key] === 'string' && src[key] !== '' ? [] : [fieldErr.required(`${path}.${key}`)];
}

function validateMode(src: JsonObject, key: string, path: string): FieldError[] {
  const mode = src[key];
  if (mode === undefined || mode === null) return [];
  return typeof mode === 'number' && Number.isInteger(mode) && mode >= 0 && mode <= 0o777
    ? []
    : [fieldErr.invalid(`${path}.${key}`, mode, 'must be a number between 0 and 0777 (octal), both inclusive')];
}

function validateKeyToPaths(src: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(src, 'items').forEach((raw, i) => {
    const item = isObject(raw) ? raw : {};
    const p = `${path}.items[${i}]`;
    errs.push(...requiredString(item, 'key', p), ...requiredString(item, 'path', p), ...validateMode(item, 'mode', p));
    const itemPath = typeof item['path'] === 'string' ? item['path'] : '';
    if (itemPath.startsWith('/')) errs.push(fieldErr.invalid(`${p}.path`, itemPath, 'must be a relative path'));
    if (itemPath.split('/').includes('..')) errs.push(fieldErr.invalid(`${p}.path`, itemPath, "must not contain '..'"));
  });
  return errs;
}

function validateSource(kind: string, src: JsonObject, path: string): FieldError[] {
  switch (kind) {
    case 'configMap':
      return [...requiredString(src, 'name', path), ...validateMode(src, 'defaultMode', path), ...validateKeyToPaths(src, path)];
    case 'secret':
      return [...requiredString(src, 'secretName', path), ...validateMode(src, 'defaultMode', path), ...validateKeyToPaths(src, path)];
    case 'hostPath':
      return requiredString(src, 'path', path);
    case 'persistentVolumeClaim':
      return requiredString(src, 'claimName', path);
    case 'nfs':
      return [...requiredString(src, 'server', path), ...requiredString(src, 'path', path)];
    case 'emptyDir': {
      const size = src['sizeLimit'];
      if (size === undefined) return [];
      const q = typeof size === 'string' || typeof size === 'number' ? parseQuantity(size) : undefined;
      return q === undefined || q < 0 ? [fieldErr.invalid(`${path}.sizeLimit`, size, 'must be greater than or equal to 0')] : [];
    }
    default:
      return [];
  }
}

/** validateVolumes checks volumes and returns their names (for volumeMounts) alongside the errors. */
export function validateVolumes(volumes: unknown, path: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(volumes).forEach((raw, i) => {
    const p = `${path}[${i}]`;
    const v = isObject(raw) ? raw : {};
    let n = 0;
    for (const kind of VOLUME_SOURCES) {
      const src = v[kind];
      if (src === undefined || src === null) continue;
      if (n > 0) errs.push(fieldErr.forbidden(`${p}.${kind}`, 'may not specify more than 1 volume type'));
      else errs.push(...validateSource(kind, isObject(src) ? src : {}, `${p}.${kind}`));
      n++;
    }
    if (n === 0) errs.push(fieldErr.required(p, 'must specify a volume type'));
    const name = typeof v['name'] === 'string' ? v['name'] : '';
    if (!name) errs.push(fieldErr.required(`${p}.name`));
    else for (const m of isDNS1123Label(name)) errs.push(fieldErr.invalid(`${p}.name`, name, m));
    if (names.has(name)) errs.push(fieldErr.duplicate(`${p}.name`, name));
    names.add(name);
  });
  return { errs, names };
}
