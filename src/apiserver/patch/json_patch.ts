import { errors } from '../../api/errors.js';
import { deepCopy } from '../../api/object.js';
import { isObject, type JsonObject } from '../../api/types.js';
import { jsonEqual, setField } from './json_value.js';
import { jsonKindName, notAnObjectResult, rejectedPatch } from './patch_errors.js';

/**
 * RFC 6902 JSON patch with the behaviour of evanphx/json-patch v4 as kube-apiserver runs it:
 * negative array indexes count from the end, `replace`/`remove` need an existing target, `test`
 * of null passes on a missing member, and every apply failure becomes the generic 422.
 */

/** maxJsonPatchOperations is kube-apiserver's limit on operations in one JSON patch. */
export const maxJsonPatchOperations = 10000;

/** accumulatedCopySizeLimit bounds the bytes `copy` operations may add, so a few ops cannot blow a document up. */
export const accumulatedCopySizeLimit = 3 * 1024 * 1024;

type Container = JsonObject | unknown[];
interface Location {
  parent: Container;
  key: string;
}
interface PatchState {
  doc: unknown;
  copied: number;
}

/**
 * applyJsonPatch applies an RFC 6902 patch (already parsed from JSON) to a copy of original.
 * Throws 400 BadRequest for a malformed document, 413 beyond maxJsonPatchOperations, 422 when an
 * operation does not apply or the result is not an object. Never mutates its arguments.
 */
export function applyJsonPatch(original: JsonObject, patch: unknown): JsonObject {
  const ops = decodeJsonPatch(patch);
  const state: PatchState = { doc: deepCopy(original), copied: 0 };
  for (const op of ops) applyOperation(state, op);
  if (!isObject(state.doc)) throw notAnObjectResult(state.doc);
  return state.doc;
}

