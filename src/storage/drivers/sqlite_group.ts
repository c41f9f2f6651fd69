import type Database from 'better-sqlite3';
import type { Logger } from '../../lib/log.js';
import type { WriteResult } from '../backend.js';
import { applyBatch, type AppliedBatch, type WriteOp } from './sqlite_write.js';
import type { Statements } from './sqlite_schema.js';

/** GroupCommitterOptions wire a GroupCommitter to its database and backend. */
export interface GroupCommitterOptions {
  db: Database.Database;
  stmts: Statements;
  logger: Logger;
  /** revision returns the store's committed revision. */
  revision: () => number;
  /** committed runs right after a group's transaction commits, before any promise settles. */
  committed: (applied: AppliedBatch) => void;
}

interface Pending {
  op: WriteOp;
  resolve: (result: WriteResult) => void;
  reject: (err: Error) => void;
}

/**
 * GroupCommitter queues writes and commits everything queued in one transaction on the next
 * event-loop turn (setImmediate), so writes issued concurrently share one fsync. The commit is
 * synchronous: no write can slip in between assigning revisions and committing them.
 */
export class GroupCommitter {
  private pending: Pending[] = [];
  private scheduled = false;
  private closed = false;
  private commits = 0;
  private writes = 0;
  private readonly apply: (ops: WriteOp[], start: number) => AppliedBatch;

  constructor(private readonly opts: GroupCommitterOptions) {
    const tx = opts.db.transaction((ops: WriteOp[], start: number) => applyBatch(opts.stmts, ops, start));
    this.apply = (ops, start) => tx.immediate(ops, start);
  }

  /** enqueue adds op to the next group; the promise settles after that group commits (or fails). */
  enqueue(op: WriteOp): Promise<WriteResult> {
    if (this.closed) return Promise.reject(new Error('storage backend is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** flush commits the queued group now (a no-op when nothing is queued). */
  flush(): void {
    this.scheduled = false;
    const group = this.pending;
    this.pending = [];
    if (group.length === 0) return;
    let applied: AppliedBatch;
    try {
      applied = this.apply(
        group.map((p) => p.op),
        this.opts.revision(),
      );
    } catch (err) {
      // The transaction rolled back: no revision was used, every write of the group fails.
      const error = err instanceof Error ? err : new Error(String(err));
      this.opts.logger.error('storage write transaction failed', { writes: group.length, error: error.message });
      for (const p of group) p.reject(error);
      return;
    }
    this.commits++;
    this.writes += group.length;
    try {
      this.opts.committed(applied);
    } catch (err) {
      // Committed is committed: the writers still get their results.
      this.opts.logger.error('storage commit hook failed', { error: String(err) });
    }
    group.forEach((p, i) => {
      const result = applied.results[i];
      if (result) p.resolve(result);
      else p.reject(new Error('storage write produced no result'));
    });
  }

  /** close rejects later enqueues; call flush() first to commit what is queued. */
  close(): void {
    this.closed = true;
  }

  /** stats returns how many transactions committed and how many writes they carried. */
  stats(): { commits: number; writes: number } {
    return { commits: this.commits, writes: this.writes };
  }
}
