import type { KeyValue, WatchEvent } from '../backend.js';

/** Version is one revision of a key: a value, or the tombstone its delete left. */
export interface Version {
  kv: KeyValue;
  deleted: boolean;
}

/** lowerBound returns the first index in sorted keys whose key is >= key. */
export function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] ?? '') < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** versionAt returns the newest version with modRevision <= revision, if any. */
export function versionAt(versions: readonly Version[], revision: number): Version | undefined {
  let lo = 0;
  let hi = versions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((versions[mid]?.kv.modRevision ?? 0) <= revision) lo = mid + 1;
    else hi = mid;
  }
  return versions[lo - 1];
}

/**
 * MemoryIndex holds every retained version of every key, a sorted key list and the event log.
 * It assigns nothing: MemoryBackend decides revisions and calls record() in revision order.
 */
export class MemoryIndex {
  private readonly versions = new Map<string, Version[]>();
  private readonly keys: string[] = [];
  private log: WatchEvent[] = [];
  /** logStart is the revision of log[0]. */
  private logStart = 1;

  /** current returns the live value of key, if any. */
  current(key: string): KeyValue | undefined {
    const last = this.versions.get(key)?.at(-1);
    return last && !last.deleted ? last.kv : undefined;
  }

  /** at returns key's value as of revision, if it existed then. */
  at(key: string, revision: number): KeyValue | undefined {
    const v = versionAt(this.versions.get(key) ?? [], revision);
    return v && !v.deleted ? v.kv : undefined;
  }

  /** record appends one committed event; its kv.modRevision must be the next revision. */
  record(event: WatchEvent): void {
    let list = this.versions.get(event.kv.key);
    if (!list) {
      list = [];
      this.versions.set(event.kv.key, list);
      this.keys.splice(lowerBound(this.keys, event.kv.key), 0, event.kv.key);
    }
    list.push({ kv: event.kv, deleted: event.type === 'DELETE' });
    if (this.log.length === 0) this.logStart = event.kv.modRevision;
    this.log.push(event);
  }

  /** scan calls visit with each key >= from that has prefix, in key order, until visit returns false. */
  scan(prefix: string, from: string, visit: (key: string) => boolean): void {
    for (let i = lowerBound(this.keys, from < prefix ? prefix : from); i < this.keys.length; i++) {
      const key = this.keys[i] ?? '';
      if (!key.startsWith(prefix) || !visit(key)) return;
    }
  }

  /** history returns up to limit logged events under prefix with after < revision <= upTo. */
  history(prefix: string, after: number, upTo: number, limit: number): WatchEvent[] {
    const out: WatchEvent[] = [];
    for (let i = Math.max(0, after + 1 - this.logStart); i < this.log.length && out.length < limit; i++) {
      const e = this.log[i];
      if (!e || e.kv.modRevision > upTo) break;
      if (e.kv.key.startsWith(prefix)) out.push(e);
    }
    return out;
  }

  /** compact drops versions superseded at or below revision, tombstones at or below it, and the log up to it. */
  compact(revision: number): number {
    let dropped = 0;
    for (const [key, list] of this.versions) {
      let keep = list.findIndex((v) => v.kv.modRevision > revision);
      if (keep < 0) keep = list.length;
      // The newest version at or below the revision stays unless it is a tombstone.
      const base = list[keep - 1];
      const from = base && !base.deleted ? keep - 1 : keep;
      if (from <= 0) continue;
      dropped += from;
      list.splice(0, from);
      if (list.length === 0) {
        this.versions.delete(key);
        this.keys.splice(lowerBound(this.keys, key), 1);
      }
    }
    const cut = Math.max(0, Math.min(this.log.length, revision + 1 - this.logStart));
    this.log = this.log.slice(cut);
    this.logStart += cut;
    return dropped;
  }
}
