import { DEFINITION_REF_PREFIX, reachableDefinitions, type Definitions, type JsonSchema } from './definitions.js';
import type { Operation, Param, PathEntry } from './operations.js';
import { RESPONSE_TEXT } from './v2.js';

const SCHEMA_REF_PREFIX = '#/components/schemas/';

/**
 * buildGroupVersionV3 renders the paths of one group-version as an OpenAPI 3.0.0 document whose
 * components.schemas hold the definitions those paths refer to, transitively. Properties that
 * point at another schema are wrapped in allOf so their own description survives (as upstream).
 */
export function buildGroupVersionV3(paths: PathEntry[], defs: Definitions, gitVersion: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const roots = new Set<string>();
  for (const p of paths) {
    const item: Record<string, unknown> = { parameters: p.params.map(v3Param) };
    for (const o of p.ops) {
      item[o.method] = v3Operation(o);
      for (const r of Object.values(o.responses)) if (r !== '') roots.add(r);
      for (const prm of o.params) if (prm.schema !== undefined && prm.schema !== '') roots.add(prm.schema);
    }
    out[p.path] = item;
  }
  const schemas: Record<string, unknown> = {};
  for (const name of [...reachableDefinitions(defs, roots)].sort()) {
    const d = defs[name];
    if (d !== undefined) schemas[name] = v3Schema(d);
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: gitVersion },
    paths: out,
    components: { schemas, securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } } },
  };
}

/** v3Schema converts a v2 schema: refs move to components/schemas; ref properties become allOf. */
function v3Schema(s: JsonSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'properties' && s.properties) {
      out[k] = Object.fromEntries(Object.entries(s.properties).map(([n, p]) => [n, v3Schema(p)]));
    } else if ((k === 'items' || k === 'additionalProperties') && typeof v === 'object' && v !== null) {
      out[k] = v3Schema(v as JsonSchema);
    } else if (k !== '$ref') {
      out[k] = v;
    }
  }
  if (s.$ref !== undefined) {
    const ref = { $ref: SCHEMA_REF_PREFIX + s.$ref.slice(DEFINITION_REF_PREFIX.length) };
    if (Object.keys(out).length === 0) return ref;
    out['allOf'] = [ref];
  }
  return out;
}

function v3Operation(o: Operation): Record<string, unknown> {
  const op: Record<string, unknown> = {
    tags: [o.tag],
    description: o.description,
    operationId: o.operationId,
    parameters: o.params.filter((p) => p.in !== 'body').map(v3Param),
  };
  const body = o.params.find((p) => p.in === 'body');
  if (body) {
    const schema = body.schema ? { $ref: SCHEMA_REF_PREFIX + body.schema } : { type: 'object' };
    const content = Object.fromEntries(o.consumes.map((c) => [c, { schema }]));
    op['requestBody'] = body.required ? { content, required: true } : { content };
  }
  const responses: Record<string, unknown> = {};
  for (const [code, def] of Object.entries(o.responses)) {
    const description = RESPONSE_TEXT[code] ?? code;
    responses[code] = def === '' ? { description } : { description, content: Object.fromEntries(o.produces.map((c) => [c, { schema: { $ref: SCHEMA_REF_PREFIX + def } }])) };
  }
  op['responses'] = responses;
  op['x-kubernetes-action'] = o.action;
  op['x-kubernetes-group-version-kind'] = o.gvk;
  return op;
}

function v3Param(p: Param): Record<string, unknown> {
  const out: Record<string, unknown> = { name: p.name, in: p.in, description: p.description, schema: { type: p.type, uniqueItems: true } };
  if (p.required) out['required'] = true;
  return out;
}
