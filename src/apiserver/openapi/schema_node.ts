import type { SchemaLookup, SchemaNode } from '../schema_types.js';
import { gvkOf, refName, type Definitions, type JsonSchema } from './definitions.js';

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** QUANTITY_FORMAT marks resource.Quantity nodes: a string or a number is accepted. */
export const QUANTITY_FORMAT = 'quantity';

const DEFINITION_NAME = Symbol('definitionName');

/** definitionNameOf returns the definition a node was built from by SchemaNodes (also for property wrappers of it). */
export function definitionNameOf(node: SchemaNode): string | undefined {
  const v: unknown = (node as { [DEFINITION_NAME]?: unknown })[DEFINITION_NAME];
  return typeof v === 'string' ? v : undefined;
}

/** nameNode records a node's definition as a hidden (non-enumerable, not spread-copied) property. */
function nameNode(node: SchemaNode, name: string): void {
  Object.defineProperty(node, DEFINITION_NAME, { value: name, enumerable: false });
}

/**
 * SchemaNodes converts definitions into SchemaNode trees on demand. Each definition becomes one
 * node, built once and shared; recursive types (JSONSchemaProps) therefore form object cycles,
 * so walk a SchemaNode along data, never exhaustively. definitionNameOf tells which definition a
 * node came from (for Go-style type names in messages).
 */
export class SchemaNodes implements SchemaLookup {
  readonly #defs: Definitions;
  readonly #nodes = new Map<string, SchemaNode>();
  #byGvk: Map<string, string> | undefined;

  constructor(defs: Definitions) {
    this.#defs = defs;
  }

  /** forKind returns the schema of a top-level kind, or undefined when no definition declares it. */
  forKind(group: string, version: string, kind: string): SchemaNode | undefined {
    if (this.#byGvk === undefined) {
      this.#byGvk = new Map();
      for (const [name, def] of Object.entries(this.#defs)) {
        for (const g of gvkOf(def)) this.#byGvk.set(`${g.group}/${g.version}/${g.kind}`, name);
      }
    }
    const name = this.#byGvk.get(`${group}/${version}/${kind}`);
    return name === undefined ? undefined : this.definition(name);
  }

  /** definition returns the node of a named definition, or undefined if there is none. */
  definition(name: string): SchemaNode | undefined {
    const cached = this.#nodes.get(name);
    if (cached) return cached;
    const def = this.#defs[name];
    if (def === undefined) return undefined;
    const node: SchemaNode = {};
    // Registered before its properties are converted, so self-references find it.
    this.#nodes.set(name, node);
    nameNode(node, name);
    return this.#convert(def, name, node);
  }

  /** #convert fills node from s; scalar fields first and children last, so copies taken meanwhile are usable. */
  #convert(s: JsonSchema, defName?: string, node: SchemaNode = {}): SchemaNode {
    if (s.$ref !== undefined) return this.#refNode(s);
    if (s.description !== undefined) node.description = s.description;
    if (defName === INT_OR_STRING) return Object.assign(node, { intOrString: true, format: 'int-or-string' });
    if (defName === QUANTITY) return Object.assign(node, { type: 'string', format: QUANTITY_FORMAT });
    copyExtensions(s, node);
    if (s.format !== undefined) node.format = s.format;
    if (s.required !== undefined) node.required = s.required;
    const t = s.type;
    if (t === 'string' || t === 'integer' || t === 'number' || t === 'boolean' || t === 'array') node.type = t;
    if (t === 'object' || s.properties) node.type = 'object';
    if (node.type === undefined) node.preserveUnknownFields = true; // JSON: any value
    if (s.items) node.items = this.#convert(s.items);
    if (node.type === 'object') {
      if (s.properties) {
        const props: Record<string, SchemaNode> = {};
        node.properties = props;
        for (const [k, p] of Object.entries(s.properties)) props[k] = this.#convert(p);
      } else if (s.additionalProperties) {
        node.additionalProperties = this.#convert(s.additionalProperties);
      } else {
        node.preserveUnknownFields = true; // RawExtension, FieldsV1, Patch: free-form objects
      }
    }
    return node;
  }

  /** #refNode is a property that points at a definition: the definition's node, plus the property's own extras. */
  #refNode(s: JsonSchema): SchemaNode {
    const name = refName(s.$ref ?? '');
    const target = this.definition(name) ?? { preserveUnknownFields: true };
    const extra: SchemaNode = {};
    copyExtensions(s, extra);
    if (Object.keys(extra).length === 0) return target;
    // A shallow copy shares the target's properties object, which is filled in even while the
    // target is still being built (cycles).
    const wrapped: SchemaNode = { ...target, ...extra };
    nameNode(wrapped, name);
    return wrapped;
  }
}

function copyExtensions(s: JsonSchema, node: SchemaNode): void {
  const strategy = s['x-kubernetes-patch-strategy'];
  const key = s['x-kubernetes-patch-merge-key'];
  const listType = s['x-kubernetes-list-type'];
  const mapKeys = s['x-kubernetes-list-map-keys'];
  if (strategy !== undefined) node.patchStrategy = strategy;
  if (key !== undefined) node.patchMergeKey = key;
  if (listType === 'atomic' || listType === 'set' || listType === 'map') node.listType = listType;
  if (mapKeys !== undefined) node.listMapKeys = mapKeys;
}
