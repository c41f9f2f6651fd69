import { isObject, type JsonObject } from '../../api/types.js';

/** Small helpers over decoded JSON values shared by the three patch types. */

/** jsonEqual compares two decoded JSON values structurally (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * setField sets obj[key] = value as an own data property. A plain assignment to `__proto__` would
 * change the object's prototype instead of adding a field, so that key is defined explicitly.
 */
export function setField(obj: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** jsonType names a value's JSON type; values of different types never merge. */
export function jsonType(v: unknown): 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean' | 'other' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (isObject(v)) return 'object';
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'other';
}

/** maxPatchDepth bounds how deeply a patch document may nest; the merges recurse along it. */
export const maxPatchDepth = 1000;

/** exceedsDepth tells whether v nests deeper than limit, without recursion. */
export function exceedsDepth(v: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value: v, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (depth > limit) return true;
    const children = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
    for (const c of children) {
      if (typeof c === 'object' && c !== null) stack.push({ value: c, depth: depth + 1 });
    }
  }
  return false;
}
