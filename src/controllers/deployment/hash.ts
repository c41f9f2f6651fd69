/** The pod-template-hash of a Deployment's template (upstream's controller.ComputeHash). */
import { fnv32a, safeEncodeString } from '../../lib/fnv.js';

/** canonicalJson renders a JSON value with object keys sorted, so equal templates hash equally. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * computeHash hashes a pod template with FNV-32a over its canonical JSON, mixing in the
 * collision count (as 8 little-endian bytes) when set, and renders the decimal sum with
 * safeEncodeString: the value of the `pod-template-hash` label and the ReplicaSet name suffix.
 */
export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(canonicalJson(template), 'utf8'));
  if (collisionCount !== undefined) {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(collisionCount >>> 0, 0);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}
