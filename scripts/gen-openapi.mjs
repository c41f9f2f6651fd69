// Writes dist/openapi/definitions.json: Kubernetes OpenAPI v2 definitions (swagger "definitions"
// section, with Kubernetes definition names) built from the generated models of the dev dependency
// @kubernetes/client-node. Runs after tsc: it reads the hand-written extension tables from
// dist/src/apiserver/openapi/extensions.js. Only stable versions (v1, v2, ...) are kept.
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const gen = join(root, 'node_modules/@kubernetes/client-node/dist/gen');
const { FIELD_EXTENSIONS, QUANTITY_FIELDS } = await import(
  pathToFileURL(join(root, 'dist/src/apiserver/openapi/extensions.js')).href
);

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const metaTypes = [
  'APIGroup', 'APIGroupList', 'APIResource', 'APIResourceList', 'APIVersions', 'Condition', 'DeleteOptions',
  'FieldSelectorRequirement', 'GroupVersionForDiscovery', 'LabelSelector', 'LabelSelectorRequirement', 'ListMeta',
  'ManagedFieldsEntry', 'ObjectMeta', 'OwnerReference', 'Preconditions', 'ServerAddressByClientCIDR', 'Status',
  'ShardInfo', 'StatusCause', 'StatusDetails', 'WatchEvent',
];
// Model name -> fixed definition name (apimachinery types and subresource kinds of other groups).
const fixedNames = Object.fromEntries([
  ...metaTypes.map((t) => [`V1${t}`, `${META}.${t}`]),
  ['VersionInfo', 'io.k8s.apimachinery.pkg.version.Info'],
  ['V1Scale', 'io.k8s.api.autoscaling.v1.Scale'],
  ['V1ScaleSpec', 'io.k8s.api.autoscaling.v1.ScaleSpec'],
  ['V1ScaleStatus', 'io.k8s.api.autoscaling.v1.ScaleStatus'],
  ['V1Eviction', 'io.k8s.api.policy.v1.Eviction'],
  ['AuthenticationV1TokenRequest', 'io.k8s.api.authentication.v1.TokenRequest'],
]);
// Subresource kinds served in another group's API, with their own group-version-kind.
const fixedKinds = {
  V1Scale: ['autoscaling', 'v1', 'Scale'],
  V1Eviction: ['policy', 'v1', 'Eviction'],
  AuthenticationV1TokenRequest: ['authentication.k8s.io', 'v1', 'TokenRequest'],
};
// Fields client-node types as `any`, and what they are upstream.
const anyFields = {
  'V1ManagedFieldsEntry.fieldsV1': `${META}.FieldsV1`,
  'V1WatchEvent.object': 'io.k8s.apimachinery.pkg.runtime.RawExtension',
  'V1ControllerRevision.data': 'io.k8s.apimachinery.pkg.runtime.RawExtension',
  'V1CustomResourceSubresources.status': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresourceStatus',
};
const JSON_DEF = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON';

/** packageOf maps an API group and version to the Go package part of definition names. */
function packageOf(group, version) {
  if (group === '') return `io.k8s.api.core.${version}`;
  if (group === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}`;
  if (group === 'apiregistration.k8s.io') return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${version}`;
  if (group === 'internal.apiserver.k8s.io') return `io.k8s.api.apiserverinternal.${version}`;
  return `io.k8s.api.${group.split('.')[0]}.${version}`;
}

const splitModel = (m) => /^(?:([A-Z][a-z]+))?(V\d+(?:(?:alpha|beta)\d+)?)([A-Z]\w*)$/.exec(m);

async function loadModels() {
  const models = new Map();
  for (const f of readdirSync(join(gen, 'models')).filter((f) => f.endsWith('.js'))) {
    const mod = await import(pathToFileURL(join(gen, 'models', f)).href);
    const name = f.slice(0, -3);
    const cls = mod[name]; // ObjectSerializer.js re-exports every model: take only the file's own class
    if (!cls || !Array.isArray(cls.attributeTypeMap)) continue;
    const dts = readFileSync(join(gen, 'models', `${name}.d.ts`), 'utf8');
    models.set(name, { name, attrs: cls.attributeTypeMap, ...parseDocs(dts) });
  }
  return models;
}

