/**
 * Compact message tables. Each MessageTable maps a message name to a comma-separated list of
 * fields written `jsonName number type`. Field numbers and types are protocol facts taken from the
 * Kubernetes generated.proto files. Type syntax:
 *   s string, b bool, i32 int32, i64 int64, y bytes (JSON: base64);
 *   a message name, resolved in the same package, then meta/v1, then core/v1 (`pkg/ver.Name` to qualify);
 *   a special type: Time, MicroTime, Quantity, IntOrString, FieldsV1, RawExtension, StringList;
 *   `[T]` repeated, `{T}` map<string, T>, a leading `^` inlines the message's fields into the parent
 *   (Go `json:",inline"`), a trailing `?` marks a Go pointer scalar whose zero value is kept.
 */
export type MessageTable = Readonly<Record<string, string>>;

/** SPECIAL_TYPES are message types with a custom JSON form (see values.ts). */
export const SPECIAL_TYPES = [
  'Time',
  'MicroTime',
  'Quantity',
  'IntOrString',
  'FieldsV1',
  'RawExtension',
  'StringList',
] as const;

/** SpecialType names one of SPECIAL_TYPES. */
export type SpecialType = (typeof SPECIAL_TYPES)[number];

/** ScalarType is a protobuf scalar as used by Kubernetes types. */
export type ScalarType = 's' | 'b' | 'i32' | 'i64' | 'y';

/** ValueType is what one field (or one repeated element or map value) holds. */
export type ValueType =
  | { kind: 'scalar'; scalar: ScalarType }
  | { kind: 'special'; special: SpecialType }
  | { kind: 'message'; pkg: string; name: string };

/** FieldSpec describes one field of a message. */
export interface FieldSpec {
  name: string;
  num: number;
  type: ValueType;
  repeated: boolean;
  map: boolean;
  inline: boolean;
  pointer: boolean;
}

/** MessageSpec is a parsed message: its package id (e.g. `apps/v1`), name and fields by number. */
export interface MessageSpec {
  pkg: string;
  name: string;
  fields: ReadonlyMap<number, FieldSpec>;
}

const SCALARS: ReadonlySet<string> = new Set(['s', 'b', 'i32', 'i64', 'y']);
const SPECIALS: ReadonlySet<string> = new Set(SPECIAL_TYPES);
const FIELD_RE = /^(\w+) (\d+) (\^?)([[{]?)([\w/.]+)[\]}]?(\??)$/;

/** SchemaRegistry resolves messages of every package; build it once from the message tables. */
export class SchemaRegistry {
  private readonly messages = new Map<string, MessageSpec>();

  /** constructor parses every table; it throws on a malformed spec or an unresolvable type. */
  constructor(packages: Readonly<Record<string, MessageTable>>) {
    for (const [pkg, table] of Object.entries(packages)) {
      for (const [name, spec] of Object.entries(table)) {
        this.messages.set(`${pkg}.${name}`, { pkg, name, fields: parseFields(pkg, name, spec) });
      }
    }
    for (const msg of this.messages.values()) {
      for (const f of msg.fields.values()) {
        if (f.type.kind === 'message') f.type = this.resolve(msg.pkg, f.type.name);
      }
    }
  }

  /** message returns the message `name` of package `pkg`, if known. */
  message(pkg: string, name: string): MessageSpec | undefined {
    return this.messages.get(`${pkg}.${name}`);
  }

  /** size is the number of known messages. */
  get size(): number {
    return this.messages.size;
  }

  private resolve(pkg: string, ref: string): ValueType {
    const dot = ref.lastIndexOf('.');
    const candidates = dot > 0 ? [ref] : [pkg, 'meta/v1', 'core/v1'].map((p) => `${p}.${ref}`);
    for (const key of candidates) {
      const found = this.messages.get(key);
      if (found) return { kind: 'message', pkg: found.pkg, name: found.name };
    }
    throw new Error(`protobuf schema: ${pkg} refers to unknown message ${ref}`);
  }
}

function parseFields(pkg: string, msg: string, spec: string): Map<number, FieldSpec> {
  const fields = new Map<number, FieldSpec>();
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const m = FIELD_RE.exec(item);
    if (!m) throw new Error(`protobuf schema: bad field "${item}" in ${pkg}.${msg}`);
    const [, name = '', num = '', inline, open, type = '', pointer] = m;
    fields.set(Number(num), {
      name,
      num: Number(num),
      type: valueType(type),
      repeated: open === '[',
      map: open === '{',
      inline: inline === '^',
      pointer: pointer === '?',
    });
  }
  return fields;
}

function valueType(t: string): ValueType {
  if (SCALARS.has(t)) return { kind: 'scalar', scalar: t as ScalarType };
  if (SPECIALS.has(t)) return { kind: 'special', special: t as SpecialType };
  return { kind: 'message', pkg: '', name: t };
}
