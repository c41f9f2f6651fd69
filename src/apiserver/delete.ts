import type { KubeObject } from '../api/types.js';
import { errors } from '../api/errors.js';
import { num, str } from '../api/object.js';
import type { ApiCore } from './core.js';
import { objectKey } from './object_store.js';
import { toServed } from './registry.js';
import type { DeleteOptions, Scope } from './scope.js';
import { guaranteedUpdate, qualified } from './writes.js';
import { rfc3339 } from './object_meta.js';

/** DeleteOutcome: the object was removed now (deleted) or is marked for deletion (pending). */
export interface DeleteOutcome {
  obj: KubeObject;
  deleted: boolean;
}

/** gracePeriodFor returns the pod grace period for this delete, or 0 for immediate removal. */
function gracePeriodFor(scope: Scope, obj: KubeObject, opts: DeleteOptions): number {
  if (scope.served.type.plural !== 'pods' || scope.served.type.group !== '') return 0;
  const phase = str(obj, 'status', 'phase');
  if (!str(obj, 'spec', 'nodeName') || phase === 'Succeeded' || phase === 'Failed') return 0;
  const requested = opts.gracePeriodSeconds ?? num(obj, 'spec', 'terminationGracePeriodSeconds') ?? 30;
  return Math.max(0, requested);
}

/**
 * deleteObject deletes one object as kube-apiserver does: preconditions, graceful deletion of pods
 * bound to a node, finalizers and foreground/orphan propagation leave the object marked with a
 * deletionTimestamp; otherwise it is removed at once.
 */
export async function deleteObject(core: ApiCore, scope: Scope, name: string, opts: DeleteOptions): Promise<DeleteOutcome> {
  const t = scope.served.type;
  const key = objectKey(t, scope.namespace, name);
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await core.getStored(t, scope.namespace, name);
    const obj = current.obj;
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== obj.metadata.uid) {
      throw errors.conflict(qualified(t), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid ?? ''}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== String(current.rv)) {
      throw errors.conflict(qualified(t), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.rv}`);
    }
    const grace = gracePeriodFor(scope, obj, opts);
    const finalizers = [...(obj.metadata.finalizers ?? [])];
    const policy = opts.propagationPolicy ?? (opts.orphanDependents ? 'Orphan' : undefined);
    if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (policy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    const isNamespace = t.plural === 'namespaces' && t.group === '';
    if (grace > 0 || finalizers.length > 0 || isNamespace) {
      const marked = await markForDeletion(core, scope, name, grace, finalizers, isNamespace);
      return { obj: marked, deleted: false };
    }
    if (scope.dryRun) return { obj: toServed(scope.served, obj), deleted: true };
    const r = await core.store.delete(key, current.rv);
    if (r.ok) return { obj: toServed(scope.served, r.obj), deleted: true };
    if (!r.current) throw errors.notFound(qualified(t), name);
  }
  throw errors.conflict(qualified(t), name, 'too many conflicting deletes; please retry');
}

async function markForDeletion(core: ApiCore, scope: Scope, name: string, grace: number, finalizers: string[], isNamespace: boolean): Promise<KubeObject> {
  const now = core.opts.clock.now();
  const writeScope: Scope = { ...scope, subresource: 'delete' };
  return guaranteedUpdate(core, writeScope, name, (obj) => {
    const m = obj.metadata;
    const wanted = now + grace * 1000;
    const existing = m.deletionTimestamp ? Date.parse(m.deletionTimestamp) : Infinity;
    m.finalizers = finalizers;
    if (finalizers.length === 0) delete m.finalizers;
    delete m.resourceVersion;
    if (wanted < existing) {
      m.deletionTimestamp = rfc3339(wanted);
      m.deletionGracePeriodSeconds = grace;
    }
    if (isNamespace) obj.status = { ...((obj.status as object) ?? {}), phase: 'Terminating' };
    return obj;
  }, { system: true });
}
