/** Short, stable hashes for names and labels: FNV-1a (32 bit) spelled with rand.SafeEncodeString's alphabet. */

/** SAFE_ALPHABET is rand.SafeEncodeString's alphabet: no vowels, no confusable characters. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** safeEncodeString maps every UTF-8 byte of s onto SAFE_ALPHABET, as rand.SafeEncodeString does. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += SAFE_ALPHABET[b % SAFE_ALPHABET.length];
  return out;
}

/** fnv32a is FNV-1a (32 bit, unsigned) of bytes, continuing from seed (default: the offset basis). */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** jsonHash is fnv32a of value's JSON (undefined and null hash as `{}`), its decimal digits safe-encoded. */
export function jsonHash(value: unknown): string {
  return safeEncodeString(String(fnv32a(Buffer.from(JSON.stringify(value ?? {})))));
}
