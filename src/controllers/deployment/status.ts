/** Deployment status and its Available/Progressing conditions (upstream's sync.go and progress.go). */
import type { KubeObject } from '../../api/types.js';
import { arr } from '../../api/object.js';
import { isObject } from '../../api/types.js';
import { getCondition, newCondition, Reason, removeCondition, setCondition, type Condition } from './conditions.js';
import { maxUnavailable, progressDeadlineSeconds, replicasOf } from './fenceposts.js';
import { sumSpecReplicas, sumStatus } from './replicasets.js';
import { sameStatus, writeStatus, type DeploymentStatus, type Rollout } from './rollout.js';

/** calculateStatus derives counts from the ReplicaSets and sets the Available condition. */
export function calculateStatus(r: Rollout, allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined): DeploymentStatus {
  const available = sumStatus(allRSs, 'availableReplicas');
  const s: DeploymentStatus = {
    observedGeneration: r.d.metadata.generation ?? 0,
    replicas: sumStatus(allRSs, 'replicas'),
    updatedReplicas: sumStatus([newRS], 'replicas'),
    readyReplicas: sumStatus(allRSs, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sumSpecReplicas(allRSs) - available),
    conditions: [...r.status.conditions],
  };
  if (r.status.collisionCount !== undefined) s.collisionCount = r.status.collisionCount;
  const now = r.deps.clock.now();
  const cond = available >= replicasOf(r.d) - maxUnavailable(r.d)
    ? newCondition('Available', 'True', Reason.MinimumReplicasAvailable, 'Deployment has minimum availability.', now)
    : newCondition('Available', 'False', Reason.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', now);
  s.conditions = setCondition(s.conditions, cond);
  return s;
}

/** deploymentComplete: every replica is updated and available, and the spec was observed. */
export function deploymentComplete(d: KubeObject, s: DeploymentStatus): boolean {
  const want = replicasOf(d);
  return s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want && s.observedGeneration >= (d.metadata.generation ?? 0);
}

function progressing(old: DeploymentStatus, s: DeploymentStatus): boolean {
  return s.updatedReplicas > old.updatedReplicas || s.replicas - s.updatedReplicas < old.replicas - old.updatedReplicas || s.readyReplicas > old.readyReplicas || s.availableReplicas > old.availableReplicas;
}

function timedOut(d: KubeObject, s: DeploymentStatus, now: number): boolean {
  const deadline = progressDeadlineSeconds(d);
  const cond = getCondition(s.conditions, 'Progressing');
  if (deadline === undefined || !cond || cond.reason === Reason.NewRSAvailable) return false;
  if (cond.reason === Reason.TimedOut) return true;
  return Date.parse(cond.lastUpdateTime) + deadline * 1000 < now;
}

function replicaFailure(allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined): Condition | undefined {
  for (const rs of [newRS, ...allRSs]) {
    const c = arr(rs, 'status', 'conditions').find((x) => isObject(x) && x.type === 'ReplicaFailure');
    if (isObject(c)) {
      const t = typeof c.lastTransitionTime === 'string' ? c.lastTransitionTime : '';
      const s = (v: unknown): string => (typeof v === 'string' ? v : '');
      return { type: 'ReplicaFailure', status: c.status === 'False' ? 'False' : c.status === 'True' ? 'True' : 'Unknown', lastUpdateTime: t, lastTransitionTime: t, reason: s(c.reason), message: s(c.message) };
    }
  }
  return undefined;
}

/** progressCondition computes the Progressing condition for a rollout in flight. */
function progressCondition(r: Rollout, s: DeploymentStatus, newRS: KubeObject | undefined): Condition[] {
  const now = r.deps.clock.now();
  const subject = newRS ? `ReplicaSet "${newRS.metadata.name ?? ''}"` : `Deployment "${r.d.metadata.name ?? ''}"`;
  if (deploymentComplete(r.d, s)) {
    return setCondition(s.conditions, newCondition('Progressing', 'True', Reason.NewRSAvailable, `${subject} has successfully progressed.`, now));
  }
  if (progressing(r.status, s)) {
    // Progress refreshes lastUpdateTime even with an unchanged reason; a True status keeps its transition time.
    const cur = getCondition(r.status.conditions, 'Progressing');
    const c = newCondition('Progressing', 'True', Reason.RSUpdated, `${subject} is progressing.`, now);
    if (cur?.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
    return setCondition(removeCondition(s.conditions, 'Progressing'), c);
  }
  if (timedOut(r.d, s, now)) {
    return setCondition(s.conditions, newCondition('Progressing', 'False', Reason.TimedOut, `${subject} has timed out progressing.`, now));
  }
  return s.conditions;
}

/** requeueStuck re-checks a rollout without progress when its deadline would pass. */
function requeueStuck(r: Rollout, s: DeploymentStatus): void {
  const deadline = progressDeadlineSeconds(r.d);
  const cur = getCondition(r.status.conditions, 'Progressing');
  if (deadline === undefined || !cur || deploymentComplete(r.d, s) || cur.reason === Reason.TimedOut) return;
  const after = Date.parse(cur.lastUpdateTime) + deadline * 1000 - r.deps.clock.now();
  if (after < 1000) r.deps.enqueueRateLimited(r.key);
  else r.deps.enqueueAfter(r.key, after + 1000);
}

/**
 * syncRolloutStatus writes the status of a rollout: counts, Available, Progressing (complete,
 * progressing, or ProgressDeadlineExceeded) and ReplicaFailure copied from the ReplicaSets.
 */
export async function syncRolloutStatus(r: Rollout, allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined): Promise<void> {
  const s = calculateStatus(r, allRSs, newRS);
  if (progressDeadlineSeconds(r.d) === undefined) s.conditions = removeCondition(s.conditions, 'Progressing');
  const cur = getCondition(r.status.conditions, 'Progressing');
  const complete = s.replicas === s.updatedReplicas && cur?.reason === Reason.NewRSAvailable;
  if (progressDeadlineSeconds(r.d) !== undefined && !complete) s.conditions = progressCondition(r, s, newRS);
  const failure = replicaFailure(allRSs, newRS);
  s.conditions = failure ? setCondition(s.conditions, failure) : removeCondition(s.conditions, 'ReplicaFailure');
  if (sameStatus(r.status, s)) {
    requeueStuck(r, s);
    return;
  }
  await writeStatus(r, s);
}

/** syncDeploymentStatus writes counts and Available only (scaling, paused, deleting). */
export async function syncDeploymentStatus(r: Rollout, allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined): Promise<void> {
  const s = calculateStatus(r, allRSs, newRS);
  if (!sameStatus(r.status, s)) await writeStatus(r, s);
}
