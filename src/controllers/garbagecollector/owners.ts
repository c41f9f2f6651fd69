/** Finishing foreground and orphan deletions of owners (upstream's processDeletingDependentsItem / orphanDependents). */
import { isStatusError } from '../../api/errors.js';
import type { GcDeps } from './deps.js';
import { dependentKey, type Node } from './graph.js';
import { FOREGROUND_FINALIZER, hasFinalizer, ORPHAN_FINALIZER } from './resources.js';

const ignoreNotFound = (e: unknown): void => {
  if (!isStatusError(e) || e.code !== 404) throw e;
};

async function removeFinalizer(n: Node, finalizer: string): Promise<void> {
  const o = n.obj;
  const patch = { metadata: { finalizers: (o.metadata.finalizers ?? []).filter((f) => f !== finalizer), resourceVersion: o.metadata.resourceVersion } };
  await n.res.client.patch(o.metadata.namespace ?? '', o.metadata.name ?? '', 'merge', patch).catch(ignoreNotFound);
}

/** orphanDependents removes the owner's uid from every dependent's ownerReferences. */
async function orphanDependents(d: GcDeps, owner: Node): Promise<void> {
  const uid = owner.obj.metadata.uid ?? '';
  let firstErr: unknown;
  for (const dep of d.graph.dependentsOf(uid)) {
    const o = dep.obj;
    const patch = { metadata: { ownerReferences: (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid), resourceVersion: o.metadata.resourceVersion } };
    try {
      await dep.res.client.patch(o.metadata.namespace ?? '', o.metadata.name ?? '', 'merge', patch);
    } catch (e) {
      if (!isStatusError(e) || e.code !== 404) firstErr ??= e;
    }
  }
  if (firstErr !== undefined) throw firstErr;
}

/**
 * processOwner finishes the deletion of an owner marked with the `orphan` finalizer (dependents
 * lose their reference to it, then the finalizer goes) or `foregroundDeletion` (dependents are
 * deleted, blocking ones first; the finalizer goes once no dependent blocks it any more).
 */
export async function processOwner(d: GcDeps, n: Node): Promise<void> {
  const o = n.obj;
  if (!o.metadata.deletionTimestamp) return;
  if (hasFinalizer(o, ORPHAN_FINALIZER)) {
    await orphanDependents(d, n);
    return removeFinalizer(n, ORPHAN_FINALIZER);
  }
  if (!hasFinalizer(o, FOREGROUND_FINALIZER)) return;
  const uid = o.metadata.uid ?? '';
  const dependents = d.graph.dependentsOf(uid);
  const blocks = (dep: Node): boolean => (dep.obj.metadata.ownerReferences ?? []).some((r) => r.uid === uid && r.blockOwnerDeletion === true);
  const blocking = dependents.filter(blocks);
  if (blocking.length === 0) return removeFinalizer(n, FOREGROUND_FINALIZER);
  for (const dep of [...blocking, ...dependents.filter((x) => !blocks(x))]) {
    if (!dep.obj.metadata.deletionTimestamp) d.enqueue(dependentKey(dep));
  }
}
