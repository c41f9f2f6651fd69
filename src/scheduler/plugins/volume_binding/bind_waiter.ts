import type { Clock } from '../../../lib/clock.js';

interface Waiter {
  /** check returns true when done and throws when the wait must fail. */
  check(): boolean;
  resolve(): void;
  reject(err: Error): void;
}

/**
 * BindWaiter waits for volume bindings without polling: every claim or volume event re-checks the
 * pods waiting, each wait ends at its timeout (upstream's bindTimeoutSeconds), and close fails
 * them all when the scheduler stops. Waits never block the scheduling loop.
 */
export class BindWaiter {
  private readonly waiters = new Set<Waiter>();
  private closed = false;

  constructor(private readonly clock: Clock) {}

  /** wait resolves once check() returns true; it rejects with "context deadline exceeded" after timeoutMs. */
  wait(check: () => boolean, timeoutMs: number): Promise<void> {
    if (this.closed) return Promise.reject(new Error('scheduler is stopping'));
    return new Promise<void>((resolve, reject) => {
      let cancel = (): void => {};
      const w: Waiter = {
        check,
        resolve: () => {
          cancel();
          this.waiters.delete(w);
          resolve();
        },
        reject: (err) => {
          cancel();
          this.waiters.delete(w);
          reject(err);
        },
      };
      if (this.settle(w)) return;
      this.waiters.add(w);
      cancel = this.clock.setTimeout(() => w.reject(new Error('context deadline exceeded')), timeoutMs);
    });
  }

  /** poke re-checks every wait (called on claim and volume events). */
  poke(): void {
    for (const w of [...this.waiters]) this.settle(w);
  }

  /** pending is the number of waits in progress. */
  get pending(): number {
    return this.waiters.size;
  }

  /** close fails every wait in progress and refuses new ones. */
  close(): void {
    this.closed = true;
    for (const w of [...this.waiters]) w.reject(new Error('scheduler is stopping'));
  }

  private settle(w: Waiter): boolean {
    try {
      if (!w.check()) return false;
      w.resolve();
    } catch (e) {
      w.reject(e instanceof Error ? e : new Error(String(e)));
    }
    return true;
  }
}
