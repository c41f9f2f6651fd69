import type Database from 'better-sqlite3';
import { realClock, type Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import {
  FutureRevisionError,
  type Backend,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type WatchCallbacks,
  type WatchHandle,
  type WriteResult,
} from '../backend.js';
import { assertValueSize, assertWatchable, closedError, defaultMaxValueBytes, readRevision } from './guards.js';
import { checkpointWal, compactLog, vacuumFreePages } from './sqlite_compact.js';
import { readCount, readHistory, readKey, readList } from './sqlite_read.js';
import { openDatabase, prepareStatements, readMeta, type Statements } from './sqlite_schema.js';
import { GroupCommitter } from './sqlite_group.js';
import { WatchHub } from './watch_hub.js';

/** SqliteBackendOptions configure a SqliteBackend. */
export interface SqliteBackendOptions {
  /** path of the database file (created if missing; -wal and -shm files sit beside it). */
  path: string;
  logger: Logger;
  clock?: Clock;
  /** maxValueBytes: larger values fail with ValueTooLargeError (default 1.5 MiB). */
  maxValueBytes?: number;
  /** compactIntervalMs is the compaction and WAL checkpoint period (default 5 min; 0 disables). */
  compactIntervalMs?: number;
  /** compactRetainRevisions is how many recent revisions scheduled compaction keeps (default 1000). */
  compactRetainRevisions?: number;
}

/** SqliteStats counts the work a SqliteBackend did since it opened. */
export interface SqliteStats {
  /** commits is the number of write transactions (one per group commit). */
  commits: number;
  /** writes is the number of write operations committed or compared. */
  writes: number;
}

/**
 * SqliteBackend is the embedded Backend: one SQLite database in WAL mode with synchronous=FULL,
 * so a write whose promise resolved survives a crash. Concurrent writes are group-committed (one
 * transaction and one fsync per group); revisions are assigned inside the transaction, and
 * watchers hear of a group's events right after its commit. start() begins scheduled compaction.
 */
export class SqliteBackend implements Backend {
  private readonly db: Database.Database;
  private readonly stmts: Statements;
  private readonly hub: WatchHub;
  private readonly committer: GroupCommitter;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly maxValueBytes: number;
  private readonly intervalMs: number;
  private readonly retain: number;
  private rev: number;
  private compacted: number;
  private closed = false;
  private cancelTimer: (() => void) | undefined;
  private compaction: Promise<void> = Promise.resolve();

  constructor(opts: SqliteBackendOptions) {
    this.maxValueBytes = positive(opts.maxValueBytes ?? defaultMaxValueBytes, 'maxValueBytes', 1);
    this.intervalMs = positive(opts.compactIntervalMs ?? 5 * 60_000, 'compactIntervalMs', 0);
    this.retain = positive(opts.compactRetainRevisions ?? 1000, 'compactRetainRevisions', 0);
    if (!opts.path) throw new Error('SqliteBackend: path is required');
    this.clock = opts.clock ?? realClock;
    this.logger = opts.logger;
    this.db = openDatabase(opts.path);
    this.stmts = prepareStatements(this.db);
    this.rev = Math.max(readMeta(this.stmts, 'revision'), this.stmts.maxRevision.get()?.r ?? 0);
    this.compacted = readMeta(this.stmts, 'compact_revision');
    this.hub = new WatchHub({
      logger: this.logger,
      source: {
        history: (prefix, after, upTo, limit) => readHistory(this.stmts, prefix, after, upTo, limit),
        compactedRevision: () => this.compacted,
      },
    });
    this.committer = new GroupCommitter({
      db: this.db,
      stmts: this.stmts,
      logger: this.logger,
      revision: () => this.rev,
      committed: (applied) => {
        this.rev = applied.revision;
        this.hub.publish(applied.events);
      },
    });
    this.logger.info('opened storage', { path: opts.path, revision: this.rev, compactedRevision: this.compacted });
  }

  /** start begins scheduled compaction and WAL checkpoints (when compactIntervalMs > 0). */
  start(): void {
    this.assertOpen();
    if (this.cancelTimer || this.intervalMs === 0) return;
    this.arm();
  }

  /** stats returns commit counters (group commits versus writes). */
  stats(): SqliteStats {
    return this.committer.stats();
  }

  /** currentRevision returns the newest committed revision. */
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
    return { revision: at, kv: readKey(this.stmts, key, at, this.rev) };
  }

  /** list returns a page of the keys under prefix as of opts.revision (the result's revision is the one read at). */
  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    const at = readRevision(opts.revision, this.rev, this.compacted);
    return readList(this.stmts, prefix, opts.startKey, opts.limit ?? 0, at, this.rev);
  }

  /** count returns how many keys under prefix exist now. */
  async count(prefix: string): Promise<{ revision: number; count: number }> {
    this.assertOpen();
    return { revision: this.rev, count: readCount(this.stmts, prefix) };
  }

  /** create writes key only if absent (group-committed). */
  async create(key: string, value: Uint8Array): Promise<WriteResult> {
    this.assertOpen();
    assertValueSize(value, this.maxValueBytes);
    // A private copy (the caller may reuse its buffer); Buffer.from copies from a pool, cheaper than Uint8Array.from.
    return this.committer.enqueue({ kind: 'create', key, value: Buffer.from(value) });
  }

  /** update writes key only if its modRevision equals expectedModRevision (group-committed). */
  async update(key: string, value: Uint8Array, expectedModRevision: number): Promise<WriteResult> {
    this.assertOpen();
    assertValueSize(value, this.maxValueBytes);
    return this.committer.enqueue({ kind: 'update', key, value: Buffer.from(value), expected: expectedModRevision });
  }

  /** delete removes key if present and matching; kv is the deleted value at the delete's revision. */
  async delete(key: string, expectedModRevision?: number): Promise<WriteResult> {
    this.assertOpen();
    return this.committer.enqueue({ kind: 'delete', key, expected: expectedModRevision });
  }

  /** watch delivers events under prefix after afterRevision, replaying history first when behind. */
  watch(prefix: string, afterRevision: number, callbacks: WatchCallbacks): WatchHandle {
    this.assertOpen();
    assertWatchable(afterRevision, this.compacted);
    return this.hub.watch(prefix, afterRevision, this.rev, callbacks);
  }

  /** compact deletes history at and below revision; runs are serialized; at or below the compacted revision it is a no-op. */
  async compact(revision: number): Promise<void> {
    this.assertOpen();
    if (revision > this.rev) throw new FutureRevisionError(revision, this.rev);
    const run = this.compaction.then(() => this.compactTo(revision));
    this.compaction = run.catch(() => undefined);
    return run;
  }

  /** close commits pending writes, ends watches and the schedule, and closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.committer.flush();
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.hub.closeAll(closedError());
    await this.compaction;
    this.committer.close();
    this.db.close();
  }

  private async compactTo(target: number): Promise<void> {
    if (target <= this.compacted || this.closed) return;
    const startedAt = this.clock.now();
    // Raise the mark first: reads below it must fail before any row they need is deleted.
    this.compacted = target;
    const deleted = await compactLog({ db: this.db, stmts: this.stmts, target, isOpen: () => !this.closed });
    this.logger.info('compacted storage history', { revision: target, deletedRows: deleted, ms: this.clock.now() - startedAt });
  }

  private arm(): void {
    this.cancelTimer = this.clock.setTimeout(() => {
      void this.maintain().finally(() => {
        if (!this.closed) this.arm();
      });
    }, this.intervalMs);
  }

  /** maintain is one scheduled run: compaction, then freeing pages and truncating the WAL. */
  private async maintain(): Promise<void> {
    try {
      const target = this.rev - this.retain;
      if (target > this.compacted) await this.compact(target);
      if (this.closed) return;
      vacuumFreePages(this.db);
      const pages = checkpointWal(this.db);
      this.logger.debug('checkpointed WAL', { pages });
    } catch (err) {
      this.logger.error('storage maintenance failed', { error: String(err) });
    }
  }

  private assertOpen(): void {
    if (this.closed) throw closedError();
  }
}

function positive(value: number, name: string, min: number): number {
  if (!Number.isFinite(value) || value < min) throw new Error(`SqliteBackend: ${name} must be a number >= ${min}`);
  return value;
}
