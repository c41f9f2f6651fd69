/**
 * Test-only protobuf encoder: builds Kubernetes protobuf bodies field by field so tests can feed
 * decodeKubeProtobuf hand-made messages. Not used by the server.
 */

/** Part is one encoded field. */
export type Part = Uint8Array;

function varintBytes(v: bigint): number[] {
  let n = BigInt.asUintN(64, v);
  const out: number[] = [];
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n !== 0n) b |= 0x80;
    out.push(b);
  } while (n !== 0n);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** varint encodes field `num` as a varint (ints, bools; negative numbers as 64-bit two's complement). */
export function varint(num: number, v: number | bigint | boolean): Part {
  const value = typeof v === 'boolean' ? (v ? 1n : 0n) : BigInt(v);
  return Uint8Array.from([...varintBytes(BigInt(num) << 3n), ...varintBytes(value)]);
}

/** bytes encodes field `num` as length-delimited raw bytes. */
export function bytes(num: number, b: Uint8Array): Part {
  return concat([Uint8Array.from(varintBytes((BigInt(num) << 3n) | 2n)), Uint8Array.from(varintBytes(BigInt(b.length))), b]);
}

/** str encodes field `num` as a UTF-8 string. */
export function str(num: number, s: string): Part {
  return bytes(num, new TextEncoder().encode(s));
}

/** msg encodes field `num` as an embedded message made of `parts`. */
export function msg(num: number, ...parts: Part[]): Part {
  return bytes(num, concat(parts));
}

/** entry encodes one map<string, string> entry of field `num`. */
export function entry(num: number, key: string, value: string | Part): Part {
  return msg(num, str(1, key), typeof value === 'string' ? str(2, value) : value);
}

/** body wraps the object message `parts` in the `k8s\0` + runtime.Unknown envelope. */
export function body(apiVersion: string, kind: string, ...parts: Part[]): Uint8Array {
  const unknown = concat([msg(1, str(1, apiVersion), str(2, kind)), bytes(2, concat(parts))]);
  return concat([Uint8Array.from([0x6b, 0x38, 0x73, 0x00]), unknown]);
}
