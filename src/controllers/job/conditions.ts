/** Job status conditions and timestamps. */
import { arr, str } from '../../api/object.js';
import { isObject, type JsonObject, type KubeObject } from '../../api/types.js';

/** rfc3339 formats ms as a metav1.Time string (second precision). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** conditionTrue tells whether status.conditions holds `type` with status True. */
export function conditionTrue(status: unknown, type: string): boolean {
  return arr(status, 'conditions').some((c) => str(c, 'type') === type && str(c, 'status') === 'True');
}

/** isFinished tells whether the Job has its terminal Complete or Failed condition. */
export function isFinished(job: KubeObject): boolean {
  return conditionTrue(job.status, 'Complete') || conditionTrue(job.status, 'Failed');
}

/** finishTime is when the Job finished (completionTime, or the Failed condition's transition). */
export function finishTime(job: KubeObject): number | undefined {
  const done = str(job, 'status', 'completionTime');
  if (done) return Date.parse(done);
  const failed = arr(job, 'status', 'conditions').find((c) => str(c, 'type') === 'Failed' && str(c, 'status') === 'True');
  const t = str(failed, 'lastTransitionTime');
  return t ? Date.parse(t) : undefined;
}

/**
 * setCondition adds or updates a condition in status; the transition time only moves when the
 * condition's status changes. Returns whether anything changed.
 */
export function setCondition(status: JsonObject, type: string, value: 'True' | 'False', reason: string, message: string, now: number): boolean {
  const conds = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
  const existing = conds.find((c) => c.type === type);
  if (existing && existing.status === value && existing.reason === reason && existing.message === message) return false;
  const t = rfc3339(now);
  const next: JsonObject = { type, status: value, lastProbeTime: t, lastTransitionTime: existing && existing.status === value ? existing.lastTransitionTime : t, reason, message };
  status.conditions = existing ? conds.map((c) => (c === existing ? next : c)) : [...conds, next];
  return true;
}
