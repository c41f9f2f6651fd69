import { errors } from '../../api/errors.js';
import { decodeMessage } from './decode.js';
import { KINDS, META_KINDS, PACKAGES, packageOf } from './packages.js';
import { SchemaRegistry, type MessageSpec } from './schema.js';
import { decodeString } from './values.js';
import { WireReader } from './wire.js';

/** PROTOBUF_CONTENT_TYPE is the media type of Kubernetes protobuf bodies. */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** MAGIC prefixes every Kubernetes protobuf body ("k8s" and a zero byte). */
const MAGIC = [0x6b, 0x38, 0x73, 0x00] as const;

// Parsed once: the tables are constants, so this is a constant too.
const registry = new SchemaRegistry(PACKAGES);

/** Envelope is the runtime.Unknown message that wraps every protobuf body. */
interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
}

/**
 * decodeKubeProtobuf turns a Kubernetes protobuf body into its JSON form ({apiVersion, kind, ...});
 * throws StatusError (src/api/errors.ts) 400 BadRequest for malformed input, 415 UnsupportedMediaType
 * naming the kind when its schema is not known.
 */
export function decodeKubeProtobuf(body: Uint8Array): Record<string, unknown> {
  if (body.length < MAGIC.length || MAGIC.some((b, i) => body[i] !== b)) {
    throw errors.badRequest('the protobuf body does not start with the Kubernetes "k8s\\x00" prefix');
  }
  const env = readEnvelope(body.subarray(MAGIC.length));
  if (env.contentEncoding !== '') {
    throw errors.unsupportedMediaType(`protobuf content encoding "${env.contentEncoding}" is not supported`);
  }
  const msg = messageFor(env.apiVersion, env.kind);
  if (!msg) {
    throw errors.unsupportedMediaType(
      `the server cannot decode kind "${env.kind}" of apiVersion "${env.apiVersion}" from protobuf; send application/json`,
    );
  }
  return { apiVersion: env.apiVersion, kind: env.kind, ...decodeMessage(registry, msg, env.raw) };
}

/** isProtobufContentType reports whether a Content-Type header names the Kubernetes protobuf media type. */
export function isProtobufContentType(contentType: string): boolean {
  return contentType.split(';')[0]?.trim().toLowerCase() === PROTOBUF_CONTENT_TYPE;
}

/** protobufKinds lists the `apiVersion/kind` pairs decodeKubeProtobuf understands. */
export function protobufKinds(): string[] {
  return Object.entries(KINDS).flatMap(([av, kinds]) => kinds.map((k) => `${av}/${k}`));
}

function messageFor(apiVersion: string, kind: string): MessageSpec | undefined {
  if (META_KINDS.includes(kind)) return registry.message('meta/v1', kind);
  if (!KINDS[apiVersion]?.includes(kind)) return undefined;
  return registry.message(packageOf(apiVersion), kind);
}

function readEnvelope(bytes: Uint8Array): Envelope {
  const env: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '' };
  const reader = new WireReader(bytes, 'runtime.Unknown');
  while (!reader.done) {
    const f = reader.next();
    if (f.wire !== 2) throw errors.badRequest(`malformed protobuf in runtime.Unknown: field ${f.num} is not length-delimited`);
    if (f.num === 1) readTypeMeta(f.value, env);
    else if (f.num === 2) env.raw = f.value;
    else if (f.num === 3) env.contentEncoding = decodeString(f.value);
    else if (f.num !== 4) throw errors.badRequest(`unknown field number ${f.num} in protobuf message runtime.Unknown`);
  }
  if (env.kind === '') throw errors.badRequest('the protobuf body does not name a kind');
  return env;
}

function readTypeMeta(bytes: Uint8Array, env: Envelope): void {
  const reader = new WireReader(bytes, 'runtime.TypeMeta');
  while (!reader.done) {
    const f = reader.next();
    if (f.wire !== 2) throw errors.badRequest(`malformed protobuf in runtime.TypeMeta: field ${f.num} is not length-delimited`);
    if (f.num === 1) env.apiVersion = decodeString(f.value);
    else if (f.num === 2) env.kind = decodeString(f.value);
    else throw errors.badRequest(`unknown field number ${f.num} in protobuf message runtime.TypeMeta`);
  }
}
