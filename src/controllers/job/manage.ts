/** Creating and deleting a Job's pods: how many to run, which indexes, and the failure back-off. */
import { num, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { backoffDelayMs, type JobDeps } from './deps.js';
import { parseIndexes } from './indexes.js';
import { hasTrackingFinalizer, isPodReady, newJobPod, podIndex, podPhase } from './pods.js';
import { removeFinalizer } from './tracking.js';

/** ManageResult tells how many pods a pass created and deleted. */
export interface ManageResult {
  created: number;
  deleted: number;
}

/** deletionOrder puts the pods cheapest to lose first: not yet running, not ready, then newest. */
function deletionOrder(a: KubeObject, b: KubeObject): number {
  const rank = (p: KubeObject): number => (podPhase(p) !== 'Running' ? 0 : isPodReady(p) ? 2 : 1);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  return (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
}

/**
 * deleteJobPods deletes pods; with countAsFailed false their finalizer goes first, so pods removed
 * for scale-down or after success are not counted as failures.
 */
export async function deleteJobPods(d: JobDeps, key: string, job: KubeObject, pods: KubeObject[], countAsFailed: boolean): Promise<number> {
  if (pods.length === 0) return 0;
  d.expectations.expect(key, 0, pods.length);
  const results = await Promise.allSettled(pods.map(async (pod) => {
    if (!countAsFailed && hasTrackingFinalizer(pod)) await removeFinalizer(d, pod);
    try {
      await d.client.resource(R.pods).delete(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
      d.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`);
    } catch (e) {
      d.expectations.deletionObserved(key);
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return pods.length;
}

async function createJobPods(d: JobDeps, key: string, job: KubeObject, indexes: (number | undefined)[]): Promise<number> {
  if (indexes.length === 0) return 0;
  const rec = d.backoff.get(key);
  const wait = rec ? rec.lastFailureAt + backoffDelayMs(rec.failures) - d.clock.now() : 0;
  if (wait > 0) {
    d.queue.addAfter(key, wait);
    return 0;
  }
  d.expectations.expect(key, indexes.length, 0);
  const results = await Promise.allSettled(indexes.map(async (index) => {
    try {
      const pod = await d.client.resource(R.pods).create(job.metadata.namespace ?? '', newJobPod(job, index));
      d.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`);
    } catch (e) {
      d.expectations.creationObserved(key);
      d.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
      throw e;
    }
  }));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return indexes.length;
}

function wantedNonIndexed(job: KubeObject, active: number, succeeded: number): number {
  const parallelism = num(job, 'spec', 'parallelism') ?? 1;
  const completions = num(job, 'spec', 'completions');
  if (completions === undefined) return succeeded > 0 ? Math.min(active, parallelism) : parallelism;
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

/** manageActive brings the number of active pods (and, for Indexed Jobs, their indexes) to what the spec asks. */
export async function manageActive(d: JobDeps, key: string, job: KubeObject, active: KubeObject[], succeeded: number): Promise<ManageResult> {
  if (str(job, 'spec', 'completionMode') === 'Indexed') return manageIndexed(d, key, job, active);
  const want = wantedNonIndexed(job, active.length, succeeded);
  if (active.length > want) {
    const excess = [...active].sort(deletionOrder).slice(0, active.length - want);
    return { created: 0, deleted: await deleteJobPods(d, key, job, excess, false) };
  }
  const missing = Array.from({ length: want - active.length }, () => undefined);
  return { created: await createJobPods(d, key, job, missing), deleted: 0 };
}

async function manageIndexed(d: JobDeps, key: string, job: KubeObject, active: KubeObject[]): Promise<ManageResult> {
  const completions = num(job, 'spec', 'completions') ?? 0;
  const parallelism = num(job, 'spec', 'parallelism') ?? 1;
  const completed = parseIndexes(str(job, 'status', 'completedIndexes'), completions);
  const seen = new Set<number>();
  const excess: KubeObject[] = [];
  for (const pod of [...active].sort((a, b) => -deletionOrder(a, b))) {
    const idx = podIndex(pod);
    if (idx === undefined || idx >= completions || completed.has(idx) || seen.has(idx)) excess.push(pod);
    else seen.add(idx);
  }
  // Over parallelism (it was lowered): give up the highest indexes.
  for (const idx of [...seen].sort((a, b) => b - a).slice(0, Math.max(0, seen.size - parallelism))) {
    seen.delete(idx);
    const pod = active.find((p) => podIndex(p) === idx && !excess.includes(p));
    if (pod) excess.push(pod);
  }
  const kept = active.length - excess.length;
  const missing: number[] = [];
  for (let i = 0; i < completions && kept + missing.length < parallelism; i++) if (!completed.has(i) && !seen.has(i)) missing.push(i);
  const deleted = await deleteJobPods(d, key, job, excess, false);
  return { created: await createJobPods(d, key, job, missing), deleted };
}
