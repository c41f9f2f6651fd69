import type { KubeObject } from '../../api/types.js';
import type { ApiCore } from '../core.js';
import { objectKey } from '../object_store.js';

/**
 * ObjectLookups reads the objects tokens are bound to. Authentication reads the watch caches
 * (cheap, at most a moment behind); TokenRequest reads them fresh (caught up with storage).
 */
export interface ObjectLookups {
  serviceAccount(namespace: string, name: string): Promise<KubeObject | undefined>;
  pod(namespace: string, name: string): Promise<KubeObject | undefined>;
  secret(namespace: string, name: string): Promise<KubeObject | undefined>;
  node(name: string): Promise<KubeObject | undefined>;
}

/** coreLookups reads from the API server's watch caches; fresh waits for them to catch up with storage first. */
export function coreLookups(core: () => ApiCore, fresh: boolean): ObjectLookups {
  const get = (group: string, plural: string) => async (namespace: string, name: string): Promise<KubeObject | undefined> => {
    const c = core();
    const t = c.registry.lookup(group, 'v1', plural)?.type;
    if (!t) return undefined;
    const cache = fresh ? await c.fresh(t) : c.cache(t);
    return cache.get(objectKey(t, t.namespaced ? namespace : '', name))?.obj;
  };
  const node = get('', 'nodes');
  return {
    serviceAccount: get('', 'serviceaccounts'),
    pod: get('', 'pods'),
    secret: get('', 'secrets'),
    node: (name) => node('', name),
  };
}
