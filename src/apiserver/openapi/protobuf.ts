import protobuf from 'protobufjs';
import type { JsonSchema } from './definitions.js';
import { GNOSTIC_V2_PROTO } from './gnostic_proto.js';
import type { SwaggerDocument } from './v2.js';

/**
 * PROTOBUF_V2_CONTENT_TYPE is the Content-Type of the protobuf /openapi/v2 response. kubectl asks
 * with `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`, but the '@' form is
 * not a valid media type for Go's mime parser, so (like kube-apiserver) the reply uses '.'.
 */
export const PROTOBUF_V2_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

type Msg = Record<string, unknown>;

/** gnosticDocumentType parses the gnostic schema and returns the openapi.v2.Document message type. */
export function gnosticDocumentType(): protobuf.Type {
  const { root } = protobuf.parse(GNOSTIC_V2_PROTO, { keepCase: true });
  return root.lookupType('openapi.v2.Document');
}

/**
 * encodeSwaggerProtobuf encodes a swagger document (as built by buildSwagger) as gnostic's
 * openapi.v2.Document. Vendor extensions become NamedAny entries whose Any.yaml holds the value
 * as JSON text (valid YAML), which is how kubectl reads x-kubernetes-group-version-kind.
 */
export function encodeSwaggerProtobuf(doc: SwaggerDocument, type: protobuf.Type = gnosticDocumentType()): Buffer {
  const message: Msg = {
    swagger: doc['swagger'],
    info: doc['info'],
    paths: { path: Object.entries(doc.paths).map(([name, item]) => ({ name, value: pathItem(item) })) },
    definitions: { additional_properties: Object.entries(doc.definitions).map(([name, s]) => ({ name, value: schema(s) })) },
    security_definitions: {
      additional_properties: [{ name: 'BearerToken', value: { api_key_security: { type: 'apiKey', name: 'authorization', in: 'header', description: 'Bearer Token authentication' } } }],
    },
    security: [{ additional_properties: [{ name: 'BearerToken', value: { value: [] } }] }],
  };
  return Buffer.from(type.encode(message).finish());
}

function schema(s: JsonSchema): Msg {
  const out: Msg = {};
  if (s.$ref !== undefined) out['_ref'] = s.$ref;
  if (s.format !== undefined) out['format'] = s.format;
  if (s.description !== undefined) out['description'] = s.description;
  if (s.required !== undefined) out['required'] = s.required;
  if (s.additionalProperties !== undefined) out['additional_properties'] = { schema: schema(s.additionalProperties) };
  if (s.type !== undefined) out['type'] = { value: [s.type] };
  if (s.items !== undefined) out['items'] = { schema: [schema(s.items)] };
  if (s.properties !== undefined) {
    out['properties'] = { additional_properties: Object.entries(s.properties).map(([name, p]) => ({ name, value: schema(p) })) };
  }
  const ext = vendorExtensions(s);
  if (ext.length > 0) out['vendor_extension'] = ext;
  return out;
}

function vendorExtensions(o: object): Msg[] {
  return Object.entries(o)
    .filter(([k]) => k.startsWith('x-'))
    .map(([name, v]) => ({ name, value: { yaml: `${JSON.stringify(v)}\n` } }));
}

function pathItem(item: Record<string, unknown>): Msg {
  const out: Msg = { parameters: params(item['parameters']) };
  for (const m of ['get', 'put', 'post', 'delete', 'patch']) {
    const op = item[m];
    if (isMsg(op)) out[m] = operation(op);
  }
  return out;
}

function operation(op: Msg): Msg {
  const responses: Msg[] = [];
  for (const [code, r] of Object.entries(isMsg(op['responses']) ? op['responses'] : {})) {
    if (!isMsg(r)) continue;
    const response: Msg = { description: r['description'] };
    if (isMsg(r['schema'])) response['schema'] = { schema: schema(asSchema(r['schema'])) };
    responses.push({ name: code, value: { response } });
  }
  return {
    tags: op['tags'],
    description: op['description'],
    operation_id: op['operationId'],
    produces: op['produces'],
    consumes: op['consumes'],
    parameters: params(op['parameters']),
    responses: { response_code: responses },
    schemes: op['schemes'],
    vendor_extension: vendorExtensions(op),
  };
}

function params(list: unknown): Msg[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isMsg).map((p) => {
    if (p['in'] === 'body') {
      const body: Msg = { name: p['name'], in: 'body', required: p['required'] === true };
      if (isMsg(p['schema'])) body['schema'] = schema(asSchema(p['schema']));
      return { parameter: { body_parameter: body } };
    }
    const sub: Msg = { required: p['required'] === true, in: p['in'], description: p['description'], name: p['name'], type: p['type'], unique_items: true };
    const key = p['in'] === 'path' ? 'path_parameter_sub_schema' : 'query_parameter_sub_schema';
    return { parameter: { non_body_parameter: { [key]: sub } } };
  });
}

function isMsg(v: unknown): v is Msg {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** asSchema: schemas inside our own swagger documents are JsonSchema objects by construction. */
function asSchema(m: Msg): JsonSchema {
  return m as JsonSchema;
}
