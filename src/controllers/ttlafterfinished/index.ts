import { num } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { runController, splitKey } from '../../client/controller.js';
import { objectKeyOf } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';
import { finishTime, isFinished } from '../job/conditions.js';

/** expiresAt is when a finished Job with ttlSecondsAfterFinished is due for deletion (undefined: never). */
export function expiresAt(job: KubeObject): number | undefined {
  const ttl = num(job, 'spec', 'ttlSecondsAfterFinished');
  if (ttl === undefined || job.metadata.deletionTimestamp || !isFinished(job)) return undefined;
  const done = finishTime(job);
  return done === undefined ? undefined : done + ttl * 1000;
}

/**
 * startTTLAfterFinishedController deletes finished Jobs once their ttlSecondsAfterFinished has
 * passed (their pods go with them, in the background), as kube-controller-manager's
 * ttl-after-finished controller does under its own service account: the Job controller's role
 * may not delete Jobs.
 */
export const startTTLAfterFinishedController: ControllerStarter = async (ctx) => {
  const jobs = ctx.informers.forResource(R.jobs);
  const queue = new WorkQueue(ctx.clock);
  const enqueue = (job: KubeObject): void => {
    if (expiresAt(job) !== undefined) queue.add(objectKeyOf(job));
  };
  jobs.addHandlers({ onAdd: enqueue, onUpdate: (_, job) => enqueue(job) });
  await ctx.informers.waitForSync();
  const client = ctx.client.resource(R.jobs);
  const sync = async (key: string): Promise<void> => {
    const cached = jobs.get(key);
    const due = cached ? expiresAt(cached) : undefined;
    if (due === undefined) return;
    if (due > ctx.clock.now()) return queue.addAfter(key, due - ctx.clock.now());
    // The cache may be behind (the TTL changed, the Job restarted): check the live object first.
    const { namespace, name } = splitKey(key);
    let fresh: KubeObject;
    try {
      fresh = await client.get(namespace, name);
    } catch (e) {
      if ((e as { code?: number }).code === 404) return;
      throw e;
    }
    const freshDue = expiresAt(fresh);
    if (freshDue === undefined) return;
    if (freshDue > ctx.clock.now()) return queue.addAfter(key, freshDue - ctx.clock.now());
    try {
      await client.delete(namespace, name, { propagationPolicy: 'Background', preconditions: { uid: fresh.metadata.uid ?? '' } });
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
  };
  await runController({ name: 'ttl-after-finished', queue, sync, workers: 1, logger: ctx.logger, signal: ctx.signal });
};
