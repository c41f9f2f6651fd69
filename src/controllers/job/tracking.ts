/**
 * Counting finished pods without losing any (upstream's pod-tracking finalizers): a finished pod
 * first goes into status.uncountedTerminatedPods, then loses its finalizer, then moves into the
 * succeeded/failed counters. A crash between the steps repeats the step, never double-counts.
 */
import { arr, deepCopy, field, num, str } from '../../api/object.js';
import { isObject, type JsonObject, type KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { isFinished } from './conditions.js';
import type { JobDeps } from './deps.js';
import { formatIndexes, parseIndexes } from './indexes.js';
import { hasTrackingFinalizer, isTerminal, podIndex, podPhase, TRACKING_FINALIZER } from './pods.js';

function uidList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function isIndexed(job: KubeObject): boolean {
  return str(job, 'spec', 'completionMode') === 'Indexed';
}

/** outcomeOf says how an uncounted pod ends: Succeeded, Failed (also when deleted while running), or not yet. */
function outcomeOf(pod: KubeObject): 'succeeded' | 'failed' | undefined {
  if (podPhase(pod) === 'Succeeded') return 'succeeded';
  if (podPhase(pod) === 'Failed' || pod.metadata.deletionTimestamp) return 'failed';
  return undefined;
}

async function writeStatus(d: JobDeps, job: KubeObject, status: JsonObject): Promise<KubeObject> {
  const next = deepCopy(job);
  next.status = status;
  return d.client.resource(R.jobs).updateStatus(next);
}

/** removeFinalizer drops the tracking finalizer from a pod; a pod already gone is fine. */
export async function removeFinalizer(d: JobDeps, pod: KubeObject): Promise<void> {
  const patch = { metadata: { '$deleteFromPrimitiveList/finalizers': [TRACKING_FINALIZER] } };
  const pods = d.client.resource(R.pods);
  try {
    await pods.patch(pod.metadata.namespace ?? '', pod.metadata.name ?? '', 'strategic', patch);
    // skiff's API server keeps a pod marked for deletion with grace 0 after its last finalizer
    // goes (kube-apiserver removes it); deleting again completes the deletion.
    if (pod.metadata.deletionTimestamp && pod.metadata.deletionGracePeriodSeconds === 0) await pods.delete(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
  } catch (e) {
    if ((e as { code?: number }).code !== 404) throw e;
  }
}

function noteFailures(d: JobDeps, key: string, failed: number, succeeded: number): void {
  if (succeeded > 0) d.backoff.delete(key);
  if (failed === 0) return;
  const rec = d.backoff.get(key) ?? { failures: 0, lastFailureAt: 0 };
  d.backoff.set(key, { failures: rec.failures + failed, lastFailureAt: d.clock.now() });
}

/**
 * trackTerminatedPods counts the Job's finished pods and removes their finalizers (all finalizers,
 * once the Job itself is finished), returning the Job as last written.
 */
export async function trackTerminatedPods(d: JobDeps, key: string, job: KubeObject, pods: KubeObject[]): Promise<KubeObject> {
  const finished = isFinished(job);
  const status: JsonObject = deepCopy(isObject(job.status) ? job.status : {});
  const uncounted = { succeeded: uidList(field(status, 'uncountedTerminatedPods', 'succeeded')), failed: uidList(field(status, 'uncountedTerminatedPods', 'failed')) };
  const known = new Set([...uncounted.succeeded, ...uncounted.failed]);
  const completions = num(job, 'spec', 'completions') ?? 0;
  const completed = parseIndexes(str(status, 'completedIndexes'), completions);
  let added = { succeeded: 0, failed: 0 };
  for (const pod of pods) {
    const uid = pod.metadata.uid ?? '';
    if (finished || !hasTrackingFinalizer(pod) || known.has(uid)) continue;
    const outcome = outcomeOf(pod);
    if (!outcome) continue;
    uncounted[outcome].push(uid);
    added = { ...added, [outcome]: added[outcome] + 1 };
    const idx = podIndex(pod);
    if (outcome === 'succeeded' && isIndexed(job) && idx !== undefined) completed.add(idx);
  }
  if (added.succeeded + added.failed > 0) {
    status.uncountedTerminatedPods = { ...uncounted };
    if (isIndexed(job)) status.completedIndexes = formatIndexes(completed);
    job = await writeStatus(d, job, status);
    noteFailures(d, key, added.failed, added.succeeded);
  }
  const all = new Set([...uncounted.succeeded, ...uncounted.failed]);
  for (const pod of pods) {
    if (!hasTrackingFinalizer(pod)) continue;
    if (all.has(pod.metadata.uid ?? '') || (finished && (isTerminal(pod) || pod.metadata.deletionTimestamp))) await removeFinalizer(d, pod);
  }
  if (all.size === 0) return job;
  const counted: JsonObject = deepCopy(isObject(job.status) ? job.status : {});
  counted.succeeded = isIndexed(job) ? completed.size : (num(counted, 'succeeded') ?? 0) + uncounted.succeeded.length;
  counted.failed = (num(counted, 'failed') ?? 0) + uncounted.failed.length;
  counted.uncountedTerminatedPods = {};
  return writeStatus(d, job, counted);
}

/** countOf returns the counted plus uncounted succeeded/failed totals of a Job status. */
export function countOf(job: KubeObject): { succeeded: number; failed: number } {
  return {
    succeeded: (num(job, 'status', 'succeeded') ?? 0) + arr(job, 'status', 'uncountedTerminatedPods', 'succeeded').length,
    failed: (num(job, 'status', 'failed') ?? 0) + arr(job, 'status', 'uncountedTerminatedPods', 'failed').length,
  };
}
