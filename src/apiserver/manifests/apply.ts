import { isDeepStrictEqual } from 'node:util';
import { isStatusError } from '../../api/errors.js';
import { isObject, type JsonObject, type KubeObject } from '../../api/types.js';
import type { Transport } from '../../api/transport.js';

/** LAST_APPLIED_ANNOTATION holds the manifest an object was last applied from, as `kubectl apply` keeps it. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** ResourceMapping is where a kind is served. */
export interface ResourceMapping {
  group: string;
  version: string;
  resource: string;
  namespaced: boolean;
}

/** ResolveKind maps an apiVersion and kind to its resource; undefined when the server does not serve it. */
export type ResolveKind = (apiVersion: string, kind: string) => ResourceMapping | undefined;

/** ObjectRef names one applied object. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** refKey is a stable string for an ObjectRef. */
export function refKey(r: ObjectRef): string {
  return `${r.apiVersion}/${r.kind}/${r.namespace}/${r.name}`;
}

/**
 * covers tells whether current already holds everything desired says: maps key by key, lists item
 * by item with the same length, other values equal. Fields the server added (defaults, status,
 * metadata) do not count, so an unchanged manifest causes no write.
 */
export function covers(current: unknown, desired: unknown): boolean {
  if (Array.isArray(desired)) {
    return Array.isArray(current) && current.length === desired.length && desired.every((d, i) => covers(current[i], d));
  }
  if (isObject(desired)) {
    return isObject(current) && Object.entries(desired).every(([k, v]) => covers(current[k], v));
  }
  return isDeepStrictEqual(current, desired);
}

/**
 * threeWayPatch is the JSON merge patch that takes current to desired: fields the last applied
 * manifest had and desired dropped are removed (null), fields desired sets and current does not
 * cover are set (lists whole, so items dropped from the manifest go), and everything else, such as
 * what the server or other clients wrote, is kept. An empty object means nothing to change.
 */
export function threeWayPatch(last: JsonObject, desired: JsonObject, current: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const [k, v] of Object.entries(desired)) {
    const cur = current[k];
    if (isObject(v) && isObject(cur)) {
      // Maps recurse even when covered: the last manifest may hold keys this one dropped.
      const sub = threeWayPatch(isObject(last[k]) ? last[k] : {}, v, cur);
      if (Object.keys(sub).length > 0) patch[k] = sub;
    } else if (!covers(cur, v)) {
      patch[k] = v;
    }
  }
  for (const k of Object.keys(last)) {
    if (!(k in desired) && k in current) patch[k] = null;
  }
  return patch;
}

function withLastApplied(obj: KubeObject, lastApplied: string): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED_ANNOTATION]: lastApplied } } };
}

function lastAppliedOf(obj: KubeObject): JsonObject {
  const raw = obj.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** ApplyTarget is what applyObject acts on: the object with its namespace filled in, and where it is served. */
export interface ApplyTarget {
  ref: ObjectRef;
  mapping: ResourceMapping;
  desired: KubeObject;
}

/**
 * resolveTarget finds where obj is served and gives namespaced objects without a namespace the
 * namespace `default` (as `kubectl apply` does). An unserved kind throws an Error in kubectl's wording.
 */
export function resolveTarget(resolve: ResolveKind, obj: KubeObject): ApplyTarget {
  const apiVersion = obj.apiVersion ?? '';
  const kind = obj.kind ?? '';
  const mapping = resolve(apiVersion, kind);
  if (!mapping) throw new Error(`no matches for kind "${kind}" in version "${apiVersion}"`);
  const namespace = mapping.namespaced ? obj.metadata.namespace || 'default' : '';
  const metadata = { ...obj.metadata };
  if (mapping.namespaced) metadata.namespace = namespace;
  else delete metadata.namespace;
  const desired = { ...obj, metadata };
  return { ref: { apiVersion, kind, namespace, name: obj.metadata.name ?? '' }, mapping, desired };
}

/**
 * applyObject creates the target or updates it towards the manifest, as `kubectl apply` does
 * (client side, with the last applied manifest in an annotation). It reports whether it wrote.
 */
export async function applyObject(transport: Transport, t: ApplyTarget): Promise<'created' | 'configured' | 'unchanged'> {
  const base = { group: t.mapping.group, version: t.mapping.version, resource: t.mapping.resource, ...(t.ref.namespace ? { namespace: t.ref.namespace } : {}) };
  const lastApplied = JSON.stringify(t.desired);
  let current: KubeObject;
  try {
    current = (await transport.request({ verb: 'get', ...base, name: t.ref.name })) as KubeObject;
  } catch (e) {
    if (!isStatusError(e) || e.code !== 404) throw e;
    await transport.request({ verb: 'create', ...base, body: withLastApplied(t.desired, lastApplied) });
    return 'created';
  }
  const desired = withLastApplied(t.desired, lastApplied) as unknown as JsonObject;
  const patch = threeWayPatch(lastAppliedOf(current), desired, current as unknown as JsonObject);
  if (Object.keys(patch).length === 0) return 'unchanged';
  await transport.request({ verb: 'patch', ...base, name: t.ref.name, patchType: 'merge', body: patch });
  return 'configured';
}

/** deleteObject removes one previously applied object; already gone is fine. */
export async function deleteObject(transport: Transport, resolve: ResolveKind, ref: ObjectRef): Promise<void> {
  const mapping = resolve(ref.apiVersion, ref.kind);
  if (!mapping) return;
  try {
    await transport.request({
      verb: 'delete',
      group: mapping.group,
      version: mapping.version,
      resource: mapping.resource,
      ...(ref.namespace ? { namespace: ref.namespace } : {}),
      name: ref.name,
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
    });
  } catch (e) {
    if (!isStatusError(e) || e.code !== 404) throw e;
  }
}
