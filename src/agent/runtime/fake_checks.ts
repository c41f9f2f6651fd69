/**
 * What a real node checks before it starts a container, for the fake runtime: the pod's volumes
 * (ConfigMap, Secret, projected sources, PersistentVolumeClaim) and the container's env sources
 * exist, and the image can be "pulled" from the node's simulated registry.
 */
import { arr, field, objAt, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import { R, type Client } from '../../client/client.js';

/** ObjectLookup fetches one namespaced object by name (undefined when it does not exist). */
export type ObjectLookup = (namespace: string, name: string) => Promise<KubeObject | undefined>;

/** FakeLookups are the API reads the checks need: ConfigMaps, Secrets and PersistentVolumeClaims. */
export interface FakeLookups {
  getConfigMap: ObjectLookup;
  getSecret: ObjectLookup;
  getClaim: ObjectLookup;
}

/** apiLookups reads the objects through the node's client (404 → undefined; other errors propagate, the pod is retried). */
export function apiLookups(client: Client): FakeLookups {
  const lookup =
    (gvr: typeof R.configmaps): ObjectLookup =>
    async (ns, name) => {
      try {
        return await client.resource(gvr).get(ns, name);
      } catch (e) {
        if ((e as { code?: number }).code === 404) return undefined;
        throw e;
      }
    };
  return { getConfigMap: lookup(R.configmaps), getSecret: lookup(R.secrets), getClaim: lookup(R.persistentvolumeclaims) };
}

type Kind = 'ConfigMap' | 'Secret';

async function objectKeys(lookups: FakeLookups, kind: Kind, ns: string, name: string): Promise<Set<string> | undefined> {
  const obj = await (kind === 'ConfigMap' ? lookups.getConfigMap : lookups.getSecret)(ns, name);
  if (!obj) return undefined;
  const keys = new Set<string>();
  for (const part of kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData']) for (const k of Object.keys(objAt(obj, part) ?? {})) keys.add(k);
  return keys;
}

async function sourceError(lookups: FakeLookups, kind: Kind, ns: string, name: string, optional: boolean): Promise<string | undefined> {
  if (optional) return undefined;
  return (await objectKeys(lookups, kind, ns, name)) ? undefined : `${kind.toLowerCase()} "${name}" not found`;
}

/** volumeError returns the kubelet's message for the first volume that cannot be set up, or undefined. */
export async function volumeError(pod: KubeObject, lookups: FakeLookups): Promise<string | undefined> {
  const ns = pod.metadata.namespace ?? '';
  for (const v of arr(pod, 'spec', 'volumes')) {
    const cm = objAt(v, 'configMap');
    const secret = objAt(v, 'secret');
    const claim = objAt(v, 'persistentVolumeClaim');
    let err: string | undefined;
    if (cm) err = await sourceError(lookups, 'ConfigMap', ns, str(cm, 'name') ?? '', field(cm, 'optional') === true);
    else if (secret) err = await sourceError(lookups, 'Secret', ns, str(secret, 'secretName') ?? '', field(secret, 'optional') === true);
    else if (claim && !(await lookups.getClaim(ns, str(claim, 'claimName') ?? ''))) err = `persistentvolumeclaim "${str(claim, 'claimName') ?? ''}" not found`;
    for (const src of arr(v, 'projected', 'sources')) {
      if (err) break;
      const p = objAt(src, 'configMap') ?? objAt(src, 'secret');
      if (p) err = await sourceError(lookups, objAt(src, 'configMap') ? 'ConfigMap' : 'Secret', ns, str(p, 'name') ?? '', field(p, 'optional') === true);
    }
    if (err) return err;
  }
  return undefined;
}

/** envError returns the kubelet's CreateContainerConfigError message for the container's env sources, or undefined. */
export async function envError(pod: KubeObject, container: unknown, lookups: FakeLookups): Promise<string | undefined> {
  const ns = pod.metadata.namespace ?? '';
  for (const src of arr(container, 'envFrom')) {
    const kind: Kind = objAt(src, 'configMapRef') ? 'ConfigMap' : 'Secret';
    const ref = objAt(src, kind === 'ConfigMap' ? 'configMapRef' : 'secretRef');
    const err = await sourceError(lookups, kind, ns, str(ref, 'name') ?? '', field(ref, 'optional') === true);
    if (err) return err;
  }
  for (const e of arr(container, 'env')) {
    const kind: Kind | undefined = objAt(e, 'valueFrom', 'configMapKeyRef') ? 'ConfigMap' : objAt(e, 'valueFrom', 'secretKeyRef') ? 'Secret' : undefined;
    if (!kind) continue;
    const sel = objAt(e, 'valueFrom', kind === 'ConfigMap' ? 'configMapKeyRef' : 'secretKeyRef');
    if (field(sel, 'optional') === true) continue;
    const name = str(sel, 'name') ?? '';
    const keys = await objectKeys(lookups, kind, ns, name);
    if (!keys) return `${kind.toLowerCase()} "${name}" not found`;
    if (!keys.has(str(sel, 'key') ?? '')) return `couldn't find key ${str(sel, 'key') ?? ''} in ${kind} ${ns}/${name}`;
  }
  return undefined;
}
