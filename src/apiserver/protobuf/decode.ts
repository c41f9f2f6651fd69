import { errors } from '../../api/errors.js';
import type { FieldSpec, MessageSpec, SchemaRegistry, ValueType } from './schema.js';
import { decodeSpecial, decodeString, toBase64 } from './values.js';
import { readPackedVarints, WireReader, type WireField } from './wire.js';

type JSONObject = Record<string, unknown>;

/**
 * decodeMessage turns the protobuf payload of `msg` into the JSON object Go's encoding/json
 * would produce for the decoded struct: zero-valued non-pointer scalars are omitted, pointer
 * scalars present on the wire are kept even when zero, nested messages present on the wire are
 * emitted (possibly as `{}`). An unknown field number is a 400 BadRequest naming message and field.
 */
export function decodeMessage(registry: SchemaRegistry, msg: MessageSpec, bytes: Uint8Array): JSONObject {
  const what = `${msg.pkg}.${msg.name}`;
  const out: JSONObject = {};
  const reader = new WireReader(bytes, what);
  while (!reader.done) {
    const wf = reader.next();
    const field = msg.fields.get(wf.num);
    if (!field) throw errors.badRequest(`unknown field number ${wf.num} in protobuf message ${what}`);
    applyField(registry, out, field, wf, `${what}.${field.name}`);
  }
  return out;
}

function applyField(registry: SchemaRegistry, out: JSONObject, field: FieldSpec, wf: WireField, what: string): void {
  if (field.map) {
    const [key, value] = decodeMapEntry(registry, field.type, bytesOf(wf, what), what);
    const obj = (out[field.name] ??= {}) as JSONObject;
    // defineProperty: a map key such as "__proto__" must stay an ordinary own property.
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
    return;
  }
  if (field.repeated) {
    const arr = (out[field.name] ??= []) as unknown[];
    if (field.type.kind === 'scalar' && field.type.scalar !== 's' && field.type.scalar !== 'y' && wf.wire === 2) {
      const scalar = field.type.scalar;
      for (const v of readPackedVarints(wf.value, what)) arr.push(varintValue(scalar, v));
      return;
    }
    arr.push(decodeValue(registry, field.type, wf, what));
    return;
  }
  const value = decodeValue(registry, field.type, wf, what);
  if (field.inline) {
    Object.assign(out, value);
    return;
  }
  if (field.type.kind === 'scalar' && !field.pointer && isZero(value)) {
    delete out[field.name]; // Go omitempty: a zero value type is not written
    return;
  }
  out[field.name] = value;
}

function decodeValue(registry: SchemaRegistry, type: ValueType, wf: WireField, what: string): unknown {
  switch (type.kind) {
    case 'scalar':
      if (type.scalar === 's') return decodeString(bytesOf(wf, what));
      if (type.scalar === 'y') return toBase64(bytesOf(wf, what));
      if (wf.wire !== 0) throw wireMismatch(wf, what);
      return varintValue(type.scalar, wf.value);
    case 'special':
      return decodeSpecial(type.special, bytesOf(wf, what), what);
    case 'message': {
      const msg = registry.message(type.pkg, type.name);
      if (!msg) throw errors.internal(`protobuf schema lacks ${type.pkg}.${type.name}`);
      return decodeMessage(registry, msg, bytesOf(wf, what));
    }
  }
}

function decodeMapEntry(registry: SchemaRegistry, type: ValueType, bytes: Uint8Array, what: string): [string, unknown] {
  const reader = new WireReader(bytes, what);
  let key = '';
  let value: unknown = zeroOf(type);
  while (!reader.done) {
    const wf = reader.next();
    if (wf.num === 1) key = decodeString(bytesOf(wf, what));
    else if (wf.num === 2) value = decodeValue(registry, type, wf, what);
    else throw errors.badRequest(`unknown field number ${wf.num} in protobuf map entry ${what}`);
  }
  return [key, value];
}

/** zeroOf is the JSON form of a map value that is absent from its entry. */
function zeroOf(type: ValueType): unknown {
  if (type.kind === 'scalar') return type.scalar === 'b' ? false : type.scalar === 's' || type.scalar === 'y' ? '' : 0;
  if (type.kind === 'special') return type.special === 'Quantity' ? '0' : type.special === 'StringList' ? [] : null;
  return {};
}

function varintValue(scalar: 'b' | 'i32' | 'i64' | 's' | 'y', v: bigint): boolean | number {
  if (scalar === 'b') return v !== 0n;
  return Number(BigInt.asIntN(scalar === 'i32' ? 32 : 64, v));
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

function bytesOf(wf: WireField, what: string): Uint8Array {
  if (wf.wire !== 2) throw wireMismatch(wf, what);
  return wf.value;
}

function wireMismatch(wf: WireField, what: string): Error {
  return errors.badRequest(`malformed protobuf in ${what}: field ${wf.num} has unexpected wire type ${wf.wire}`);
}
