import { createHash } from 'node:crypto';
import type { SchemaLookup, SchemaNode } from '../schema_types.js';
import { gvkOf, loadDefinitions, type Definitions, type GroupVersionKind } from './definitions.js';
import { groupVersionPath, type OpenApiResource, type PathEntry } from './operations.js';
import { encodeSwaggerProtobuf } from './protobuf.js';
import { resourcePaths } from './resource_paths.js';
import { SchemaNodes } from './schema_node.js';
import { buildSwagger } from './v2.js';
import { buildGroupVersionV3 } from './v3.js';

export type { OpenApiResource } from './operations.js';
export { validateFields, type FieldValidationResult, type ValidateOptions } from './validate.js';
export { PROTOBUF_V2_CONTENT_TYPE } from './protobuf.js';

/** OpenApi serves the server's OpenAPI documents and the schemas behind them. */
export interface OpenApi {
  /** v2 returns the swagger 2.0 document as JSON and as gnostic protobuf; built on first call, then cached. */
  v2(): { json: Buffer; protobuf: Buffer; etag: string };
  /** v3Index returns `{paths: {"apis/apps/v1": {serverRelativeURL: "/openapi/v3/apis/apps/v1?hash=HASH"}, …}}`. */
  v3Index(): { paths: Record<string, { serverRelativeURL: string }> };
  /** v3GroupVersion returns the OpenAPI 3 document of a group-version path such as "apis/apps/v1", or undefined. */
  v3GroupVersion(path: string): { json: Buffer; etag: string } | undefined;
  schemas: SchemaLookup;
}

/** CreateOpenApiOptions: the served resources, the server's gitVersion, and optionally definitions (default: dist/openapi/definitions.json). */
export interface CreateOpenApiOptions {
  resources: OpenApiResource[];
  gitVersion: string;
  definitions?: Definitions;
}

/**
 * createOpenApi builds the OpenAPI documents lazily: definitions are read on first use, each
 * document is rendered once and kept as bytes, with its hash as ETag (v3 index URLs carry it).
 */
export function createOpenApi(opts: CreateOpenApiOptions): OpenApi {
  let defs: Definitions | undefined = opts.definitions;
  const definitions = (): Definitions => (defs ??= loadDefinitions());
  let nodes: SchemaNodes | undefined;
  let v2: { json: Buffer; protobuf: Buffer; etag: string } | undefined;
  const v3 = new Map<string, { json: Buffer; etag: string }>();
  const byGv = new Map<string, OpenApiResource[]>();
  for (const r of opts.resources) {
    const key = groupVersionPath(r.group, r.version);
    byGv.set(key, [...(byGv.get(key) ?? []), r]);
  }
  const pathsOf = (rs: OpenApiResource[]): PathEntry[] => {
    const names = definitionNames(definitions());
    return rs.flatMap((r) => resourcePaths(r, names));
  };
  const gvDoc = (path: string): { json: Buffer; etag: string } | undefined => {
    const rs = byGv.get(path);
    if (rs === undefined) return undefined;
    let doc = v3.get(path);
    if (doc === undefined) {
      const json = Buffer.from(JSON.stringify(buildGroupVersionV3(pathsOf(rs), definitions(), opts.gitVersion)));
      doc = { json, etag: `"${hashOf(json)}"` };
      v3.set(path, doc);
    }
    return doc;
  };
  return {
    v2() {
      if (v2 === undefined) {
        const doc = buildSwagger(pathsOf(opts.resources), definitions(), opts.gitVersion);
        const json = Buffer.from(JSON.stringify(doc));
        v2 = { json, protobuf: encodeSwaggerProtobuf(doc), etag: `"${hashOf(json)}"` };
      }
      return v2;
    },
    v3Index() {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const key of [...byGv.keys()].sort()) {
        const doc = gvDoc(key);
        if (doc) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.etag.slice(1, -1)}` };
      }
      return { paths };
    },
    v3GroupVersion: gvDoc,
    schemas: {
      forKind(group: string, version: string, kind: string): SchemaNode | undefined {
        nodes ??= new SchemaNodes(definitions());
        return nodes.forKind(group, version, kind);
      },
    },
  };
}

/** definitionNames indexes definitions by the group-version-kinds they declare. */
function definitionNames(defs: Definitions): (gvk: GroupVersionKind) => string | undefined {
  const index = new Map<string, string>();
  for (const [name, d] of Object.entries(defs)) for (const g of gvkOf(d)) index.set(`${g.group}/${g.version}/${g.kind}`, name);
  return (g) => index.get(`${g.group}/${g.version}/${g.kind}`);
}

/** hashOf is the upper-case hex SHA-512 kube-apiserver uses for OpenAPI v3 document hashes. */
function hashOf(b: Buffer): string {
  return createHash('sha512').update(b).digest('hex').toUpperCase();
}