function decodeJsonPatch(patch: unknown): (JsonObject | null)[] {
  if (patch === null) return []; // Go decodes JSON null into an empty patch.
  if (!Array.isArray(patch)) {
    throw errors.badRequest(`json: cannot unmarshal ${jsonKindName(patch)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of patch) {
    if (op !== null && !isObject(op)) {
      throw errors.badRequest(`json: cannot unmarshal ${jsonKindName(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  if (patch.length > maxJsonPatchOperations) {
    throw errors.requestEntityTooLarge(
      `Request entity too large: The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${patch.length}`,
    );
  }
  return patch as (JsonObject | null)[];
}

function applyOperation(state: PatchState, op: JsonObject | null): void {
  const kind = typeof op?.['op'] === 'string' ? op['op'] : 'unknown';
  if (op === null) throw rejectedPatch(`Unexpected kind: ${kind}`);
  const path = stringField(op, 'path');
  switch (kind) {
    case 'add':
      return add(mustLocate(state.doc, path, kind), valueOf(op));
    case 'remove':
      return remove(mustLocate(state.doc, path, kind), path);
    case 'replace':
      return replace(state, path, valueOf(op));
    case 'move':
      return move(state.doc, stringField(op, 'from'), path);
    case 'copy':
      return copy(state, stringField(op, 'from'), path);
    case 'test':
      return test(state.doc, path, op);
    default:
      throw rejectedPatch(`Unexpected kind: ${kind}`);
  }
}

function stringField(op: JsonObject, name: 'path' | 'from'): string {
  const v = op[name];
  if (typeof v !== 'string') throw rejectedPatch(`operation missing ${name} field`);
  return v;
}

/** valueOf copies the op's value so one patch value never ends up aliased twice in the result. */
function valueOf(op: JsonObject): unknown {
  return Object.hasOwn(op, 'value') ? deepCopy(op['value']) : null;
}

/** parsePointer splits an RFC 6901 pointer into unescaped tokens; undefined when malformed. */
export function parsePointer(path: string): string[] | undefined {
  if (path === '') return [];
  if (!path.startsWith('/')) return undefined;
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** locate finds the container holding the pointer's last token; undefined when the path is missing. */
function locate(doc: unknown, path: string): Location | undefined {
  const tokens = parsePointer(path);
  if (tokens === undefined || tokens.length === 0) return undefined;
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    cur = child(cur, t);
    if (cur === undefined) return undefined;
  }
  if (!isObject(cur) && !Array.isArray(cur)) return undefined;
  return { parent: cur, key: tokens[tokens.length - 1] ?? '' };
}

function mustLocate(doc: unknown, path: string, kind: string): Location {
  const loc = locate(doc, path);
  if (!loc) throw rejectedPatch(`${kind} operation does not apply: doc is missing path: "${path}"`);
  return loc;
}

/** child reads one member; null counts as missing, as it does upstream. */
function child(c: unknown, key: string): unknown {
  let v: unknown;
  if (Array.isArray(c)) {
    const i = existingIndex(key, c.length);
    v = i === undefined ? undefined : c[i];
  } else if (isObject(c)) {
    v = Object.hasOwn(c, key) ? c[key] : undefined;
  }
  return v === null ? undefined : v;
}

/** parseIndex parses an array index the way Go's strconv.Atoi does. */
function parseIndex(key: string): number | undefined {
  if (!/^[+-]?\d+$/.test(key)) return undefined;
  const n = Number(key);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** existingIndex resolves the index of an existing element (negative counts from the end). */
function existingIndex(key: string, length: number): number | undefined {
  const n = parseIndex(key);
  if (n === undefined || n >= length || n < -length) return undefined;
  return n < 0 ? n + length : n;
}

function get(loc: Location): unknown {
  if (Array.isArray(loc.parent)) {
    const i = existingIndex(loc.key, loc.parent.length);
    return i === undefined ? undefined : loc.parent[i];
  }
  return Object.hasOwn(loc.parent, loc.key) ? loc.parent[loc.key] : undefined;
}

function add(loc: Location, value: unknown): void {
  if (!Array.isArray(loc.parent)) return setField(loc.parent, loc.key, value);
  const arr = loc.parent;
  if (loc.key === '-') {
    arr.push(value);
    return;
  }
  const n = parseIndex(loc.key);
  if (n === undefined) throw rejectedPatch(`value was not a proper array index: '${loc.key}'`);
  const size = arr.length + 1;
  if (n >= size || n < -size) throw rejectedPatch(`Unable to access invalid index: ${n}`);
  arr.splice(n < 0 ? n + size : n, 0, value);
}

function remove(loc: Location, path: string): void {
  if (Array.isArray(loc.parent)) {
    const i = existingIndex(loc.key, loc.parent.length);
    if (i === undefined) throw rejectedPatch(`Unable to access invalid index: ${loc.key}`);
    loc.parent.splice(i, 1);
  } else {
    if (!Object.hasOwn(loc.parent, loc.key)) throw rejectedPatch(`Unable to remove nonexistent key: ${loc.key}: missing value at ${path}`);
    delete loc.parent[loc.key];
  }
}

function replace(state: PatchState, path: string, value: unknown): void {
  if (path === '') {
    if (!isObject(value) && !Array.isArray(value)) throw rejectedPatch('replace operation value must be object or array');
    state.doc = value;
    return;
  }
  const loc = mustLocate(state.doc, path, 'replace');
  if (get(loc) === undefined) throw rejectedPatch(`replace operation does not apply: doc is missing key: ${path}`);
  if (Array.isArray(loc.parent)) {
    loc.parent[existingIndex(loc.key, loc.parent.length) ?? 0] = value;
  } else {
    setField(loc.parent, loc.key, value);
  }
}

function move(doc: unknown, from: string, path: string): void {
  const src = locate(doc, from);
  if (!src) throw rejectedPatch(`move operation does not apply: doc is missing from path: ${from}`);
  const value = get(src);
  if (value === undefined) throw rejectedPatch(`error in move for path: '${src.key}'`);
  remove(src, from);
  const dst = locate(doc, path);
  if (!dst) throw rejectedPatch(`move operation does not apply: doc is missing destination path: ${path}`);
  add(dst, value);
}

function copy(state: PatchState, from: string, path: string): void {
  const src = locate(state.doc, from);
  if (!src) throw rejectedPatch(`copy operation does not apply: doc is missing from path: ${from}`);
  const value = get(src);
  if (value === undefined) throw rejectedPatch(`error in copy for from: '${from}'`);
  const dst = locate(state.doc, path);
  if (!dst) throw rejectedPatch(`copy operation does not apply: doc is missing destination path: ${path}`);
  const size = JSON.stringify(value).length;
  if (state.copied + size > accumulatedCopySizeLimit) {
    throw rejectedPatch(
      `Unable to complete the copy, the accumulated size increase of copy is ${state.copied + size}, exceeding the limit ${accumulatedCopySizeLimit}`,
    );
  }
  state.copied += size;
  add(dst, deepCopy(value));
}

function test(doc: unknown, path: string, op: JsonObject): void {
  const expected = Object.hasOwn(op, 'value') ? op['value'] : null;
  let actual: unknown;
  if (path === '') {
    actual = doc;
  } else {
    const loc = locate(doc, path);
    if (!loc) throw rejectedPatch(`test operation does not apply: is missing path: ${path}`);
    if (Array.isArray(loc.parent) && existingIndex(loc.key, loc.parent.length) === undefined) {
      throw rejectedPatch(`Unable to access invalid index: ${loc.key}`);
    }
    actual = get(loc) ?? null;
  }
  if (!jsonEqual(actual, expected)) throw rejectedPatch(`testing value ${path} failed: test failed`);
}
