import { isObject, type JsonObject } from './types.js';

/** Safe readers for the `unknown` fields of objects; they never throw on odd shapes. */

/** field walks a path of keys and indexes, returning undefined where the shape does not fit. */
export function field(obj: unknown, ...path: (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (typeof p === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[p];
    } else {
      if (!isObject(cur)) return undefined;
      cur = cur[p];
    }
  }
  return cur;
}

/** str returns the string at path, or undefined. */
export function str(obj: unknown, ...path: (string | number)[]): string | undefined {
  const v = field(obj, ...path);
  return typeof v === 'string' ? v : undefined;
}

/** num returns the number at path, or undefined. */
export function num(obj: unknown, ...path: (string | number)[]): number | undefined {
  const v = field(obj, ...path);
  return typeof v === 'number' ? v : undefined;
}

/** arr returns the array at path, or an empty array. */
export function arr(obj: unknown, ...path: (string | number)[]): unknown[] {
  const v = field(obj, ...path);
  return Array.isArray(v) ? v : [];
}

/** objAt returns the object at path, or undefined. */
export function objAt(obj: unknown, ...path: (string | number)[]): JsonObject | undefined {
  const v = field(obj, ...path);
  return isObject(v) ? v : undefined;
}

/** ensureObj returns the object at key of parent, creating an empty one if absent or not an object. */
export function ensureObj(parent: JsonObject, key: string): JsonObject {
  const v = parent[key];
  if (isObject(v)) return v;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
}

/** setDefault sets parent[key] = value when it is undefined. */
export function setDefault(parent: JsonObject, key: string, value: unknown): void {
  if (parent[key] === undefined) parent[key] = value;
}

/** deepCopy clones a JSON value. */
export function deepCopy<T>(v: T): T {
  return structuredClone(v);
}
