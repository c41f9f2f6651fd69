/**
 * The Job controller: runs a Job's pods to completion (parallelism, completions, Indexed mode),
 * counts finished pods through the `batch.kubernetes.io/job-tracking` finalizer, fails the Job on
 * backoffLimit or activeDeadlineSeconds, honours suspend, and delays re-creating pods after
 * failures (10 s doubling, capped at 6 min). ttlSecondsAfterFinished is the ttl-after-finished
 * controller's.
 */
import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import { objectKeyOf } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';
import type { JobDeps } from './deps.js';
import { Expectations } from '../../client/expectations.js';
import { syncJob } from './sync.js';

/** jobKeyOfPod returns the `namespace/name` key of the Job controlling a pod, if any. */
function jobKeyOfPod(pod: KubeObject): string | undefined {
  const ref = pod.metadata.ownerReferences?.find((r) => r.controller === true);
  if (!ref || ref.kind !== 'Job' || ref.apiVersion.split('/')[0] !== 'batch') return undefined;
  return `${pod.metadata.namespace ?? ''}/${ref.name}`;
}

/** startJobController is the ControllerStarter of the Job controller. */
export const startJobController: ControllerStarter = async (ctx) => {
  const queue = new WorkQueue(ctx.clock);
  const deps: JobDeps = {
    client: ctx.client,
    jobs: ctx.informers.forResource(R.jobs),
    pods: ctx.informers.forResource(R.pods),
    clock: ctx.clock,
    recorder: ctx.recorder('job-controller'),
    expectations: new Expectations(ctx.clock),
    queue,
    backoff: new Map(),
    logger: ctx.logger.child('job-controller'),
  };
  const enqueue = (job: KubeObject): void => queue.add(objectKeyOf(job));
  deps.jobs.addHandlers({ onAdd: enqueue, onUpdate: (_old, job) => enqueue(job), onDelete: enqueue });
  deps.pods.addHandlers({
    onAdd(pod) {
      const key = jobKeyOfPod(pod);
      if (!key) return;
      if (pod.metadata.deletionTimestamp) deps.expectations.deletionObserved(key);
      else deps.expectations.creationObserved(key);
      queue.add(key);
    },
    onUpdate(old, pod) {
      const key = jobKeyOfPod(pod);
      if (!key) return;
      if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) deps.expectations.deletionObserved(key);
      queue.add(key);
      const oldKey = jobKeyOfPod(old);
      if (oldKey && oldKey !== key) queue.add(oldKey);
    },
    onDelete(pod) {
      const key = jobKeyOfPod(pod);
      if (!key) return;
      if (!pod.metadata.deletionTimestamp) deps.expectations.deletionObserved(key);
      queue.add(key);
    },
  });
  await ctx.informers.waitForSync();
  await runController({ name: 'job', queue, sync: (key) => syncJob(deps, key), workers: 2, logger: deps.logger, signal: ctx.signal });
};
