/**
 * The CronJob controller: starts a Job (`<cronjob>-<minutes since epoch>`) at each scheduled time,
 * honouring startingDeadlineSeconds, concurrencyPolicy (Allow, Forbid, Replace), suspend and
 * spec.timeZone, keeps status.active / lastScheduleTime / lastSuccessfulTime, and deletes finished
 * Jobs beyond the history limits. Time comes from ctx.clock, so tests run on a FakeClock.
 */
import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import { objectKeyOf } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';
import type { CronJobDeps } from './deps.js';
import { syncCronJob } from './sync.js';

function cronJobKeyOfJob(job: KubeObject): string | undefined {
  const ref = job.metadata.ownerReferences?.find((r) => r.controller === true);
  return ref?.kind === 'CronJob' ? `${job.metadata.namespace ?? ''}/${ref.name}` : undefined;
}

/** startCronJobController is the ControllerStarter of the CronJob controller. */
export const startCronJobController: ControllerStarter = async (ctx) => {
  const queue = new WorkQueue(ctx.clock);
  const deps: CronJobDeps = {
    client: ctx.client,
    cronjobs: ctx.informers.forResource(R.cronjobs),
    jobs: ctx.informers.forResource(R.jobs),
    clock: ctx.clock,
    recorder: ctx.recorder('cronjob-controller'),
    queue,
    logger: ctx.logger.child('cronjob-controller'),
  };
  const enqueue = (cj: KubeObject): void => queue.add(objectKeyOf(cj));
  deps.cronjobs.addHandlers({ onAdd: enqueue, onUpdate: (_old, cj) => enqueue(cj), onDelete: enqueue });
  const enqueueOwner = (job: KubeObject): void => {
    const key = cronJobKeyOfJob(job);
    if (key) queue.add(key);
  };
  deps.jobs.addHandlers({ onAdd: enqueueOwner, onUpdate: (_old, job) => enqueueOwner(job), onDelete: enqueueOwner });
  await ctx.informers.waitForSync();
  await runController({ name: 'cronjob', queue, sync: (key) => syncCronJob(deps, key), workers: 1, logger: deps.logger, signal: ctx.signal });
};