/** parseDocs reads the class and field doc comments and which fields are required from a .d.ts. */
function parseDocs(dts) {
  const classDoc = /\/\*\*\n\* ([^\n]*)\n\*\/\nexport declare class/.exec(dts)?.[1];
  const fields = {};
  const required = [];
  const re = /(?:\/\*\*\n\s*\* ([^\n]*)\n\s*\*\/\n)?\s*'([^']+)'(\?)?:/g;
  for (let m; (m = re.exec(dts)); ) {
    if (m[1] !== undefined) fields[m[2]] = m[1];
    if (!m[3]) required.push(m[2]);
  }
  return { classDoc, fieldDocs: fields, required };
}

/** apiKinds reads each generated API class: its group-version and the kinds it (de)serializes. */
function apiKinds() {
  const out = [];
  for (const f of readdirSync(join(gen, 'apis')).filter((f) => /V\d\w*Api\.js$/.test(f))) {
    const src = readFileSync(join(gen, 'apis', f), 'utf8');
    const p = /'\/(?:api\/(v\d\w*)|apis\/([^/]+)\/(v\d\w*))\//.exec(src);
    if (!p) continue;
    const [group, version] = p[1] ? ['', p[1]] : [p[2], p[3]];
    const kinds = [...new Set([...src.matchAll(/"([A-Z][A-Za-z0-9]+)"/g)].map((m) => m[1]))];
    out.push({ group, version, kinds });
  }
  // core first: its types are reachable from other groups (PodTemplateSpec from apps, ...).
  return out.sort((a, b) => (a.group === '' ? -1 : b.group === '' ? 1 : a.group.localeCompare(b.group)));
}

/** assignNames gives each model a definition name and each top-level kind its GVK. */
function assignNames(models) {
  const names = new Map(Object.entries(fixedNames));
  const gvks = new Map(Object.entries(fixedKinds));
  const seeds = Object.entries(fixedKinds).map(([k, [group, version]]) => ({ group, version, kinds: [], queue: [k] }));
  for (const { group, version, kinds, queue = [] } of [...seeds, ...apiKinds()]) {
    for (const k of kinds) {
      const s = splitModel(k);
      if (!models.has(k) || !s || names.has(k) || s[2].toLowerCase() !== version) continue;
      if (s[1] && s[1].toLowerCase() !== (group.split('.')[0] || 'core')) continue;
      names.set(k, `${packageOf(group, version)}.${s[3]}`);
      gvks.set(k, [group, version, s[3]]);
      queue.push(k);
    }
    while (queue.length) {
      for (const a of models.get(queue.shift()).attrs) {
        for (const ref of a.type.match(/[A-Z][A-Za-z0-9]*V\d\w*|V\d\w*/g) ?? []) {
          const s = splitModel(ref);
          if (!models.has(ref) || names.has(ref) || !s) continue;
          const g = s[1] ? (s[1] === 'Core' ? '' : s[1].toLowerCase()) : group;
          names.set(ref, `${packageOf(g === group.split('.')[0] ? group : g, s[2].toLowerCase())}.${s[3]}`);
          queue.push(ref);
        }
      }
    }
  }
  return { names, gvks };
}

