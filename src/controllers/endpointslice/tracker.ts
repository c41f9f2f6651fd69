import type { KubeObject } from '../../api/types.js';

const EXPIRY_MS = 30_000;

interface Expectation {
  /** names: slice name → resourceVersion written, or null when deleted. */
  names: Map<string, string | null>;
  at: number;
}

const olderThan = (cached: string | undefined, written: string): boolean => {
  const c = Number(cached);
  const w = Number(written);
  return Number.isFinite(c) && Number.isFinite(w) ? c < w : cached !== written;
};

/**
 * SliceTracker remembers the slices this controller just wrote per Service, so a sync never acts
 * on an informer cache that has not seen them yet (which would, for example, create a duplicate
 * slice under a new generated name). Expectations expire after 30 s.
 */
export class SliceTracker {
  private expectations = new Map<string, Expectation>();

  /** expect records a write: the slice's new resourceVersion, or null for a delete. */
  expect(serviceKey: string, name: string, resourceVersion: string | null, now: number): void {
    let e = this.expectations.get(serviceKey);
    if (!e) this.expectations.set(serviceKey, (e = { names: new Map(), at: now }));
    e.names.set(name, resourceVersion);
    e.at = now;
  }

  /** stale tells whether the cached slices of a Service miss a write recorded by expect(). */
  stale(serviceKey: string, cached: KubeObject[], now: number): boolean {
    const e = this.expectations.get(serviceKey);
    if (!e) return false;
    if (now - e.at > EXPIRY_MS) {
      this.expectations.delete(serviceKey);
      return false;
    }
    const byName = new Map(cached.map((s) => [s.metadata.name ?? '', s]));
    for (const [name, rv] of e.names) {
      const s = byName.get(name);
      if (rv === null ? s !== undefined : !s || olderThan(s.metadata.resourceVersion, rv)) return true;
    }
    this.expectations.delete(serviceKey);
    return false;
  }

  /** forget drops a Service's expectations (it is gone). */
  forget(serviceKey: string): void {
    this.expectations.delete(serviceKey);
  }
}
