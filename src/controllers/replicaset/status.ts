/** ReplicaSet status as upstream's calculateStatus / updateReplicaSetStatus compute and write it. */
import type { JsonObject, KubeObject } from '../../api/types.js';
import { arr, num, objAt } from '../../api/object.js';
import { isObject } from '../../api/types.js';
import { isStatusError } from '../../api/errors.js';
import type { ReplicaSetDeps } from './deps.js';
import { isPodAvailable, isPodReady, templateLabels, templateLabelsMatcher } from './pods.js';

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** ReplicaCounts are the numbers a ReplicaSet reports. */
export interface ReplicaCounts {
  replicas: number;
  fullyLabeledReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
}

/** countReplicas counts the RS's active pods by label completeness, readiness and availability. */
export function countReplicas(rs: KubeObject, active: KubeObject[], now: number): ReplicaCounts {
  const minReady = num(rs, 'spec', 'minReadySeconds') ?? 0;
  const fullyLabeled = templateLabelsMatcher(templateLabels(rs));
  const c: ReplicaCounts = { replicas: active.length, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0 };
  // One pass: a sync counts every pod of the ReplicaSet, often thousands.
  for (const p of active) {
    if (fullyLabeled(p)) c.fullyLabeledReplicas++;
    if (!isPodReady(p)) continue;
    c.readyReplicas++;
    if (isPodAvailable(p, minReady, now)) c.availableReplicas++;
  }
  return c;
}

/**
 * calculateStatus returns the status to write: the counts (zeros omitted, as the Go types omit
 * them), observedGeneration, and a ReplicaFailure condition while creating or deleting fails.
 */
export function calculateStatus(rs: KubeObject, active: KubeObject[], manageErr: unknown, now: number): JsonObject {
  const c = countReplicas(rs, active, now);
  const status: JsonObject = { replicas: c.replicas };
  if (c.fullyLabeledReplicas) status.fullyLabeledReplicas = c.fullyLabeledReplicas;
  if (c.readyReplicas) status.readyReplicas = c.readyReplicas;
  if (c.availableReplicas) status.availableReplicas = c.availableReplicas;
  if (rs.metadata.generation) status.observedGeneration = rs.metadata.generation;
  let conditions = arr(rs, 'status', 'conditions').filter(isObject);
  const failure = conditions.find((x) => x.type === 'ReplicaFailure');
  if (manageErr !== undefined && !failure) {
    const diff = active.length - (num(rs, 'spec', 'replicas') ?? 1);
    const cond: JsonObject = { type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(now) };
    if (diff !== 0) cond.reason = diff < 0 ? 'FailedCreate' : 'FailedDelete';
    cond.message = manageErr instanceof Error ? manageErr.message : String(manageErr);
    conditions = [...conditions, cond];
  } else if (manageErr === undefined && failure) {
    conditions = conditions.filter((x) => x.type !== 'ReplicaFailure');
  }
  if (conditions.length) status.conditions = conditions;
  return status;
}

function normalized(status: unknown): string {
  const s = isObject(status) ? status : {};
  const n = (k: string): number => num(s, k) ?? 0;
  return JSON.stringify([n('replicas'), n('fullyLabeledReplicas'), n('readyReplicas'), n('availableReplicas'), n('observedGeneration'), arr(s, 'conditions')]);
}

/**
 * updateStatusIfChanged writes status through the status subresource only when it differs from
 * the RS's current one; on a conflict it re-reads the RS once and retries. Returns the RS as stored.
 */
export async function updateStatusIfChanged(d: ReplicaSetDeps, rs: KubeObject, status: JsonObject): Promise<KubeObject> {
  let current = rs;
  for (let attempt = 0; ; attempt++) {
    if (normalized(objAt(current, 'status')) === normalized(status)) return current;
    try {
      return await d.replicaSets.updateStatus({ ...current, status });
    } catch (e) {
      if (attempt >= 1 || !isStatusError(e) || e.code !== 409) throw e;
      current = await d.replicaSets.get(rs.metadata.namespace ?? '', rs.metadata.name ?? '');
      if (current.metadata.uid !== rs.metadata.uid) return current;
    }
  }
}
