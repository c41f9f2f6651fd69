/** syncJob: one level-driven pass over a Job (count, decide, act, then write status). */
import { deepCopy, num } from '../../api/object.js';
import { isObject, type JsonObject, type KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { splitKey } from '../../client/controller.js';
import { conditionTrue, isFinished, rfc3339, setCondition } from './conditions.js';
import type { JobDeps } from './deps.js';
import { deleteJobPods, manageActive } from './manage.js';
import { controllerUidOf, hasTrackingFinalizer, isPodReady, isTerminal } from './pods.js';
import { countOf, removeFinalizer, trackTerminatedPods } from './tracking.js';

interface Verdict {
  reason: string;
  message: string;
}

const BACKOFF: Verdict = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
const DEADLINE: Verdict = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
const COMPLETED: Verdict = { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };

/** failureOf decides whether the Job has failed: an earlier verdict, too many failures, or its deadline. */
function failureOf(job: KubeObject, status: JsonObject, failed: number, now: number): Verdict | undefined {
  const target = (Array.isArray(status.conditions) ? status.conditions : []).find((c) => isObject(c) && c.type === 'FailureTarget' && c.status === 'True');
  if (isObject(target)) return { reason: String(target.reason ?? ''), message: String(target.message ?? '') };
  if (failed > (num(job, 'spec', 'backoffLimit') ?? 6)) return BACKOFF;
  const deadline = num(job, 'spec', 'activeDeadlineSeconds');
  const start = typeof status.startTime === 'string' ? Date.parse(status.startTime) : NaN;
  if (deadline !== undefined && !Number.isNaN(start) && now - start >= deadline * 1000) return DEADLINE;
  return undefined;
}

function succeededEnough(job: KubeObject, succeeded: number, active: number): boolean {
  const completions = num(job, 'spec', 'completions');
  return completions === undefined ? succeeded > 0 && active === 0 : succeeded >= completions;
}

/** syncJob brings one Job's pods and status in line with its spec; a missing Job releases its pods. */
export async function syncJob(d: JobDeps, key: string): Promise<void> {
  let job = d.jobs.get(key);
  if (!job) return releaseOrphans(d, key);
  if (!d.expectations.satisfied(key)) return;
  const uid = job.metadata.uid;
  const pods = d.pods.list(job.metadata.namespace).filter((p) => controllerUidOf(p) === uid);
  job = await trackTerminatedPods(d, key, job, pods);
  if (isFinished(job)) return finishedJob(d, key);
  const now = d.clock.now();
  const status: JsonObject = deepCopy(isObject(job.status) ? job.status : {});
  const active = pods.filter((p) => !isTerminal(p) && !p.metadata.deletionTimestamp);
  const terminating = pods.filter((p) => !isTerminal(p) && p.metadata.deletionTimestamp);
  const counts = countOf(job);
  const suspended = job.spec !== undefined && isObject(job.spec) && job.spec.suspend === true;
  let delta = { created: 0, deleted: 0 };
  const failure = failureOf(job, status, counts.failed, now);
  if (failure) {
    setCondition(status, 'FailureTarget', 'True', failure.reason, failure.message, now);
    delta.deleted = await deleteJobPods(d, key, job, active, true);
    if (active.length === 0 && terminating.length === 0 && setCondition(status, 'Failed', 'True', failure.reason, failure.message, now)) {
      d.recorder.event(job, 'Warning', failure.reason, failure.message);
    }
  } else if (succeededEnough(job, counts.succeeded, active.length)) {
    setCondition(status, 'SuccessCriteriaMet', 'True', COMPLETED.reason, COMPLETED.message, now);
    delta.deleted = await deleteJobPods(d, key, job, active, false);
    if (active.length === 0 && terminating.length === 0 && setCondition(status, 'Complete', 'True', COMPLETED.reason, COMPLETED.message, now)) {
      status.completionTime = rfc3339(now);
      d.recorder.event(job, 'Normal', 'Completed', 'Job completed');
    }
  } else if (suspended) {
    if (setCondition(status, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) d.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
    delta.deleted = await deleteJobPods(d, key, job, active, false);
  } else {
    if (conditionTrue(status, 'Suspended') && setCondition(status, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
      status.startTime = rfc3339(now);
      d.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
    }
    if (status.startTime === undefined) status.startTime = rfc3339(now);
    delta = await manageActive(d, key, job, active, counts.succeeded);
    requeueAtDeadline(d, key, job, status, now);
  }
  status.active = active.length + delta.created - delta.deleted;
  status.ready = active.filter(isPodReady).length;
  status.terminating = terminating.length + delta.deleted;
  status.succeeded = num(status, 'succeeded') ?? 0;
  status.failed = num(status, 'failed') ?? 0;
  if (JSON.stringify(status) !== JSON.stringify(job.status ?? {})) await d.client.resource(R.jobs).updateStatus({ ...deepCopy(job), status });
}

function requeueAtDeadline(d: JobDeps, key: string, job: KubeObject, status: JsonObject, now: number): void {
  const deadline = num(job, 'spec', 'activeDeadlineSeconds');
  if (deadline === undefined || typeof status.startTime !== 'string') return;
  d.queue.addAfter(key, Date.parse(status.startTime) + deadline * 1000 - now);
}

/** finishedJob forgets a finished Job's backoff (the ttl-after-finished controller deletes it when its TTL passes). */
async function finishedJob(d: JobDeps, key: string): Promise<void> {
  d.backoff.delete(key);
}

/** releaseOrphans removes tracking finalizers from pods whose Job is gone, so they can be deleted. */
async function releaseOrphans(d: JobDeps, key: string): Promise<void> {
  d.expectations.delete(key);
  d.backoff.delete(key);
  const { namespace, name } = splitKey(key);
  for (const pod of d.pods.list(namespace)) {
    const ref = pod.metadata.ownerReferences?.find((r) => r.controller === true);
    if (ref?.kind === 'Job' && ref.name === name && hasTrackingFinalizer(pod)) await removeFinalizer(d, pod);
  }
}
