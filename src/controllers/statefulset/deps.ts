import type { Client } from '../../client/client.js';
import type { EventRecorder } from '../../client/events.js';
import type { Informer } from '../../client/informer.js';
import type { WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';

/** StatefulSetDeps is what the StatefulSet controller's sync works with. */
export interface StatefulSetDeps {
  client: Client;
  sets: Informer;
  pods: Informer;
  revisions: Informer;
  claims: Informer;
  clock: Clock;
  recorder: EventRecorder;
  queue: WorkQueue;
  logger: Logger;
}
