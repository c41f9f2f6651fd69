/** Deleting objects whose owners are gone (upstream's attemptToDeleteItem). */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { isStatusError } from '../../api/errors.js';
import type { DeleteOptions } from '../../client/client.js';
import type { GcDeps } from './deps.js';
import type { Node } from './graph.js';
import { FOREGROUND_FINALIZER, hasFinalizer, ORPHAN_FINALIZER, ownerResourceType } from './resources.js';

/** OwnerState: solid (exists), dangling (gone), waiting (being deleted in the foreground). */
export type OwnerState = 'solid' | 'dangling' | 'waiting';

const stateOf = (owner: KubeObject): OwnerState => (owner.metadata.deletionTimestamp && hasFinalizer(owner, FOREGROUND_FINALIZER) ? 'waiting' : 'solid');

/**
 * ownerState classifies one owner reference of a dependent: from the caches when the owner is
 * there, otherwise by a live GET (the caches may lag), so nothing is deleted on a stale view.
 * Owners of kinds skiff does not know count as solid.
 */
export async function ownerState(d: GcDeps, dependent: KubeObject, ref: OwnerReference): Promise<OwnerState> {
  const type = ownerResourceType(ref.apiVersion, ref.kind);
  if (!type) return 'solid';
  const ns = dependent.metadata.namespace ?? '';
  if (type.namespaced && !ns) return 'dangling';
  const cached = d.graph.findByUid(ref.uid);
  if (cached && cached.res.type.kind === ref.kind && (cached.obj.metadata.namespace ?? '') === (type.namespaced ? ns : '')) return stateOf(cached.obj);
  try {
    const live = await d.client.resource(type.gvr).get(type.namespaced ? ns : '', ref.name);
    return live.metadata.uid === ref.uid ? stateOf(live) : 'dangling';
  } catch (e) {
    // Only "this object is not found" proves absence (a 404 naming no object is a routing error).
    if (isStatusError(e) && e.code === 404 && e.status.details?.name) return 'dangling';
    throw e;
  }
}

const ignoreGone = (e: unknown): void => {
  if (!isStatusError(e) || (e.code !== 404 && e.code !== 409)) throw e;
};

async function deleteNode(n: Node, policy: NonNullable<DeleteOptions['propagationPolicy']>): Promise<void> {
  const o = n.obj;
  await n.res.client.delete(o.metadata.namespace ?? '', o.metadata.name ?? '', { propagationPolicy: policy, preconditions: { uid: o.metadata.uid ?? '' } }).catch(ignoreGone);
}

/**
 * processDependent looks at one object with owner references: with a solid owner left it only
 * drops references to gone or foreground-deleting owners; with none left it is deleted (in the
 * foreground when an owner waits on it and it has dependents of its own, else as its own
 * finalizers ask, else in the background).
 */
export async function processDependent(d: GcDeps, n: Node): Promise<void> {
  const o = n.obj;
  const refs = o.metadata.ownerReferences ?? [];
  if (refs.length === 0 || o.metadata.deletionTimestamp) return;
  const states = await Promise.all(refs.map((r) => ownerState(d, o, r)));
  const solid = states.filter((s) => s === 'solid').length;
  const waiting = states.filter((s) => s === 'waiting').length;
  if (solid > 0) {
    if (solid === refs.length) return;
    const keep = refs.filter((_, i) => states[i] === 'solid');
    const patch = { metadata: { ownerReferences: keep, resourceVersion: o.metadata.resourceVersion } };
    await n.res.client.patch(o.metadata.namespace ?? '', o.metadata.name ?? '', 'merge', patch).catch(ignoreGone);
    return;
  }
  if (waiting > 0 && d.graph.dependentsOf(o.metadata.uid ?? '').length > 0) return deleteNode(n, 'Foreground');
  const policy = hasFinalizer(o, ORPHAN_FINALIZER) ? 'Orphan' : hasFinalizer(o, FOREGROUND_FINALIZER) ? 'Foreground' : 'Background';
  d.logger.debug('deleting object whose owners are gone', { kind: n.res.type.kind, namespace: o.metadata.namespace, name: o.metadata.name });
  return deleteNode(n, policy);
}
