import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import type { Client } from '../client/client.js';
import type { SharedInformers } from '../client/shared_informers.js';
import type { EventRecorder } from '../client/events.js';
import { Scheduler } from './scheduler.js';

export { Scheduler, DEFAULT_SCHEDULER_NAME, type SchedulerOptions, type SchedulerStats } from './scheduler.js';

/**
 * SchedulerContext is the part of the controller manager's context the scheduler uses; it is
 * declared here (structurally identical to src/controllers' ControllerContext fields) because
 * src/scheduler may not import src/controllers.
 */
export interface SchedulerContext {
  client: Client;
  informers: SharedInformers;
  recorder: (component: string) => EventRecorder;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
}

/**
 * startScheduler is the scheduler's starter (a ControllerStarter): it registers its informer
 * handlers synchronously, waits for the caches to sync, then schedules until ctx.signal aborts.
 */
export async function startScheduler(ctx: SchedulerContext): Promise<void> {
  const scheduler = new Scheduler({
    client: ctx.client,
    informers: ctx.informers,
    recorder: ctx.recorder('default-scheduler'),
    clock: ctx.clock,
    logger: ctx.logger.child('scheduler'),
  });
  await ctx.informers.waitForSync();
  await scheduler.run(ctx.signal);
}
