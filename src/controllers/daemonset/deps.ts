import type { Client } from '../../client/client.js';
import type { EventRecorder } from '../../client/events.js';
import type { Informer } from '../../client/informer.js';
import type { WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import type { Expectations } from '../../client/expectations.js';

/** DaemonSetDeps is what the DaemonSet controller's sync works with. */
export interface DaemonSetDeps {
  client: Client;
  sets: Informer;
  pods: Informer;
  nodes: Informer;
  revisions: Informer;
  clock: Clock;
  recorder: EventRecorder;
  expectations: Expectations;
  queue: WorkQueue;
  logger: Logger;
}
