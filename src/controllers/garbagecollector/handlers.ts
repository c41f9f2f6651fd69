/** Informer handlers of the garbage collector: they enqueue dependents and owners a change concerns. */
import type { KubeObject } from '../../api/types.js';
import type { EventHandlers } from '../../client/informer.js';
import type { GcDeps } from './deps.js';
import { dependentKey, ownerKey, type GraphResource } from './graph.js';
import { FOREGROUND_FINALIZER, hasFinalizer, ORPHAN_FINALIZER } from './resources.js';

const refUids = (o: KubeObject): string[] => (o.metadata.ownerReferences ?? []).map((r) => r.uid);
const deletingWithFinalizer = (o: KubeObject): boolean => o.metadata.deletionTimestamp !== undefined && (hasFinalizer(o, ORPHAN_FINALIZER) || hasFinalizer(o, FOREGROUND_FINALIZER));

/** gcHandlers returns the handlers for one watched resource's informer. */
export function gcHandlers(d: GcDeps, res: GraphResource): EventHandlers {
  // An owner waiting on its dependents is looked at again whenever one of them changes or goes.
  const enqueueOwner = (uid: string): void => {
    const owner = d.graph.findByUid(uid);
    if (owner && deletingWithFinalizer(owner.obj)) d.enqueue(ownerKey(owner));
  };
  const observe = (obj: KubeObject): void => {
    if (refUids(obj).length) d.enqueue(dependentKey({ res, obj }));
    if (deletingWithFinalizer(obj)) d.enqueue(ownerKey({ res, obj }));
  };
  return {
    onAdd: observe,
    onUpdate: (old, cur) => {
      if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
      const refsChanged = JSON.stringify(old.metadata.ownerReferences ?? []) !== JSON.stringify(cur.metadata.ownerReferences ?? []);
      if (refsChanged || deletingWithFinalizer(cur)) observe(cur);
      if (refsChanged) for (const uid of refUids(old)) enqueueOwner(uid);
      if (cur.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) for (const uid of refUids(cur)) enqueueOwner(uid);
    },
    onDelete: (obj) => {
      for (const dep of d.graph.dependentsOf(obj.metadata.uid ?? '')) d.enqueue(dependentKey(dep));
      for (const uid of refUids(obj)) enqueueOwner(uid);
    },
  };
}
