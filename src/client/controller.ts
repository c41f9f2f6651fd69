import type { Logger } from '../lib/log.js';
import type { WorkQueue } from './workqueue.js';

/** ControllerOptions configure runController. */
export interface ControllerOptions {
  name: string;
  queue: WorkQueue;
  /** sync brings the world in line for one key; it is idempotent and level-driven. Throwing re-queues with backoff. */
  sync(key: string): Promise<void>;
  workers?: number;
  logger: Logger;
  signal: AbortSignal;
}

/**
 * runController runs `workers` loops that take keys from the queue and sync them, until the
 * signal aborts. Errors re-queue the key with backoff; success forgets its failures.
 */
export async function runController(opts: ControllerOptions): Promise<void> {
  const { queue, logger } = opts;
  opts.signal.addEventListener('abort', () => queue.shutDown(), { once: true });
  const worker = async (): Promise<void> => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await opts.sync(key);
        queue.forget(key);
      } catch (e) {
        const retries = queue.retries(key);
        (retries > 5 ? logger.warn : logger.debug)(`sync failed; retrying`, { controller: opts.name, key, retries, err: (e as Error).message });
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.workers ?? 1 }, () => worker()));
}

/** splitKey splits a `namespace/name` key (cluster-scoped keys have no slash). */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
