import { DEFINITION_REF_PREFIX, reachableDefinitions, type Definitions } from './definitions.js';
import type { Operation, Param, PathEntry } from './operations.js';

/** RESPONSE_TEXT is the description kube-apiserver gives each status code. */
export const RESPONSE_TEXT: Readonly<Record<string, string>> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '401': 'Unauthorized' };

/** SwaggerDocument is the JSON form of an OpenAPI v2 document (only what we emit). */
export type SwaggerDocument = Record<string, unknown> & { paths: Record<string, Record<string, unknown>>; definitions: Definitions };

/**
 * buildSwagger renders paths into a swagger 2.0 document titled "Kubernetes" whose definitions are
 * those the operations refer to, transitively.
 */
export function buildSwagger(paths: PathEntry[], defs: Definitions, gitVersion: string): SwaggerDocument {
  const out: Record<string, Record<string, unknown>> = {};
  const roots = new Set<string>();
  for (const p of paths) {
    const item: Record<string, unknown> = { parameters: p.params.map(v2Param) };
    for (const o of p.ops) {
      item[o.method] = v2Operation(o);
      for (const r of Object.values(o.responses)) if (r !== '') roots.add(r);
      for (const prm of o.params) if (prm.schema !== undefined) roots.add(prm.schema);
    }
    out[p.path] = item;
  }
  const definitions: Definitions = {};
  for (const name of [...reachableDefinitions(defs, roots)].sort()) {
    const d = defs[name];
    if (d !== undefined) definitions[name] = d;
  }
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: gitVersion },
    paths: out,
    definitions,
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
}

function v2Operation(o: Operation): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [code, def] of Object.entries(o.responses)) {
    responses[code] = def === '' ? { description: RESPONSE_TEXT[code] ?? code } : { description: RESPONSE_TEXT[code] ?? code, schema: { $ref: DEFINITION_REF_PREFIX + def } };
  }
  return {
    consumes: o.consumes,
    description: o.description,
    operationId: o.operationId,
    parameters: o.params.map(v2Param),
    produces: o.produces,
    responses,
    schemes: ['https'],
    tags: [o.tag],
    'x-kubernetes-action': o.action,
    'x-kubernetes-group-version-kind': o.gvk,
  };
}

/** v2Param renders one parameter: body parameters carry a schema, the others a primitive type. */
export function v2Param(p: Param): Record<string, unknown> {
  if (p.in === 'body') {
    // A kind without a definition (no schema known) takes any object.
    const schema = p.schema ? { $ref: DEFINITION_REF_PREFIX + p.schema } : { type: 'object' };
    const out: Record<string, unknown> = { in: 'body', name: p.name, schema };
    if (p.required) out['required'] = true;
    return out;
  }
  const out: Record<string, unknown> = { uniqueItems: true, type: p.type, description: p.description, name: p.name, in: p.in };
  if (p.required) out['required'] = true;
  return out;
}
