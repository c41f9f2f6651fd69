import { readFileSync } from 'node:fs';

/**
 * JsonSchema is one OpenAPI v2 schema object as written to definitions.json (the subset the
 * generator emits: types, formats, refs, descriptions and x-kubernetes-* extensions).
 */
export interface JsonSchema {
  description?: string;
  type?: string;
  format?: string;
  $ref?: string;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema;
  items?: JsonSchema;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
}

/** GroupVersionKind as it appears in x-kubernetes-group-version-kind. */
export interface GroupVersionKind {
  group: string;
  kind: string;
  version: string;
}

/** Definitions maps definition names (io.k8s.api.apps.v1.Deployment) to schemas. */
export type Definitions = Record<string, JsonSchema>;

/** DEFINITION_REF_PREFIX is how v2 documents refer to definitions. */
export const DEFINITION_REF_PREFIX = '#/definitions/';

/** refName returns the definition name a `$ref` points at. */
export function refName(ref: string): string {
  return ref.startsWith(DEFINITION_REF_PREFIX) ? ref.slice(DEFINITION_REF_PREFIX.length) : ref;
}

/**
 * defaultDefinitionsPath is dist/openapi/definitions.json, found relative to this compiled module
 * (dist/src/apiserver/openapi/definitions.js), where scripts/gen-openapi.mjs writes it.
 */
export function defaultDefinitionsPath(): URL {
  return new URL('../../../openapi/definitions.json', import.meta.url);
}

/** loadDefinitions reads and parses definitions.json; it throws when the file is missing or malformed. */
export function loadDefinitions(path: URL | string = defaultDefinitionsPath()): Definitions {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`openapi definitions at ${String(path)} are not a JSON object`);
  }
  // The file is produced by our own generator; its shape is trusted past this check.
  return parsed as Definitions;
}

/** gvkOf returns the group-version-kinds a definition declares. */
export function gvkOf(schema: JsonSchema | undefined): GroupVersionKind[] {
  return schema?.['x-kubernetes-group-version-kind'] ?? [];
}

/** reachableDefinitions returns the names of the given definitions and all they refer to, transitively. */
export function reachableDefinitions(defs: Definitions, roots: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const name = stack.pop();
    if (name === undefined || seen.has(name) || defs[name] === undefined) continue;
    seen.add(name);
    collectRefs(defs[name], stack);
  }
  return seen;
}

function collectRefs(s: JsonSchema, out: string[]): void {
  if (s.$ref !== undefined) out.push(refName(s.$ref));
  for (const p of Object.values(s.properties ?? {})) collectRefs(p, out);
  if (s.items) collectRefs(s.items, out);
  if (s.additionalProperties) collectRefs(s.additionalProperties, out);
}
