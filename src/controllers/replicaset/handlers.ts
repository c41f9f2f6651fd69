/** Informer event handlers of the ReplicaSet controller: they observe expectations and enqueue keys. */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { num } from '../../api/object.js';
import { objectKeyOf, type EventHandlers } from '../../client/informer.js';
import { NAMESPACE_INDEX, type ReplicaSetDeps } from './deps.js';
import { controllerRefOf, isPodActive, isPodReady, podKey, podReadyCondition } from './pods.js';

/** ReplicaSetHandlers are the handlers for the ReplicaSet and Pod informers. */
export interface ReplicaSetHandlers {
  replicaSets: EventHandlers;
  pods: EventHandlers;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * syncRelevantChange tells whether a pod update (same labels and controller) changes what a
 * ReplicaSet sync reads: whether the pod is active (phase, deletion) and its Ready condition.
 */
function syncRelevantChange(old: KubeObject, cur: KubeObject): boolean {
  if (isPodActive(old) !== isPodActive(cur)) return true;
  const a = podReadyCondition(old);
  const b = podReadyCondition(cur);
  return a?.status !== b?.status || a?.lastTransitionTime !== b?.lastTransitionTime;
}

/** lookups builds the owner resolution and orphan matching the pod handlers share. */
function lookups(d: ReplicaSetDeps, enqueue: (key: string) => void): { resolve(ns: string | undefined, ref: OwnerReference): KubeObject | undefined; enqueueMatching(pod: KubeObject): void; podDeleted(pod: KubeObject): void } {
  const resolve = (namespace: string | undefined, ref: OwnerReference): KubeObject | undefined => {
    if (ref.kind !== d.owner.kind || ref.apiVersion.split('/', 1)[0] !== d.owner.apiVersion.split('/', 1)[0]) return undefined;
    const rs = d.rsLister.get(`${namespace ?? ''}/${ref.name}`);
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  };
  // Orphans: every ReplicaSet whose (non-empty) selector matches the pod may want to adopt it.
  const enqueueMatching = (pod: KubeObject): void => {
    for (const rs of d.rsLister.byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '')) {
      // An invalid or empty selector selects nothing.
      const sel = d.owner.selector(rs);
      if (sel && !sel.empty && sel.matches(pod.metadata.labels)) enqueue(objectKeyOf(rs));
    }
  };
  const podDeleted = (pod: KubeObject): void => {
    const ref = controllerRefOf(pod);
    const rs = ref && resolve(pod.metadata.namespace, ref);
    if (!rs) return;
    d.expectations.deletionObserved(objectKeyOf(rs), podKey(pod));
    enqueue(objectKeyOf(rs));
  };
  return { resolve, enqueueMatching, podDeleted };
}

/** replicaSetHandlers returns handlers that enqueue the ReplicaSets a change concerns. */
export function replicaSetHandlers(d: ReplicaSetDeps, enqueue: (key: string) => void): ReplicaSetHandlers {
  const { resolve, enqueueMatching, podDeleted } = lookups(d, enqueue);
  const podAdded = (pod: KubeObject): void => {
    if (pod.metadata.deletionTimestamp) return podDeleted(pod);
    const ref = controllerRefOf(pod);
    if (!ref) return enqueueMatching(pod);
    const rs = resolve(pod.metadata.namespace, ref);
    if (!rs) return;
    d.expectations.creationObserved(objectKeyOf(rs));
    enqueue(objectKeyOf(rs));
  };
  const podUpdated = (old: KubeObject, cur: KubeObject): void => {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelsChanged = !sameJson(old.metadata.labels, cur.metadata.labels);
    if (cur.metadata.deletionTimestamp) {
      // A graceful deletion started: replace the pod now rather than when the kubelet is done.
      podDeleted(cur);
      if (labelsChanged) podDeleted(old);
      return;
    }
    const curRef = controllerRefOf(cur);
    const oldRef = controllerRefOf(old);
    const refChanged = !sameJson(curRef, oldRef);
    const oldRS = refChanged && oldRef ? resolve(old.metadata.namespace, oldRef) : undefined;
    if (oldRS) enqueue(objectKeyOf(oldRS));
    if (!curRef) {
      if (labelsChanged || refChanged) enqueueMatching(cur);
      return;
    }
    const rs = resolve(cur.metadata.namespace, curRef);
    if (!rs) return;
    // A change the sync cannot see (a bind, a container restart count) needs no sync: at scale
    // every pod's bind would otherwise cost its ReplicaSet a pass over all of its pods.
    if (!labelsChanged && !refChanged && !syncRelevantChange(old, cur)) return;
    enqueue(objectKeyOf(rs));
    const minReady = num(rs, 'spec', 'minReadySeconds') ?? 0;
    if (!isPodReady(old) && isPodReady(cur) && minReady > 0) d.enqueueAfter(objectKeyOf(rs), minReady * 1000 + 1000);
  };
  return {
    replicaSets: {
      onAdd: (rs) => enqueue(objectKeyOf(rs)),
      onUpdate: (old, cur) => {
        if (old.metadata.uid !== cur.metadata.uid) d.expectations.delete(objectKeyOf(old));
        enqueue(objectKeyOf(cur));
      },
      onDelete: (rs) => {
        d.expectations.delete(objectKeyOf(rs));
        enqueue(objectKeyOf(rs));
      },
    },
    pods: { onAdd: podAdded, onUpdate: podUpdated, onDelete: podDeleted },
  };
}
