import type { KubeObject } from '../../api/types.js';

const EXPIRY_MS = 30_000;

/**
 * WriteTracker remembers the slices just written per Service, so a sync never acts on an
 * informer cache that has not seen them yet (it would create a duplicate under a new generated
 * name). Expectations expire after 30 s.
 */
export class WriteTracker {
  private readonly expected = new Map<string, { names: Map<string, string | null>; at: number }>();

  /** expect records a write: the slice's new resourceVersion, or null for a delete. */
  expect(key: string, name: string, resourceVersion: string | null, now: number): void {
    const e = this.expected.get(key) ?? { names: new Map<string, string | null>(), at: now };
    e.names.set(name, resourceVersion);
    e.at = now;
    this.expected.set(key, e);
  }

  /** stale tells whether the cached slices miss a recorded write. */
  stale(key: string, cached: KubeObject[], now: number): boolean {
    const e = this.expected.get(key);
    if (!e) return false;
    if (now - e.at > EXPIRY_MS) {
      this.expected.delete(key);
      return false;
    }
    const byName = new Map(cached.map((s) => [s.metadata.name ?? '', s]));
    for (const [name, rv] of e.names) {
      const s = byName.get(name);
      if (rv === null ? s !== undefined : !s || Number(s.metadata.resourceVersion) < Number(rv)) return true;
    }
    this.expected.delete(key);
    return false;
  }
}
