/** One ReplicaSet sync: claim pods, create/delete to match spec.replicas, then write status. */
import type { KubeObject } from '../../api/types.js';
import { num } from '../../api/object.js';
import { splitKey } from '../../client/controller.js';
import { claimObjects, newControllerRef, recheckOwner } from './claim.js';
import { CONTROLLER_INDEX, controllerIndexKey, NAMESPACE_INDEX, type ReplicaSetDeps } from './deps.js';
import { manageReplicas } from './manage.js';
import { controllerRefOf, isPodActive } from './pods.js';
import { calculateStatus, updateStatusIfChanged } from './status.js';

/** podsControlledBy returns the cached pods of a namespace whose controller has `uid` ("" for orphans). */
function podsControlledBy(d: ReplicaSetDeps, namespace: string, uid: string): KubeObject[] {
  return d.podLister.byIndex(CONTROLLER_INDEX, controllerIndexKey(namespace, uid));
}

/** relatedPods returns the pods of every ReplicaSet sharing rs's controller (or of rs alone). */
function relatedPods(d: ReplicaSetDeps, rs: KubeObject): KubeObject[] {
  const owner = controllerRefOf(rs);
  const uids = new Set([rs.metadata.uid ?? '']);
  if (owner) {
    for (const other of d.rsLister.byIndex(NAMESPACE_INDEX, rs.metadata.namespace ?? '')) {
      if (controllerRefOf(other)?.uid === owner.uid) uids.add(other.metadata.uid ?? '');
    }
  }
  return [...uids].flatMap((uid) => podsControlledBy(d, rs.metadata.namespace ?? '', uid));
}

/**
 * syncReplicaSet brings one ReplicaSet (by `namespace/name` key) in line: level-driven and
 * idempotent, reading from the caches; pods are only created or deleted when the expectations of
 * earlier writes have been observed; status is written last. Throws to be re-queued.
 */
export async function syncReplicaSet(d: ReplicaSetDeps, key: string): Promise<void> {
  const cached = d.rsLister.get(key);
  if (!cached) {
    d.expectations.delete(key);
    return;
  }
  const needsSync = d.expectations.satisfied(key);
  const selector = d.owner.selector(cached);
  // An empty selector selects nothing here (a ReplicationController's empty map would select all).
  if (!selector || selector.empty) {
    d.logger.warn('invalid selector; not syncing', { [d.owner.kind]: key });
    return;
  }
  const { namespace } = splitKey(key);
  // Only our pods and the orphans can be claimed: pods of other controllers are skipped anyway.
  const candidates = [...podsControlledBy(d, namespace, cached.metadata.uid ?? ''), ...podsControlledBy(d, namespace, '')];
  const ref = newControllerRef(cached, d.owner.apiVersion, d.owner.kind);
  const active = await claimObjects({
    owner: cached,
    ownerRef: ref,
    selector,
    candidates: candidates.filter(isPodActive),
    client: d.pods,
    canAdopt: () => recheckOwner(d.replicaSets, cached),
  });
  let manageErr: unknown;
  if (needsSync && !cached.metadata.deletionTimestamp) {
    try {
      await manageReplicas(d, cached, key, active, () => relatedPods(d, cached), ref);
    } catch (e) {
      manageErr = e;
    }
  }
  const now = d.clock.now();
  const updated = await updateStatusIfChanged(d, cached, calculateStatus(cached, active, manageErr, now));
  const minReady = num(updated, 'spec', 'minReadySeconds') ?? 0;
  const want = num(updated, 'spec', 'replicas') ?? 1;
  // Pods become available minReadySeconds after turning ready, with no event to tell us: look again then.
  if (manageErr === undefined && minReady > 0 && (num(updated, 'status', 'readyReplicas') ?? 0) === want && (num(updated, 'status', 'availableReplicas') ?? 0) !== want) {
    d.enqueueAfter(key, minReady * 1000);
  }
  if (manageErr !== undefined) throw manageErr;
}
