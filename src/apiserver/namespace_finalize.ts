import type { KubeObject } from '../api/types.js';
import { isObject } from '../api/types.js';
import type { ApiCore } from './core.js';
import type { Scope } from './scope.js';
import { guaranteedUpdate } from './writes.js';
import { objectKey } from './object_store.js';
import { toServed } from './registry.js';

/**
 * finalizeNamespace is PUT namespaces/NAME/finalize: it replaces spec.finalizers (what the
 * namespace controller clears once the namespace is empty). A terminating namespace with no
 * finalizers left is then removed, as kube-apiserver does.
 */
export async function finalizeNamespace(core: ApiCore, scope: Scope, name: string, body: Record<string, unknown>): Promise<KubeObject> {
  const spec = isObject(body.spec) ? body.spec : {};
  const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers.filter((f): f is string => typeof f === 'string') : [];
  const updated = await guaranteedUpdate(core, { ...scope, subresource: 'finalize' }, name, (ns) => {
    ns.spec = { ...(isObject(ns.spec) ? ns.spec : {}), finalizers };
    if (!finalizers.length) delete (ns.spec as Record<string, unknown>).finalizers;
    delete ns.metadata.resourceVersion;
    return ns;
  }, { system: true });
  if (updated.metadata.deletionTimestamp && finalizers.length === 0 && (updated.metadata.finalizers ?? []).length === 0) {
    const t = scope.served.type;
    const cur = await core.getStored(t, '', name);
    const r = await core.store.delete(objectKey(t, '', name), cur.rv);
    if (r.ok) return toServed(scope.served, r.obj);
  }
  return updated;
}
