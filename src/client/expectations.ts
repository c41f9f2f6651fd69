import type { Clock } from '../lib/clock.js';

/** EXPECTATIONS_TIMEOUT_MS is upstream's ExpectationsTimeout: stale expectations stop blocking syncs. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expected {
  add: number;
  del: number;
  at: number;
  /** deleting: pod keys whose deletion is still to be observed (UID-tracking expectations). */
  deleting: Set<string>;
}

/**
 * Expectations remember, per controller key, the pod creations and deletions a controller has
 * asked for until its informer has shown them (upstream's ControllerExpectations and
 * UIDTrackingControllerExpectations), so a sync that runs on a stale cache does not create or
 * delete twice. Entries expire after the timeout (5 minutes), in case a watch event was missed.
 */
export class Expectations {
  private readonly byKey = new Map<string, Expected>();

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS,
  ) {}

  /** satisfied is true when nothing is in flight for key, nothing was recorded, or it expired. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.at > this.timeoutMs;
  }

  /**
   * expect records `adds` more creations and `deletes` more deletions in flight for key (counts
   * only): added onto expectations still pending, replacing satisfied or expired ones.
   */
  expect(key: string, adds: number, deletes: number): void {
    const e = this.byKey.get(key);
    const at = this.clock.now();
    if (e && !this.satisfied(key)) this.byKey.set(key, { add: e.add + adds, del: e.del + deletes, at, deleting: e.deleting });
    else this.byKey.set(key, { add: adds, del: deletes, at, deleting: new Set() });
  }

  /** expectCreations records n pod creations about to be issued (replacing earlier expectations). */
  expectCreations(key: string, n: number): void {
    this.byKey.set(key, { add: n, del: 0, at: this.clock.now(), deleting: new Set() });
  }

  /** expectDeletions records the pods about to be deleted (replacing earlier expectations). */
  expectDeletions(key: string, podKeys: string[]): void {
    this.byKey.set(key, { add: 0, del: podKeys.length, at: this.clock.now(), deleting: new Set(podKeys) });
  }

  /** creationObserved lowers the creations in flight (a pod was seen, or a create was skipped/failed). */
  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.add--;
  }

  /**
   * deletionObserved lowers the deletions in flight: without podKey always (counted expectations),
   * with podKey only if expectDeletions listed that pod and it was not observed yet.
   */
  deletionObserved(key: string, podKey?: string): void {
    const e = this.byKey.get(key);
    if (!e) return;
    if (podKey === undefined || e.deleting.delete(podKey)) e.del--;
  }

  /** delete forgets key (its controller is gone). */
  delete(key: string): void {
    this.byKey.delete(key);
  }

  /** pending returns the creations and deletions in flight for key (for tests and logs). */
  pending(key: string): { add: number; del: number } {
    const e = this.byKey.get(key);
    return { add: e?.add ?? 0, del: e?.del ?? 0 };
  }
}
