/** PodDisruptionBudget status arithmetic: healthy pods, pending disruptions, the DisruptionAllowed condition. */
import type { KubeObject } from '../../api/types.js';
import { isObject } from '../../api/types.js';
import { arr, num, objAt, str } from '../../api/object.js';

/** DELETION_TIMEOUT_MS is how long an evicted pod stays in status.disruptedPods waiting to be deleted (upstream's DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

/** DISRUPTION_ALLOWED is the condition type the controller maintains. */
export const DISRUPTION_ALLOWED = 'DisruptionAllowed';

/** Reasons of the DisruptionAllowed condition. */
export const REASON = { sufficientPods: 'SufficientPods', insufficientPods: 'InsufficientPods', syncFailed: 'SyncFailed' } as const;

/** rfc3339 renders ms since the epoch as metav1.Time does (seconds precision, UTC). */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** isPodHealthy: Running, Ready condition True (the kubelet clears Ready when containers stop). */
export function isPodHealthy(pod: KubeObject): boolean {
  if (str(pod, 'status', 'phase') !== 'Running') return false;
  return arr(pod, 'status', 'conditions').some((c) => isObject(c) && c.type === 'Ready' && c.status === 'True');
}

/**
 * disruptedPodMap is buildDisruptedPodMap: status.disruptedPods minus entries whose pod is gone,
 * already terminating or overdue (DELETION_TIMEOUT_MS). recheckAt is the earliest time a kept entry expires.
 */
export function disruptedPodMap(pdb: KubeObject, pods: KubeObject[], now: number): { disrupted: Record<string, string>; recheckAt?: number } {
  const previous = objAt(pdb, 'status', 'disruptedPods') ?? {};
  const disrupted: Record<string, string> = {};
  let recheckAt: number | undefined;
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    const since = previous[name];
    if (pod.metadata.deletionTimestamp || typeof since !== 'string') continue;
    const expires = Date.parse(since) + DELETION_TIMEOUT_MS;
    if (!(expires > now)) continue;
    disrupted[name] = since;
    if (recheckAt === undefined || expires < recheckAt) recheckAt = expires;
  }
  return recheckAt === undefined ? { disrupted } : { disrupted, recheckAt };
}

/** countHealthyPods counts healthy pods that are neither terminating nor pending an eviction. */
export function countHealthyPods(pods: KubeObject[], disrupted: Record<string, string>): number {
  return pods.filter((p) => !p.metadata.deletionTimestamp && !((p.metadata.name ?? '') in disrupted) && isPodHealthy(p)).length;
}

/** PdbCounts are the computed numbers of a PodDisruptionBudget status. */
export interface PdbCounts {
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  disruptedPods: Record<string, string>;
}

/**
 * disruptionsAllowedOf is currentHealthy − desiredHealthy, floored at 0, and 0 while no pods are
 * expected (so a PDB whose first pods just appeared is safe before the controller sees them).
 */
export function disruptionsAllowedOf(c: PdbCounts): number {
  const allowed = c.currentHealthy - c.desiredHealthy;
  return c.expectedPods <= 0 || allowed <= 0 ? 0 : allowed;
}

/** setCondition is meta.SetStatusCondition: lastTransitionTime moves only when status changes. */
export function setCondition(conditions: unknown[], cond: { type: string; status: string; reason: string; message: string; observedGeneration: number }, now: number): unknown[] {
  const old = conditions.find((c) => isObject(c) && c.type === cond.type);
  const transition = isObject(old) && old.status === cond.status && typeof old.lastTransitionTime === 'string' ? old.lastTransitionTime : rfc3339(now);
  const next = { type: cond.type, status: cond.status, observedGeneration: cond.observedGeneration, lastTransitionTime: transition, reason: cond.reason, message: cond.message };
  return old ? conditions.map((c) => (c === old ? next : c)) : [...conditions, next];
}

/** desiredStatus builds the whole status (updatePdbStatus + UpdateDisruptionAllowedCondition). */
export function desiredStatus(pdb: KubeObject, c: PdbCounts, now: number): Record<string, unknown> {
  const allowed = disruptionsAllowedOf(c);
  const generation = pdb.metadata.generation ?? 0;
  const status: Record<string, unknown> = { observedGeneration: generation };
  if (Object.keys(c.disruptedPods).length) status.disruptedPods = c.disruptedPods;
  Object.assign(status, { disruptionsAllowed: allowed, currentHealthy: c.currentHealthy, desiredHealthy: c.desiredHealthy, expectedPods: c.expectedPods });
  const cond = allowed > 0 ? { status: 'True', reason: REASON.sufficientPods } : { status: 'False', reason: REASON.insufficientPods };
  status.conditions = setCondition(arr(pdb, 'status', 'conditions'), { type: DISRUPTION_ALLOWED, ...cond, message: '', observedGeneration: generation }, now);
  return status;
}

function sameMap(a: Record<string, unknown>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** statusUpToDate tells whether the stored status already says what desiredStatus would (ignoring timestamps it keeps). */
export function statusUpToDate(pdb: KubeObject, c: PdbCounts): boolean {
  const s = objAt(pdb, 'status') ?? {};
  const same = (k: string, v: number): boolean => num(s, k) === v;
  const cond = arr(s, 'conditions').find((x) => isObject(x) && x.type === DISRUPTION_ALLOWED);
  const allowed = disruptionsAllowedOf(c);
  const want = allowed > 0 ? ['True', REASON.sufficientPods] : ['False', REASON.insufficientPods];
  return (
    same('currentHealthy', c.currentHealthy) &&
    same('desiredHealthy', c.desiredHealthy) &&
    same('expectedPods', c.expectedPods) &&
    same('disruptionsAllowed', allowed) &&
    same('observedGeneration', pdb.metadata.generation ?? 0) &&
    sameMap(objAt(s, 'disruptedPods') ?? {}, c.disruptedPods) &&
    isObject(cond) && cond.status === want[0] && cond.reason === want[1]
  );
}
