import { CompactedError, FutureRevisionError, ValueTooLargeError } from '../backend.js';

/** defaultMaxValueBytes is the largest value a driver accepts unless told otherwise (etcd's 1.5 MiB request limit). */
export const defaultMaxValueBytes = 1.5 * 1024 * 1024;

/** assertValueSize throws ValueTooLargeError when value is longer than limit bytes. */
export function assertValueSize(value: Uint8Array, limit: number): void {
  if (value.byteLength > limit) throw new ValueTooLargeError(value.byteLength, limit);
}

/**
 * readRevision resolves the revision a read is served at: 0/absent means current; a revision
 * below compacted throws CompactedError, one above current throws FutureRevisionError.
 */
export function readRevision(requested: number | undefined, current: number, compacted: number): number {
  if (requested === undefined || requested <= 0) return current;
  if (requested > current) throw new FutureRevisionError(requested, current);
  if (requested < compacted) throw new CompactedError(requested, compacted);
  return requested;
}

/** assertWatchable throws CompactedError when a watch after afterRevision would miss compacted events. */
export function assertWatchable(afterRevision: number, compacted: number): void {
  if (afterRevision < compacted) throw new CompactedError(afterRevision, compacted);
}

/** closedError is the error every call on a closed backend fails with. */
export function closedError(): Error {
  return new Error('storage backend is closed');
}

/**
 * prefixEnd returns the smallest string above every string that starts with prefix, in code point
 * order (which is also UTF-8 byte order, SQLite's BINARY collation). Undefined for "" (no bound).
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop() ?? '';
    const cp = last.codePointAt(0) ?? 0;
    if (cp < 0x10ffff) {
      // Skip the surrogate block: those code points cannot appear in valid UTF-8.
      const next = cp === 0xd7ff ? 0xe000 : cp + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}
