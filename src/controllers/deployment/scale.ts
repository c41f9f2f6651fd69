/** Scaling a Deployment's ReplicaSets, including proportional scaling mid-rollout (upstream's sync.go scale). */
import type { KubeObject } from '../../api/types.js';
import { deepCopy } from '../../api/object.js';
import { intAnnotation, MAX_REPLICAS_ANNOTATION, replicasAnnotationsNeedUpdate, setReplicasAnnotations } from './annotations.js';
import { maxSurge, replicasOf, isRollingUpdate } from './fenceposts.js';
import { bySizeNewer, bySizeOlder, filterActive, findActiveOrLatest, isSaturated, sumSpecReplicas } from './replicasets.js';
import type { Rollout } from './rollout.js';

/**
 * scaleReplicaSet sets rs's spec.replicas to newScale and refreshes its desired/max-replicas
 * annotations (one update, only if something changed), recording a ScalingReplicaSet event when
 * the size moved. Returns the stored ReplicaSet.
 */
export async function scaleReplicaSet(r: Rollout, rs: KubeObject, newScale: number, operation: string): Promise<{ scaled: boolean; rs: KubeObject }> {
  const desired = replicasOf(r.d);
  const max = desired + maxSurge(r.d);
  const oldScale = replicasOf(rs);
  const sizeChanged = oldScale !== newScale;
  if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
  const copy = deepCopy(rs);
  (copy.spec as Record<string, unknown>).replicas = newScale;
  setReplicasAnnotations(copy, desired, max);
  const stored = await r.deps.replicaSets.update(copy);
  if (sizeChanged) {
    r.deps.recorder.event(r.d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${stored.metadata.name ?? ''} from ${oldScale} to ${newScale}`);
  }
  return { scaled: sizeChanged, rs: stored };
}

/** scaleReplicaSetAndRecordEvent scales rs when its size differs from newScale. */
export async function scaleReplicaSetAndRecordEvent(r: Rollout, rs: KubeObject, newScale: number): Promise<{ scaled: boolean; rs: KubeObject }> {
  if (replicasOf(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(r, rs, newScale, replicasOf(rs) < newScale ? 'up' : 'down');
}

/** proportion is GetReplicaSetProportion: rs's share of the replicas to add (or remove). */
function proportion(r: Rollout, rs: KubeObject, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  const desired = replicasOf(r.d);
  if (desired === 0) fraction = -replicasOf(rs);
  else {
    const maxNow = desired + maxSurge(r.d);
    let maxBefore = intAnnotation(rs, MAX_REPLICAS_ANNOTATION) ?? 0;
    if (maxBefore === 0) maxBefore = r.status.replicas;
    fraction = maxBefore === 0 ? 0 : Math.round((replicasOf(rs) * maxNow) / maxBefore) - replicasOf(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * scale resizes the ReplicaSets when spec.replicas changed: the only active one (or the newest)
 * takes the full count; once the new one is saturated the old ones go to 0; mid-rollout every
 * active ReplicaSet grows or shrinks in proportion to its size, leftovers to the largest.
 */
export async function scale(r: Rollout, newRS: KubeObject | undefined, oldRSs: KubeObject[]): Promise<void> {
  const desired = replicasOf(r.d);
  const only = findActiveOrLatest(newRS, oldRSs);
  if (only) {
    if (replicasOf(only) !== desired) await scaleReplicaSetAndRecordEvent(r, only, desired);
    return;
  }
  if (isSaturated(r.d, newRS)) {
    for (const old of filterActive(oldRSs)) await scaleReplicaSetAndRecordEvent(r, old, 0);
    return;
  }
  if (!isRollingUpdate(r.d)) return;
  const all = filterActive([...oldRSs, newRS]);
  const allowed = desired > 0 ? desired + maxSurge(r.d) : 0;
  const toAdd = allowed - sumSpecReplicas(all);
  const operation = toAdd > 0 ? 'up' : toAdd < 0 ? 'down' : '';
  if (toAdd > 0) all.sort(bySizeNewer);
  else if (toAdd < 0) all.sort(bySizeOlder);
  let added = 0;
  const sizes = new Map<KubeObject, number>();
  for (const rs of all) {
    const p = toAdd !== 0 ? proportion(r, rs, toAdd, added) : 0;
    sizes.set(rs, replicasOf(rs) + p);
    added += p;
  }
  for (const [i, rs] of all.entries()) {
    let size = sizes.get(rs) ?? 0;
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    await scaleReplicaSet(r, rs, size, operation);
  }
}
