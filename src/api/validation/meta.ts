/** ObjectMeta validation shared by every resource (apimachinery's ValidateObjectMeta / ValidateObjectMetaUpdate). */
import { fieldErr, type FieldError } from '../field_errors.js';
import { validateLabels } from '../labels/validation.js';
import type { NameRule } from '../resource.js';
import { isObject } from '../types.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPathSegmentName } from './names.js';

/** TOTAL_ANNOTATION_SIZE_LIMIT is the most bytes all annotation keys and values may take together. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** nameProblems validates a name by rule; with prefix (generateName) a trailing dash is allowed, as upstream masks it. */
export function nameProblems(rule: NameRule, name: string, prefix = false): string[] {
  const v = prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -1)}a` : name;
  switch (rule) {
    case 'label':
      return isDNS1123Label(v);
    case 'path':
      return isValidPathSegmentName(v);
    default:
      return isDNS1123Subdomain(v);
  }
}

/** validateAnnotations checks keys (lower-cased qualified names) and the total size. */
export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (!isObject(annotations)) return [fieldErr.typeInvalid(path, annotations, 'must be a map of string keys to string values')];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(fieldErr.invalid(path, k, m));
    if (typeof v !== 'string') errs.push(fieldErr.typeInvalid(`${path}[${k}]`, v, 'must be a string'));
    size += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : '');
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(fieldErr.tooLong(path, '', TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

/** validateOwnerReferences checks each reference's required fields and that at most one is the controller (paths unindexed, as upstream). */
export function validateOwnerReferences(refs: unknown, path: string): FieldError[] {
  if (refs === undefined || refs === null) return [];
  if (!Array.isArray(refs)) return [fieldErr.typeInvalid(path, refs, 'must be a list')];
  const errs: FieldError[] = [];
  const controllers: string[] = [];
  for (const r of refs) {
    const ref = isObject(r) ? r : {};
    const s = (k: string): string => (typeof ref[k] === 'string' ? (ref[k] as string) : '');
    if (!s('apiVersion')) errs.push(fieldErr.invalid(`${path}.apiVersion`, s('apiVersion'), 'version must not be empty'));
    if (!s('kind')) errs.push(fieldErr.invalid(`${path}.kind`, s('kind'), 'kind must not be empty'));
    if (!s('name')) errs.push(fieldErr.invalid(`${path}.name`, s('name'), 'name must not be empty'));
    if (!s('uid')) errs.push(fieldErr.invalid(`${path}.uid`, s('uid'), 'uid must not be empty'));
    if (ref['controller'] === true) controllers.push(s('name'));
  }
  if (controllers.length > 1) {
    errs.push(
      fieldErr.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`),
    );
  }
  return errs;
}

/** validateFinalizers checks finalizer names are qualified names and the orphan/foreground pair is not both set. */
export function validateFinalizers(finalizers: unknown, path: string): FieldError[] {
  if (finalizers === undefined || finalizers === null) return [];
  if (!Array.isArray(finalizers)) return [fieldErr.typeInvalid(path, finalizers, 'must be a list of strings')];
  const errs: FieldError[] = [];
  for (const f of finalizers) {
    const s = typeof f === 'string' ? f : String(f);
    for (const m of isQualifiedName(s)) errs.push(fieldErr.invalid(path, s, m));
  }
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(fieldErr.invalid(path, finalizers, "finalizer orphan and foregroundDeletion cannot be both set"));
  }
  return errs;
}

/** ObjectMetaOptions says how the kind names and scopes its objects; path defaults to "metadata". */
export interface ObjectMetaOptions {
  namespaced: boolean;
  nameRule: NameRule;
  path?: string;
}

function strField(meta: Record<string, unknown>, k: string): string {
  const v = meta[k];
  return typeof v === 'string' ? v : '';
}

/** validateObjectMeta validates metadata on create: name/generateName, namespace scope, labels, annotations, owners, finalizers. */
export function validateObjectMeta(meta: unknown, opts: ObjectMetaOptions): FieldError[] {
  const path = opts.path ?? 'metadata';
  const m = isObject(meta) ? meta : {};
  const errs: FieldError[] = [];
  const name = strField(m, 'name');
  const generateName = strField(m, 'generateName');
  if (generateName) {
    for (const p of nameProblems(opts.nameRule, generateName, true)) errs.push(fieldErr.invalid(`${path}.generateName`, generateName, p));
  }
  if (!name) {
    if (!generateName) errs.push(fieldErr.required(`${path}.name`, 'name or generateName is required'));
  } else {
    for (const p of nameProblems(opts.nameRule, name)) errs.push(fieldErr.invalid(`${path}.name`, name, p));
  }
  const ns = strField(m, 'namespace');
  if (opts.namespaced) {
    if (!ns) errs.push(fieldErr.required(`${path}.namespace`));
    else for (const p of isDNS1123Label(ns)) errs.push(fieldErr.invalid(`${path}.namespace`, ns, p));
  } else if (ns) {
    errs.push(fieldErr.forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  const gen = m['generation'];
  if (typeof gen === 'number' && gen < 0) errs.push(fieldErr.invalid(`${path}.generation`, gen, 'must be greater than or equal to 0'));
  errs.push(...validateMetaMaps(m, path));
  return errs;
}

function validateMetaMaps(m: Record<string, unknown>, path: string): FieldError[] {
  return [
    ...validateLabels(m['labels'], `${path}.labels`),
    ...validateAnnotations(m['annotations'], `${path}.annotations`),
    ...validateOwnerReferences(m['ownerReferences'], `${path}.ownerReferences`),
    ...validateFinalizers(m['finalizers'], `${path}.finalizers`),
  ];
}

/**
 * validateObjectMetaUpdate validates metadata on update: name, namespace, uid and creationTimestamp are
 * immutable (`field is immutable`; an empty uid/creationTimestamp counts as unchanged because the API
 * server copies them from the stored object) and no finalizers may be added once deletion started.
 * Callers run validateObjectMeta on the new metadata as well; generation/resourceVersion are not checked here.
 */
export function validateObjectMetaUpdate(meta: unknown, old: unknown, path = 'metadata'): FieldError[] {
  const m = isObject(meta) ? meta : {};
  const o = isObject(old) ? old : {};
  const errs: FieldError[] = [];
  for (const k of ['name', 'namespace', 'uid', 'creationTimestamp']) {
    const nv = strField(m, k);
    const ov = strField(o, k);
    const lenient = k === 'uid' || k === 'creationTimestamp';
    if (nv !== ov && !(lenient && nv === '')) errs.push(fieldErr.invalid(`${path}.${k}`, nv, 'field is immutable'));
  }
  if (strField(o, 'deletionTimestamp')) {
    const oldFin = Array.isArray(o['finalizers']) ? o['finalizers'] : [];
    const added = (Array.isArray(m['finalizers']) ? m['finalizers'] : []).filter((f) => !oldFin.includes(f));
    if (added.length) {
      const list = [...new Set(added.map(String))].sort().map((f) => JSON.stringify(f));
      errs.push(
        fieldErr.forbidden(`${path}.finalizers`, `no new finalizers can be added if the object is being deleted, found new finalizers []string{${list.join(', ')}}`),
      );
    }
  }
  return errs;
}
