import type { Clock } from '../../lib/clock.js';

interface Pending {
  adds: number;
  deletes: number;
  at: number;
}

/**
 * Expectations remember the pod creations and deletions a controller has asked for until its
 * informer has seen them, so a sync that runs on a stale cache does not create or delete twice
 * (the ControllerExpectations of kube-controller-manager). Entries expire after 5 minutes, in case
 * a watch event was missed.
 */
export class Expectations {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  /** expect records that `adds` more creations and `deletes` more deletions are in flight for key. */
  expect(key: string, adds: number, deletes: number): void {
    const p = this.pending.get(key);
    const now = this.clock.now();
    if (p && !this.satisfied(key)) this.pending.set(key, { adds: p.adds + adds, deletes: p.deletes + deletes, at: now });
    else this.pending.set(key, { adds, deletes, at: now });
  }

  /** observeAdd lowers the pending creations of key (an informer add, or a failed create). */
  observeAdd(key: string): void {
    const p = this.pending.get(key);
    if (p) p.adds--;
  }

  /** observeDelete lowers the pending deletions of key (an informer delete, or a failed delete). */
  observeDelete(key: string): void {
    const p = this.pending.get(key);
    if (p) p.deletes--;
  }

  /** satisfied tells whether key has nothing in flight (or its expectations expired). */
  satisfied(key: string): boolean {
    const p = this.pending.get(key);
    if (!p) return true;
    return (p.adds <= 0 && p.deletes <= 0) || this.clock.now() - p.at > this.ttlMs;
  }

  /** forget drops key's expectations (its owner is gone). */
  forget(key: string): void {
    this.pending.delete(key);
  }
}
