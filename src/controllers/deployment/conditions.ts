/** Deployment status conditions (Available, Progressing, ReplicaFailure) as upstream sets them. */

/** Condition is one entry of status.conditions. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** Reasons upstream uses on the Progressing and Available conditions. */
export const Reason = {
  NewRSCreated: 'NewReplicaSetCreated',
  FoundNewRS: 'FoundNewReplicaSet',
  RSUpdated: 'ReplicaSetUpdated',
  NewRSAvailable: 'NewReplicaSetAvailable',
  TimedOut: 'ProgressDeadlineExceeded',
  FailedRSCreate: 'ReplicaSetCreateError',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** rfc3339 formats ms as a seconds-precision timestamp. */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** newCondition builds a condition updated and transitioned now. */
export function newCondition(type: string, status: Condition['status'], reason: string, message: string, now: number): Condition {
  const t = rfc3339(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** getCondition finds the condition of a type. */
export function getCondition(conds: Condition[], type: string): Condition | undefined {
  return conds.find((c) => c.type === type);
}

/**
 * setCondition replaces the condition of c's type (appending it last) unless one with the same
 * status and reason exists; an unchanged status keeps its lastTransitionTime.
 */
export function setCondition(conds: Condition[], c: Condition): Condition[] {
  const cur = getCondition(conds, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return conds;
  const next = cur && cur.status === c.status ? { ...c, lastTransitionTime: cur.lastTransitionTime } : c;
  return [...conds.filter((x) => x.type !== c.type), next];
}

/** removeCondition drops the condition of a type. */
export function removeCondition(conds: Condition[], type: string): Condition[] {
  return conds.filter((x) => x.type !== type);
}

/** readConditions reads status.conditions entries, filling absent strings with "". */
export function readConditions(v: unknown): Condition[] {
  if (!Array.isArray(v)) return [];
  const s = (x: unknown): string => (typeof x === 'string' ? x : '');
  return v
    .filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null)
    .map((x) => ({
      type: s(x.type),
      status: x.status === 'True' || x.status === 'False' ? x.status : 'Unknown',
      lastUpdateTime: s(x.lastUpdateTime),
      lastTransitionTime: s(x.lastTransitionTime),
      reason: s(x.reason),
      message: s(x.message),
    }));
}
