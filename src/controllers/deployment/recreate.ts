/** The Recreate strategy (upstream's recreate.go): every old pod is gone before new ones start. */
import type { KubeObject } from '../../api/types.js';
import { str } from '../../api/object.js';
import { cleanupDeployment } from './cleanup.js';
import { replicasOf } from './fenceposts.js';
import { getAllReplicaSetsAndSyncRevision } from './new_replicaset.js';
import { filterActive, sumStatus } from './replicasets.js';
import type { Rollout } from './rollout.js';
import { scaleReplicaSetAndRecordEvent } from './scale.js';
import { deploymentComplete, syncRolloutStatus } from './status.js';

/** oldPodsRunning: old ReplicaSets still report pods, or a non-terminal pod of theirs remains. */
function oldPodsRunning(newRS: KubeObject | undefined, oldRSs: KubeObject[], podsByRS: Map<string, KubeObject[]>): boolean {
  if (sumStatus(oldRSs, 'replicas') > 0) return true;
  for (const [uid, pods] of podsByRS) {
    if (newRS && newRS.metadata.uid === uid) continue;
    for (const pod of pods) {
      const phase = str(pod, 'status', 'phase');
      if (phase !== 'Failed' && phase !== 'Succeeded') return true;
    }
  }
  return false;
}

/** rolloutRecreate scales old ReplicaSets to 0, waits for their pods to go, then scales up the new one. */
export async function rolloutRecreate(r: Rollout, rsList: KubeObject[], podsByRS: Map<string, KubeObject[]>): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(r, rsList, false);
  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) {
    if ((await scaleReplicaSetAndRecordEvent(r, rs, 0)).scaled) scaledDown = true;
  }
  if (scaledDown || oldPodsRunning(newRS, oldRSs, podsByRS)) return syncRolloutStatus(r, [...oldRSs, newRS], newRS);
  if (!newRS) ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(r, rsList, true));
  if (newRS) await scaleReplicaSetAndRecordEvent(r, newRS, replicasOf(r.d));
  if (deploymentComplete(r.d, r.status)) await cleanupDeployment(r, oldRSs);
  return syncRolloutStatus(r, [...oldRSs, newRS], newRS);
}