/** propSchema converts one attribute type of client-node to an OpenAPI v2 schema. */
function propSchema(type, format, names, quantity) {
  if (type.startsWith('Array<')) return { type: 'array', items: propSchema(type.slice(6, -1), format, names, quantity) };
  const map = /^\{ \[key: string\]: (.*); \}$/.exec(type);
  if (map) return { type: 'object', additionalProperties: propSchema(map[1], format, names, quantity) };
  if (quantity) return { $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' };
  switch (type) {
    case 'string':
      return format ? { type: 'string', format } : { type: 'string' };
    case 'number':
      if (format === 'int32' || format === 'int64') return { type: 'integer', format };
      return format ? { type: 'number', format } : { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'Date':
      return { $ref: `#/definitions/${META}.${format === 'date-time-micro' ? 'MicroTime' : 'Time'}` };
    case 'V1MicroTime':
      return { $ref: `#/definitions/${META}.MicroTime` };
    case 'IntOrString':
      return { $ref: '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString' };
    case 'any':
      return {};
  }
  const ref = names.get(type);
  if (!ref) throw new Error(`no definition name for model ${type}`);
  return { $ref: `#/definitions/${ref}` };
}

/** definitionOf converts one model to a definition, applying the extension tables. */
function definitionOf(model, defName, names, gvk, models) {
  const properties = {};
  for (const a of model.attrs) {
    const key = `${defName}.${a.baseName}`;
    let s = propSchema(a.type, a.format, names, QUANTITY_FIELDS.includes(key));
    const anyRef = anyFields[`${model.name}.${a.name}`] ?? (model.name === 'V1JSONSchemaProps' && a.type.includes('any') ? JSON_DEF : undefined);
    if (anyRef) s = a.type.startsWith('Array<') ? { type: 'array', items: { $ref: `#/definitions/${anyRef}` } } : { $ref: `#/definitions/${anyRef}` };
    // client-node drops the description of fields that refer to another type: use that type's.
    const doc = model.fieldDocs[a.name] ?? models.get(a.type.replace(/^Array<(.*)>$/, '$1'))?.classDoc;
    if (doc) s = { description: doc, ...s };
    const ext = FIELD_EXTENSIONS[key];
    if (ext) s = withExtensions(s, ext);
    properties[a.baseName] = s;
  }
  const d = { description: model.classDoc, type: 'object' };
  const required = model.required.filter((r) => model.attrs.some((a) => a.name === r)).map((r) => model.attrs.find((a) => a.name === r).baseName);
  if (required.length) d.required = required;
  d.properties = properties;
  if (gvk) d['x-kubernetes-group-version-kind'] = [{ group: gvk[0], kind: gvk[2], version: gvk[1] }];
  if (!d.description) delete d.description;
  return d;
}

function withExtensions(s, ext) {
  const out = { ...s };
  if (ext.listMapKeys) out['x-kubernetes-list-map-keys'] = ext.listMapKeys;
  if (ext.listType) out['x-kubernetes-list-type'] = ext.listType;
  if (ext.patchMergeKey) out['x-kubernetes-patch-merge-key'] = ext.patchMergeKey;
  if (ext.patchStrategy) out['x-kubernetes-patch-strategy'] = ext.patchStrategy;
  return out;
}

/** scalarDefinitions are the apimachinery types client-node inlines. */
function scalarDefinitions() {
  return {
    'io.k8s.apimachinery.pkg.api.resource.Quantity': {
      description: 'Quantity is a fixed-point representation of a number (serialized as a string such as "100m", "1Gi" or "2").',
      type: 'string',
    },
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
      description: 'IntOrString is a type that can hold an int32 or a string.',
      type: 'string',
      format: 'int-or-string',
    },
    [`${META}.Time`]: { description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.', type: 'string', format: 'date-time' },
    [`${META}.MicroTime`]: { description: 'MicroTime is version of Time with microsecond level precision.', type: 'string', format: 'date-time' },
    [`${META}.FieldsV1`]: { description: "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.", type: 'object' },
    [`${META}.Patch`]: { description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.', type: 'object' },
    'io.k8s.apimachinery.pkg.runtime.RawExtension': { description: 'RawExtension is used to hold extensions in external versions.', type: 'object' },
    [JSON_DEF]: { description: 'JSON represents any valid JSON value. These types are supported: bool, int64, float64, string, []interface{}, map[string]interface{} and nil.' },
    'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresourceStatus': {
      description: 'CustomResourceSubresourceStatus defines how to serve the status subresource for CustomResources.',
      type: 'object',
    },
  };
}

async function main() {
  const models = await loadModels();
  const { names, gvks } = assignNames(models);
  const defs = scalarDefinitions();
  for (const [model, defName] of [...names].sort((a, b) => a[1].localeCompare(b[1]))) {
    if (!/\.v\d+\.[A-Z]\w*$/.test(defName) && !defName.endsWith('version.Info')) continue; // drop alpha/beta
    const m = models.get(model);
    if (m) defs[defName] = definitionOf(m, defName, names, gvks.get(model), models);
  }
  dropDangling(defs);
  const missing = [...Object.keys(FIELD_EXTENSIONS), ...QUANTITY_FIELDS].filter((k) => !defs[k.slice(0, k.lastIndexOf('.'))]?.properties?.[k.slice(k.lastIndexOf('.') + 1)]);
  if (missing.length) console.warn(`gen-openapi: extension fields not found: ${missing.join(', ')}`);
  const out = join(root, 'dist/openapi/definitions.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(sortKeys(defs)));
  console.log(`gen-openapi: ${Object.keys(defs).length} definitions -> ${out}`);
}

/** dropDangling removes definitions that reference a dropped (alpha/beta) definition. */
function dropDangling(defs) {
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, d] of Object.entries(defs)) {
      const refs = [...JSON.stringify(d).matchAll(/"#\/definitions\/([^"]+)"/g)].map((m) => m[1]);
      if (refs.some((r) => !defs[r])) {
        console.warn(`gen-openapi: dropping ${name} (refers to ${refs.find((r) => !defs[r])})`);
        delete defs[name];
        changed = true;
      }
    }
  }
}

function sortKeys(o) {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

await main();
