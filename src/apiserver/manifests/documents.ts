import { parseAllDocuments } from 'yaml';
import { isObject, type KubeObject } from '../../api/types.js';

/** MANIFEST_EXTENSIONS are the file endings the deployer reads (k3s: .yaml, .yml, .json). */
export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** SKIP_SUFFIX marks a disabled manifest: `NAME.yaml.skip` turns `NAME.yaml` off. */
export const SKIP_SUFFIX = '.skip';

/** isManifestFile tells whether a file name is one the deployer applies (dot files are editors' scratch files). */
export function isManifestFile(name: string): boolean {
  return !name.startsWith('.') && MANIFEST_EXTENSIONS.some((ext) => name.endsWith(ext));
}

/** addonName is a file's addon name: its base name without the extension, as k3s names its Addons. */
export function addonName(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  const ext = MANIFEST_EXTENSIONS.find((e) => base.endsWith(e)) ?? '';
  return base.slice(0, base.length - ext.length);
}

function objectOf(doc: unknown, where: string): KubeObject[] {
  if (doc === null || doc === undefined) return [];
  if (!isObject(doc)) throw new Error(`${where}: a document must be an object, got ${Array.isArray(doc) ? 'a list' : typeof doc}`);
  const { apiVersion, kind } = doc;
  if (typeof apiVersion !== 'string' || !apiVersion) throw new Error(`${where}: Object 'apiVersion' is missing`);
  if (typeof kind !== 'string' || !kind) throw new Error(`${where}: Object 'Kind' is missing`);
  // A v1 List (or any *List with items) holds objects, as `kubectl apply` reads it.
  if (kind.endsWith('List') && Array.isArray(doc['items'])) {
    return doc['items'].flatMap((item, i) => objectOf(item, `${where} item ${i}`));
  }
  const meta = doc['metadata'];
  if (!isObject(meta) || typeof meta['name'] !== 'string' || !meta['name']) {
    throw new Error(`${where}: ${kind} has no metadata.name`);
  }
  return [doc as unknown as KubeObject];
}

/**
 * splitManifest parses a manifest file's text (several YAML documents separated by `---`, or one
 * JSON value) into its objects, in file order; empty documents are skipped and Lists are
 * flattened. Malformed YAML or an object without apiVersion, kind or name throws an Error that
 * says which document is at fault.
 */
export function splitManifest(text: string): KubeObject[] {
  const docs = parseAllDocuments(text);
  const out: KubeObject[] = [];
  docs.forEach((doc, i) => {
    const where = `document ${i + 1}`;
    if (doc.errors.length > 0) throw new Error(`${where}: ${(doc.errors[0]?.message ?? 'invalid YAML').split('\n')[0]}`);
    out.push(...objectOf(doc.toJS({ maxAliasCount: 100 }), where));
  });
  return out;
}
