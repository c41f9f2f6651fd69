import type { Client } from '../../client/client.js';
import type { EventRecorder } from '../../client/events.js';
import type { Informer } from '../../client/informer.js';
import type { WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';

/** CronJobDeps is what the CronJob controller's sync works with. */
export interface CronJobDeps {
  client: Client;
  cronjobs: Informer;
  jobs: Informer;
  clock: Clock;
  recorder: EventRecorder;
  queue: WorkQueue;
  logger: Logger;
}

/** SCHEDULED_TIMESTAMP is the annotation carrying a Job's scheduled time (RFC 3339 in the CronJob's zone). */
export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** rfc3339 formats ms as a metav1.Time string (UTC, second precision). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** controllerUidOf returns the uid of the object's controlling owner, if any. */
export function controllerUidOf(obj: { metadata: { ownerReferences?: { controller?: boolean; uid: string }[] } }): string | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true)?.uid;
}
