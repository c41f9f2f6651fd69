import { isObject } from '../../api/types.js';

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = v[k];
    if (x !== undefined) out[k] = canonical(x);
  }
  return out;
}

/** semanticEqual compares JSON values ignoring key order and undefined members; arrays compare in order. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
