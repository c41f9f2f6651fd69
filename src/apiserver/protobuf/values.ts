import { errors } from '../../api/errors.js';
import type { SpecialType } from './schema.js';
import { WireReader, type WireField } from './wire.js';

const utf8 = new TextDecoder();

/** decodeString reads a protobuf string payload as UTF-8. */
export function decodeString(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** decodeSpecial turns the payload of a special message (Time, Quantity, ...) into its JSON value. */
export function decodeSpecial(special: SpecialType, bytes: Uint8Array, what: string): unknown {
  const fields = readAll(bytes, `${what} (${special})`);
  switch (special) {
    case 'Time':
    case 'MicroTime':
      return decodeTime(special, fields, what);
    case 'Quantity':
      // A zero resource.Quantity marshals to JSON "0".
      return str(fields, 1) || '0';
    case 'IntOrString':
      return decodeIntOrString(fields, what);
    case 'FieldsV1':
    case 'RawExtension':
      return parseRawJSON(special, fields, what);
    case 'StringList':
      return fields.filter((f) => f.num === 1).map((f) => decodeString(payload(f, what)));
  }
}

function readAll(bytes: Uint8Array, what: string): WireField[] {
  const r = new WireReader(bytes, what);
  const out: WireField[] = [];
  while (!r.done) out.push(r.next());
  return out;
}

function payload(f: WireField, what: string): Uint8Array {
  if (f.wire !== 2) throw errors.badRequest(`malformed protobuf in ${what}: field ${f.num} has wire type ${f.wire}`);
  return f.value;
}

function last(fields: WireField[], num: number): WireField | undefined {
  return fields.filter((f) => f.num === num).pop();
}

function str(fields: WireField[], num: number): string {
  const f = last(fields, num);
  return f && f.wire === 2 ? decodeString(f.value) : '';
}

function int(fields: WireField[], num: number, bits: 32 | 64): number {
  const f = last(fields, num);
  return f && f.wire === 0 ? Number(BigInt.asIntN(bits, f.value)) : 0;
}

/** decodeTime renders metav1.Time (second precision) or MicroTime (microseconds) as RFC 3339 UTC. */
function decodeTime(special: 'Time' | 'MicroTime', fields: WireField[], what: string): string | null {
  if (fields.length === 0) return null; // zero time marshals to an empty message; Go JSON writes null
  checkKnown(fields, [1, 2], `${what} (${special})`);
  const seconds = int(fields, 1, 64);
  const nanos = int(fields, 2, 32);
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) throw errors.badRequest(`malformed protobuf in ${what}: time out of range`);
  const base = date.toISOString().slice(0, 19);
  // metav1.Time drops nanos on decode; MicroTime keeps microseconds.
  if (special === 'Time') return `${base}Z`;
  return `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

function decodeIntOrString(fields: WireField[], what: string): number | string {
  checkKnown(fields, [1, 2, 3], `${what} (IntOrString)`);
  return int(fields, 1, 64) === 1 ? str(fields, 3) : int(fields, 2, 32);
}

function parseRawJSON(special: 'FieldsV1' | 'RawExtension', fields: WireField[], what: string): unknown {
  checkKnown(fields, [1], `${what} (${special})`);
  const raw = str(fields, 1);
  if (raw === '') return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw errors.badRequest(`${what}: ${special} does not hold JSON`);
  }
}

function checkKnown(fields: WireField[], known: number[], what: string): void {
  for (const f of fields) {
    if (!known.includes(f.num)) throw errors.badRequest(`unknown field number ${f.num} in protobuf message ${what}`);
  }
}

/** toBase64 renders a bytes field the way Go's encoding/json renders []byte. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
