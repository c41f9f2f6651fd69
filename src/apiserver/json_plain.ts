/**
 * isPlainJson tells whether v is exactly what `JSON.parse(JSON.stringify(v))` would rebuild:
 * strings, booleans, null, finite numbers other than -0, arrays without holes or undefined
 * elements, and objects with Object.prototype whose own values are all of these (no undefined,
 * function, Date, Buffer or class instance, whose JSON form differs). When it holds, an object
 * that was just encoded can stand for its decoded bytes (the watch cache takes the writer's
 * object instead of parsing what was just stringified). Only enumerable string-keyed properties
 * are looked at, as JSON.stringify does; nesting deeper than 1000 levels (or a cycle) is refused.
 */
export function isPlainJson(v: unknown): boolean {
  return plain(v, 0);
}

// Deeper than any object JSON.stringify would have encoded without a stack overflow is refused.
const MAX_DEPTH = 1000;

function plain(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      // NaN and ±Infinity encode as null; -0 decodes as 0.
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object':
      break;
    default:
      return false;
  }
  if (v === null) return true;
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return false;
    for (let i = 0; i < v.length; i++) {
      // A hole reads as undefined: both encode as null.
      if (!plain(v[i], depth + 1)) return false;
    }
    return true;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  const o = v as Record<string, unknown>;
  for (const k in o) {
    if (!Object.hasOwn(o, k) || !plain(o[k], depth + 1)) return false;
  }
  return true;
}
