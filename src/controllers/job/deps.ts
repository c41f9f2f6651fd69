import type { Client } from '../../client/client.js';
import type { EventRecorder } from '../../client/events.js';
import type { Informer } from '../../client/informer.js';
import type { WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import type { Expectations } from '../../client/expectations.js';

/** BackoffRecord counts a Job's recent pod failures for the re-creation delay. */
export interface BackoffRecord {
  failures: number;
  lastFailureAt: number;
}

/** JobDeps is what the Job controller's sync works with. */
export interface JobDeps {
  client: Client;
  jobs: Informer;
  pods: Informer;
  clock: Clock;
  recorder: EventRecorder;
  expectations: Expectations;
  queue: WorkQueue;
  backoff: Map<string, BackoffRecord>;
  logger: Logger;
}

/** backoffDelayMs is the wait before re-creating pods after `failures` failures: 10 s doubling, capped at 6 min. */
export function backoffDelayMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(10_000 * 2 ** (failures - 1), 360_000);
}
