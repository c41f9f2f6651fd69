import type { Clock } from '../lib/clock.js';

/**
 * WorkQueue holds keys to sync, as client-go's rate-limited queue does: a key queued twice is
 * synced once; a key being processed is never handed to a second worker (it is re-queued when
 * done if it was added meanwhile); failures back off per key (exponential, 5 ms doubling to
 * 1000 s) until forget().
 */
export class WorkQueue {
  private queue: string[] = [];
  private dirty = new Set<string>();
  private processing = new Set<string>();
  private failures = new Map<string, number>();
  private waiting: ((key: string | undefined) => void)[] = [];
  private timers = new Map<string, () => void>();
  private shuttingDown = false;

  constructor(
    private readonly clock: Clock,
    private readonly opts: { baseDelayMs?: number; maxDelayMs?: number } = {},
  ) {}

  /** add queues key unless it is already waiting. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const w = this.waiting.shift();
    if (w) {
      this.dirty.delete(key);
      this.processing.add(key);
      w(key);
    } else this.queue.push(key);
  }

  /** addAfter queues key after a delay (a later, earlier addAfter wins). */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    this.timers.get(key)?.();
    this.timers.set(
      key,
      this.clock.setTimeout(() => {
        this.timers.delete(key);
        this.add(key);
      }, ms),
    );
  }

  /** addRateLimited re-queues a failed key with its per-key backoff. */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const base = this.opts.baseDelayMs ?? 5;
    const max = this.opts.maxDelayMs ?? 1_000_000;
    this.addAfter(key, Math.min(max, base * 2 ** n));
  }

  /** forget clears a key's failure count. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** retries tells how many times key failed since its last forget. */
  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** get waits for the next key; undefined once shut down. */
  get(): Promise<string | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** done marks key processed; if it was added meanwhile it goes back on the queue. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  /** len is the number of keys waiting. */
  get len(): number {
    return this.queue.length;
  }

  /** shutDown stops handing out keys; waiting getters receive undefined. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    for (const w of this.waiting) w(undefined);
    this.waiting = [];
  }
}
