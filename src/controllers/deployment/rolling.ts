/** The RollingUpdate strategy (upstream's rolling.go): surge the new ReplicaSet, drain the old ones. */
import type { KubeObject } from '../../api/types.js';
import { num } from '../../api/object.js';
import { cleanupDeployment } from './cleanup.js';
import { maxUnavailable, replicasOf } from './fenceposts.js';
import { getAllReplicaSetsAndSyncRevision, newRSReplicas } from './new_replicaset.js';
import { byCreation, filterActive, sumSpecReplicas, sumStatus } from './replicasets.js';
import type { Rollout } from './rollout.js';
import { scaleReplicaSetAndRecordEvent } from './scale.js';
import { deploymentComplete, syncRolloutStatus } from './status.js';

const available = (rs: KubeObject): number => num(rs, 'status', 'availableReplicas') ?? 0;

async function reconcileNewReplicaSet(r: Rollout, allRSs: KubeObject[], newRS: KubeObject): Promise<boolean> {
  const desired = replicasOf(r.d);
  if (replicasOf(newRS) === desired) return false;
  const target = replicasOf(newRS) > desired ? desired : newRSReplicas(r.d, allRSs, newRS);
  return (await scaleReplicaSetAndRecordEvent(r, newRS, target)).scaled;
}

/** cleanupUnhealthyReplicas scales old ReplicaSets down by their unavailable pods first, oldest first. */
async function cleanupUnhealthyReplicas(r: Rollout, oldRSs: KubeObject[], maxCleanup: number): Promise<{ oldRSs: KubeObject[]; count: number }> {
  const sorted = [...oldRSs].sort(byCreation);
  let total = 0;
  for (const [i, rs] of sorted.entries()) {
    if (total >= maxCleanup) break;
    const replicas = replicasOf(rs);
    if (replicas === 0 || replicas === available(rs)) continue;
    const down = Math.min(maxCleanup - total, replicas - available(rs));
    sorted[i] = (await scaleReplicaSetAndRecordEvent(r, rs, replicas - down)).rs;
    total += down;
  }
  return { oldRSs: sorted, count: total };
}

/** scaleDownOldForRollingUpdate scales old ReplicaSets down while availability stays above the minimum. */
async function scaleDownOldForRollingUpdate(r: Rollout, allRSs: KubeObject[], oldRSs: KubeObject[]): Promise<number> {
  const minAvailable = replicasOf(r.d) - maxUnavailable(r.d);
  const availableNow = sumStatus(allRSs, 'availableReplicas');
  if (availableNow <= minAvailable) return 0;
  const budget = availableNow - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= budget) break;
    if (replicasOf(rs) === 0) continue;
    const down = Math.min(replicasOf(rs), budget - total);
    await scaleReplicaSetAndRecordEvent(r, rs, replicasOf(rs) - down);
    total += down;
  }
  return total;
}

async function reconcileOldReplicaSets(r: Rollout, allRSs: KubeObject[], oldRSs: KubeObject[], newRS: KubeObject): Promise<boolean> {
  if (sumSpecReplicas(oldRSs) === 0) return false;
  const minAvailable = replicasOf(r.d) - maxUnavailable(r.d);
  const newUnavailable = replicasOf(newRS) - available(newRS);
  const maxScaledDown = sumSpecReplicas(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  // Unhealthy old replicas go first, or they would block the rollout until it times out.
  const cleaned = await cleanupUnhealthyReplicas(r, oldRSs, maxScaledDown);
  const scaledDown = await scaleDownOldForRollingUpdate(r, [...cleaned.oldRSs, newRS], cleaned.oldRSs);
  return cleaned.count + scaledDown > 0;
}

/** rolloutRolling runs one step of a rolling update and writes the rollout status. */
export async function rolloutRolling(r: Rollout, rsList: KubeObject[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(r, rsList, true);
  if (!newRS) return;
  const allRSs = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(r, allRSs, newRS)) return syncRolloutStatus(r, allRSs, newRS);
  if (await reconcileOldReplicaSets(r, allRSs, filterActive(oldRSs), newRS)) return syncRolloutStatus(r, allRSs, newRS);
  if (deploymentComplete(r.d, r.status)) await cleanupDeployment(r, oldRSs);
  return syncRolloutStatus(r, allRSs, newRS);
}
