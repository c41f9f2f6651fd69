/**
 * SchemaNode is the API server's compact view of an OpenAPI schema: enough for strategic merge
 * patch (patch strategies and merge keys), field validation (unknown and mistyped fields) and
 * `kubectl explain`. Built from the OpenAPI definitions in ./openapi.
 */
export interface SchemaNode {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  /** properties of an object with known fields. */
  properties?: Record<string, SchemaNode>;
  required?: string[];
  /** additionalProperties: the value schema of a map (e.g. labels: string). */
  additionalProperties?: SchemaNode;
  /** items: the element schema of an array. */
  items?: SchemaNode;
  /** intOrString: accepts an integer or a string (x-kubernetes-int-or-string). */
  intOrString?: boolean;
  /** preserveUnknownFields: anything goes below here (RawExtension, JSON). */
  preserveUnknownFields?: boolean;
  /** x-kubernetes-patch-strategy: "merge", "replace", "retainKeys", "merge,retainKeys". */
  patchStrategy?: string;
  /** x-kubernetes-patch-merge-key: the key identifying list elements when merging. */
  patchMergeKey?: string;
  /** x-kubernetes-list-type: atomic, set or map. */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys. */
  listMapKeys?: string[];
}

/** SchemaLookup finds the schema of a top-level kind; undefined when the kind has none. */
export interface SchemaLookup {
  forKind(group: string, version: string, kind: string): SchemaNode | undefined;
}
