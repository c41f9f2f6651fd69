/** syncStatefulSet: revisions, one pod-management pass, claims clean-up, history, then status. */
import { deepCopy, num } from '../../api/object.js';
import { isObject, type JsonObject, type KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { deleteScaledClaims, syncClaimOwners } from './claims.js';
import type { StatefulSetDeps } from './deps.js';
import { isAvailable, isRunningAndReady, minReadySecondsOf, ordinalOf, REVISION_LABEL } from './pods.js';
import { runPass } from './pods_pass.js';
import { ensureRevisions, trimHistory, type Revisions } from './revisions.js';

function owned(objs: KubeObject[], uid: string | undefined): KubeObject[] {
  return objs.filter((o) => o.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === uid));
}

/** syncStatefulSet reconciles one StatefulSet from the informer caches. */
export async function syncStatefulSet(d: StatefulSetDeps, key: string): Promise<void> {
  const set = d.sets.get(key);
  if (!set || set.metadata.deletionTimestamp) return;
  const ns = set.metadata.namespace;
  const revisions = owned(d.revisions.list(ns), set.metadata.uid);
  const revs = await ensureRevisions(d.client, set, revisions);
  const pods = owned(d.pods.list(ns), set.metadata.uid).filter((p) => ordinalOf(set, p) !== undefined);
  const replicas = num(set, 'spec', 'replicas') ?? 1;
  const start = num(set, 'spec', 'ordinals', 'start') ?? 0;
  const byOrdinal = new Map<number, KubeObject>();
  const condemned: KubeObject[] = [];
  for (const pod of pods) {
    const ord = ordinalOf(set, pod) ?? -1;
    if (ord >= start && ord < start + replicas) byOrdinal.set(ord, pod);
    else condemned.push(pod);
  }
  condemned.sort((a, b) => (ordinalOf(set, b) ?? 0) - (ordinalOf(set, a) ?? 0));
  await runPass(d, { set, byOrdinal, condemned, revs });
  await deleteScaledClaims(d.client, d.claims, set, start + replicas, new Set(pods.map((p) => ordinalOf(set, p) ?? -1)));
  await syncClaimOwners(d.client, d.claims, set, start, start + replicas);
  await trimHistory(d.client, set, revisions, pods, [revs.current, revs.update]);
  await writeStatus(d, set, pods, revs, replicas);
}

async function writeStatus(d: StatefulSetDeps, set: KubeObject, pods: KubeObject[], revs: Revisions, replicas: number): Promise<void> {
  const now = d.clock.now();
  const minReady = minReadySecondsOf(set);
  const status: JsonObject = deepCopy(isObject(set.status) ? set.status : {});
  status.observedGeneration = set.metadata.generation ?? 0;
  status.replicas = pods.length;
  status.readyReplicas = pods.filter(isRunningAndReady).length;
  status.availableReplicas = pods.filter((p) => isAvailable(p, minReady, now)).length;
  status.currentReplicas = pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] === revs.current).length;
  status.updatedReplicas = pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] === revs.update).length;
  status.currentRevision = revs.current;
  status.updateRevision = revs.update;
  status.collisionCount = num(status, 'collisionCount') ?? 0;
  const rolling = (isObject(set.spec) && isObject(set.spec.updateStrategy) ? set.spec.updateStrategy.type : 'RollingUpdate') === 'RollingUpdate';
  if (rolling && status.updatedReplicas === replicas && status.readyReplicas === replicas && pods.length === replicas) {
    status.currentRevision = revs.update;
    status.currentReplicas = status.updatedReplicas;
  }
  if (minReady > 0 && status.availableReplicas !== status.readyReplicas) d.queue.addAfter(`${set.metadata.namespace ?? ''}/${set.metadata.name ?? ''}`, minReady * 1000);
  if (JSON.stringify(status) === JSON.stringify(set.status ?? {})) return;
  await d.client.resource(R.statefulsets).updateStatus({ ...deepCopy(set), status });
}
