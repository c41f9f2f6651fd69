/** One Deployment sync (upstream's syncDeployment): claim, then pause/scale/rollout, status last. */
import type { KubeObject } from '../../api/types.js';
import { field } from '../../api/object.js';
import { isObject } from '../../api/types.js';
import { labelSelectorFromObject, type Selector } from '../../api/labels/selector.js';
import { splitKey } from '../../client/controller.js';
import { intAnnotation, DESIRED_REPLICAS_ANNOTATION } from './annotations.js';
import { claimReplicaSets } from './claim.js';
import { getCondition, newCondition, Reason, setCondition } from './conditions.js';
import { controllerRefOf, NAMESPACE_INDEX, type DeploymentDeps } from './deps.js';
import { isRollingUpdate, progressDeadlineSeconds, replicasOf } from './fenceposts.js';
import { deepCopy } from '../../api/object.js';
import { getAllReplicaSetsAndSyncRevision } from './new_replicaset.js';
import { rolloutRecreate } from './recreate.js';
import { filterActive } from './replicasets.js';
import { cleanupDeployment } from './cleanup.js';
import { rolloutRolling } from './rolling.js';
import { readStatus, writeStatus, type Rollout } from './rollout.js';
import { scale } from './scale.js';
import { syncDeploymentStatus } from './status.js';

function selectsAll(sel: unknown): boolean {
  if (!isObject(sel)) return false;
  const ml = sel.matchLabels;
  const me = sel.matchExpressions;
  return (!isObject(ml) || Object.keys(ml).length === 0) && (!Array.isArray(me) || me.length === 0);
}

/** podsByReplicaSet groups the selected pods of the namespace by owning ReplicaSet uid. */
function podsByReplicaSet(d: DeploymentDeps, namespace: string, selector: Selector, rsList: KubeObject[]): Map<string, KubeObject[]> {
  const uids = new Set(rsList.map((rs) => rs.metadata.uid ?? ''));
  const out = new Map<string, KubeObject[]>([...uids].map((u) => [u, []]));
  for (const pod of d.podLister.byIndex(NAMESPACE_INDEX, namespace)) {
    const uid = controllerRefOf(pod)?.uid;
    if (uid && uids.has(uid) && selector.matches(pod.metadata.labels)) out.get(uid)?.push(pod);
  }
  return out;
}

/** checkPausedConditions records pausing and resuming on the Progressing condition. */
async function checkPausedConditions(r: Rollout): Promise<void> {
  if (progressDeadlineSeconds(r.d) === undefined) return;
  const cond = getCondition(r.status.conditions, 'Progressing');
  if (cond?.reason === Reason.TimedOut) return;
  const paused = field(r.d, 'spec', 'paused') === true;
  const pausedCond = cond?.reason === Reason.Paused;
  const now = r.deps.clock.now();
  let next;
  if (paused && !pausedCond) next = newCondition('Progressing', 'Unknown', Reason.Paused, 'Deployment is paused', now);
  else if (!paused && pausedCond) next = newCondition('Progressing', 'Unknown', Reason.Resumed, 'Deployment is resumed', now);
  if (next) await writeStatus(r, { ...r.status, conditions: setCondition(r.status.conditions, next) });
}

/** isScalingEvent: an active ReplicaSet was sized for a different spec.replicas. */
async function isScalingEvent(r: Rollout, rsList: KubeObject[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(r, rsList, false);
  return filterActive([...oldRSs, newRS]).some((rs) => {
    const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
    return desired !== undefined && desired !== replicasOf(r.d);
  });
}

/** scaleAndStatus is upstream's sync(): resize ReplicaSets without rolling out, then write status. */
async function scaleAndStatus(r: Rollout, rsList: KubeObject[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(r, rsList, false);
  await scale(r, newRS, oldRSs);
  if (field(r.d, 'spec', 'paused') === true) await cleanupDeployment(r, oldRSs);
  await syncDeploymentStatus(r, [...oldRSs, newRS], newRS);
}

/**
 * syncDeployment brings one Deployment (by `namespace/name` key) in line: level-driven and
 * idempotent, reading from the caches. Throws to be re-queued.
 */
export async function syncDeployment(deps: DeploymentDeps, key: string): Promise<void> {
  const cached = deps.deploymentLister.get(key);
  if (!cached) return;
  const r: Rollout = { deps, key, d: deepCopy(cached), status: readStatus(cached) };
  const rawSelector = field(r.d, 'spec', 'selector');
  if (selectsAll(rawSelector)) {
    deps.recorder.event(r.d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
    const gen = r.d.metadata.generation ?? 0;
    if (r.status.observedGeneration < gen) await writeStatus(r, { ...r.status, observedGeneration: gen });
    return;
  }
  let selector: Selector;
  try {
    selector = labelSelectorFromObject(rawSelector);
  } catch {
    deps.logger.warn('invalid selector; not syncing', { deployment: key });
    return;
  }
  const { namespace } = splitKey(key);
  const rsList = await claimReplicaSets(deps, r.d, selector, deps.rsLister.byIndex(NAMESPACE_INDEX, namespace));
  if (r.d.metadata.deletionTimestamp) {
    const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(r, rsList, false);
    return syncDeploymentStatus(r, [...oldRSs, newRS], newRS);
  }
  await checkPausedConditions(r);
  if (field(r.d, 'spec', 'paused') === true) return scaleAndStatus(r, rsList);
  if (await isScalingEvent(r, rsList)) return scaleAndStatus(r, rsList);
  if (isRollingUpdate(r.d)) return rolloutRolling(r, rsList);
  return rolloutRecreate(r, rsList, podsByReplicaSet(deps, namespace, selector, rsList));
}
