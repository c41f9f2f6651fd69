import { errors } from '../../api/errors.js';

/** WireType is the protobuf wire type carried in the low three bits of a tag. */
export const WireType = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/** WireField is one decoded tag plus its raw payload: a varint as bigint, or a byte slice. */
export type WireField =
  | { num: number; wire: 0; value: bigint }
  | { num: number; wire: 2; value: Uint8Array }
  | { num: number; wire: 1 | 5; value: Uint8Array };

/**
 * WireReader walks the fields of one protobuf message. Every malformed input
 * (truncated varint or length, group wire types) throws a 400 BadRequest StatusError.
 */
export class WireReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array, private readonly what: string) {}

  /** done reports whether every byte has been consumed. */
  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** next reads the next field; call only while !done. */
  next(): WireField {
    const tag = this.varint();
    const num = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (num === 0) throw this.malformed('field number 0');
    switch (wire) {
      case 0:
        return { num, wire, value: this.varint() };
      case 2: {
        const len = this.varint();
        return { num, wire, value: this.take(len) };
      }
      case 1:
        return { num, wire, value: this.take(8n) };
      case 5:
        return { num, wire, value: this.take(4n) };
      default:
        throw this.malformed(`unsupported wire type ${wire} for field ${num}`);
    }
  }

  /** varint reads one base-128 varint (at most 10 bytes) as an unsigned 64-bit bigint. */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.buf[this.pos];
      if (b === undefined) throw this.malformed('truncated varint');
      this.pos++;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw this.malformed('varint longer than 10 bytes');
  }

  private take(len: bigint): Uint8Array {
    const end = this.pos + Number(len);
    if (len > BigInt(this.buf.length) || end > this.buf.length) throw this.malformed('truncated length-delimited field');
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  private malformed(why: string): Error {
    return errors.badRequest(`malformed protobuf in ${this.what}: ${why}`);
  }
}

/** readPackedVarints splits a packed repeated scalar payload into its varints. */
export function readPackedVarints(bytes: Uint8Array, what: string): bigint[] {
  const r = new WireReader(bytes, what);
  const out: bigint[] = [];
  while (!r.done) out.push(r.varint());
  return out;
}
