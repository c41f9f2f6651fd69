import { realClock, type Clock } from '../../lib/clock.js';
import { silentLogger, type Logger } from '../../lib/log.js';
import {
  FutureRevisionError,
  type Backend,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type WatchCallbacks,
  type WatchEvent,
  type WatchHandle,
  type WriteResult,
} from '../backend.js';
import { assertValueSize, assertWatchable, closedError, defaultMaxValueBytes, readRevision } from './guards.js';
import { MemoryIndex } from './memory_index.js';
import { WatchHub } from './watch_hub.js';

/** MemoryBackendOptions configure a MemoryBackend; every field is optional. */
export interface MemoryBackendOptions {
  /** maxValueBytes is the largest accepted value (default 1.5 MiB). */
  maxValueBytes?: number;
  logger?: Logger;
  clock?: Clock;
  /** compactIntervalMs is the scheduled compaction period once start() ran (default 0: none). */
  compactIntervalMs?: number;
  /** compactRetainRevisions is how many recent revisions scheduled compaction keeps (default 1000). */
  compactRetainRevisions?: number;
}

/**
 * MemoryBackend is a Backend held in process memory, for unit tests and simulated clusters. It
 * keeps history (reads at a revision, watch from a revision) until compact() drops it. Writes apply
 * synchronously in call order; watchers hear of each write before its promise settles. Long-lived
 * users (simulated clusters) set compactIntervalMs and call start() so history stays bounded.
 */
export class MemoryBackend implements Backend {
  private readonly index = new MemoryIndex();
  private readonly hub: WatchHub;
  private readonly maxValueBytes: number;
  private rev = 0;
  private compacted = 0;
  private closed = false;
  private cancelTimer: (() => void) | undefined;

  constructor(private readonly opts: MemoryBackendOptions = {}) {
    this.maxValueBytes = opts.maxValueBytes ?? defaultMaxValueBytes;
    this.hub = new WatchHub({
      logger: opts.logger ?? silentLogger,
      source: {
        history: (prefix, after, upTo, limit) => this.index.history(prefix, after, upTo, limit),
        compactedRevision: () => this.compacted,
      },
    });
  }

  /** start begins scheduled compaction when compactIntervalMs > 0 (keeping compactRetainRevisions). */
  start(): void {
    this.assertOpen();
    const interval = this.opts.compactIntervalMs ?? 0;
    if (this.cancelTimer || interval <= 0) return;
    const clock = this.opts.clock ?? realClock;
    const tick = (): void => {
      const target = this.rev - (this.opts.compactRetainRevisions ?? 1000);
      if (target > this.compacted) void this.compact(target);
      this.cancelTimer = clock.setTimeout(tick, interval);
    };
    this.cancelTimer = clock.setTimeout(tick, interval);
  }

  /** currentRevision returns the newest revision. */
  async currentRevision(): Promise<number> {
    this.assertOpen();
    return this.rev;
  }

  /** compactedRevision returns the revision at and below which history is gone. */
  async compactedRevision(): Promise<number> {
    this.assertOpen();
    return this.compacted;
  }

  /** get returns key as of revision (the result's revision is the revision read at). */
  async get(key: string, revision?: number): Promise<{ revision: number; kv: KeyValue | undefined }> {
    this.assertOpen();
    const at = readRevision(revision, this.rev, this.compacted);
    return { revision: at, kv: this.index.at(key, at) };
  }

  /** list returns a page of the keys under prefix as of opts.revision. */
  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    const at = readRevision(opts.revision, this.rev, this.compacted);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const kvs: KeyValue[] = [];
    let more = false;
    this.index.scan(prefix, opts.startKey ?? '', (key) => {
      const kv = this.index.at(key, at);
      if (!kv) return true;
      if (kvs.length >= limit) {
        more = true;
        return false;
      }
      kvs.push(kv);
      return true;
    });
    return { revision: at, kvs, more };
  }

  /** count returns how many keys under prefix exist now. */
  async count(prefix: string): Promise<{ revision: number; count: number }> {
    this.assertOpen();
    let count = 0;
    this.index.scan(prefix, '', (key) => {
      if (this.index.current(key)) count++;
      return true;
    });
    return { revision: this.rev, count };
  }

  /** create writes key only if it is absent. */
  async create(key: string, value: Uint8Array): Promise<WriteResult> {
    this.assertOpen();
    assertValueSize(value, this.maxValueBytes);
    const cur = this.index.current(key);
    if (cur) return { ok: false, revision: this.rev, kv: cur };
    const revision = this.rev + 1;
    const kv = { key, value: Uint8Array.from(value), createRevision: revision, modRevision: revision };
    return this.commit({ type: 'PUT', kv });
  }

  /** update writes key only if its modRevision equals expectedModRevision. */
  async update(key: string, value: Uint8Array, expectedModRevision: number): Promise<WriteResult> {
    this.assertOpen();
    assertValueSize(value, this.maxValueBytes);
    const cur = this.index.current(key);
    if (!cur || cur.modRevision !== expectedModRevision) return { ok: false, revision: this.rev, kv: cur };
    const kv = { key, value: Uint8Array.from(value), createRevision: cur.createRevision, modRevision: this.rev + 1 };
    return this.commit({ type: 'PUT', kv, prevKv: cur });
  }

  /** delete removes key if present (and at expectedModRevision when given); kv is the deleted value at the delete's revision. */
  async delete(key: string, expectedModRevision?: number): Promise<WriteResult> {
    this.assertOpen();
    const cur = this.index.current(key);
    if (!cur || (expectedModRevision !== undefined && cur.modRevision !== expectedModRevision)) {
      return { ok: false, revision: this.rev, kv: cur };
    }
    return this.commit({ type: 'DELETE', kv: { ...cur, modRevision: this.rev + 1 }, prevKv: cur });
  }

  /** watch delivers events under prefix after afterRevision; throws CompactedError below the compacted revision. */
  watch(prefix: string, afterRevision: number, callbacks: WatchCallbacks): WatchHandle {
    this.assertOpen();
    assertWatchable(afterRevision, this.compacted);
    return this.hub.watch(prefix, afterRevision, this.rev, callbacks);
  }

  /** compact drops history at and below revision; a revision at or below the compacted one is a no-op. */
  async compact(revision: number): Promise<void> {
    this.assertOpen();
    if (revision > this.rev) throw new FutureRevisionError(revision, this.rev);
    if (revision <= this.compacted) return;
    this.compacted = revision;
    this.index.compact(revision);
  }

  /** close ends all watches; every later call fails. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelTimer?.();
    this.hub.closeAll(closedError());
  }

  private commit(event: WatchEvent): WriteResult {
    this.rev = event.kv.modRevision;
    this.index.record(event);
    this.hub.publish([event]);
    return { ok: true, revision: this.rev, kv: event.kv };
  }

  private assertOpen(): void {
    if (this.closed) throw closedError();
  }
}
