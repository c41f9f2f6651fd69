import { randomUUID, randomInt } from 'node:crypto';
import type { ResourceType } from '../api/resource.js';
import type { KubeObject } from '../api/types.js';
import { isObject } from '../api/types.js';
import { errors } from '../api/errors.js';
import type { FieldError } from '../api/field_errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../api/validation/meta.js';

const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** generateNameSuffix returns 5 random characters from the alphabet kube-apiserver uses. */
export function generateNameSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += nameAlphabet[randomInt(nameAlphabet.length)];
  return s;
}

// The last second formatted: every create within one second stamps the same string.
let lastSecond = NaN;
let lastStamp = '';

/** rfc3339 formats a time as Kubernetes timestamps are written (seconds precision, Z). */
export function rfc3339(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastStamp = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = second;
  }
  return lastStamp;
}

/** fillCreateMeta sets the system fields of a new object: name from generateName, uid, timestamps, generation. */
export function fillCreateMeta(t: ResourceType, obj: KubeObject, namespace: string, now: number): void {
  const m = obj.metadata;
  if (!m.name && m.generateName) {
    const base = m.generateName.length > 58 ? m.generateName.slice(0, 58) : m.generateName;
    m.name = base + generateNameSuffix();
  }
  if (t.namespaced) m.namespace = namespace;
  else delete m.namespace;
  m.uid = randomUUID();
  m.creationTimestamp = rfc3339(now);
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
  delete m.managedFields;
  if (t.tracksGeneration) m.generation = 1;
  else delete m.generation;
}

/** keepSystemMeta copies the fields clients cannot change on update from the stored object. */
export function keepSystemMeta(t: ResourceType, obj: KubeObject, old: KubeObject, keepDeletion = true): void {
  const m = obj.metadata;
  const o = old.metadata;
  if (m.uid === undefined) m.uid = o.uid!;
  // Changes to creationTimestamp are ignored, not refused, as kube-apiserver does: clients such as
  // client-node send it back re-formatted ("…:53.000Z").
  if (o.creationTimestamp) m.creationTimestamp = o.creationTimestamp;
  else if (m.creationTimestamp === undefined || m.creationTimestamp === null) m.creationTimestamp = o.creationTimestamp!;
  if (keepDeletion) {
    if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp;
    else delete m.deletionTimestamp;
    if (o.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
    else delete m.deletionGracePeriodSeconds;
  }
  delete m.selfLink;
  delete m.managedFields;
  if (t.tracksGeneration) {
    m.generation = (o.generation ?? 1) + (specChanged(obj, old) ? 1 : 0);
  } else delete m.generation;
}

/** specChanged tells whether anything but metadata and status differs (what moves generation). */
export function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): Record<string, unknown> => {
    const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
    return rest;
  };
  return !deepEqual(strip(a), strip(b));
}

/** deepEqual compares JSON values structurally. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** validateMeta runs ObjectMeta validation for a create (old undefined) or update. */
export function validateMeta(t: ResourceType, obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: t.namespaced, nameRule: t.nameRule });
  if (old) errs.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
  return errs;
}

/** requireObjectShape checks the top-level shape of a decoded body. */
export function requireObjectShape(body: Record<string, unknown>): KubeObject {
  const meta = body.metadata;
  if (meta !== undefined && meta !== null && !isObject(meta)) {
    throw errors.badRequest(`json: cannot unmarshal ${Array.isArray(meta) ? 'array' : typeof meta} into Go struct field .metadata of type v1.ObjectMeta`);
  }
  // A rest copy of metadata, not a spread: fillCreateMeta adds fields to it, and V8 adds a
  // property to a spread copy ~30x slower (its map has no cached transitions).
  const { ...copy } = isObject(meta) ? meta : {};
  return { ...body, metadata: copy } as KubeObject;
}
