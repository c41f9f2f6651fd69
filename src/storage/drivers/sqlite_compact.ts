import { setImmediate as nextTurn } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { readMeta, type Statements } from './sqlite_schema.js';

/** CompactionInput describes one compaction run over a database. */
export interface CompactionInput {
  db: Database.Database;
  stmts: Statements;
  /** target: history at and below it goes (the newest live row of each key stays). */
  target: number;
  /** batchRevisions is how many revisions one transaction sweeps (default 10000). */
  batchRevisions?: number;
  /** isOpen is checked between batches; a closed database ends the run early. */
  isOpen: () => boolean;
}

/**
 * compactLog deletes superseded rows and tombstones at or below target, in transactions of
 * batchRevisions revisions with an event-loop turn between them so writes keep flowing. The first
 * transaction records compact_revision = target, so reads below it fail even if the process dies
 * mid-run; compact_swept records progress, and a later run resumes from it. Returns rows deleted.
 */
export async function compactLog(input: CompactionInput): Promise<number> {
  const { db, stmts, target } = input;
  const batch = input.batchRevisions ?? 10_000;
  let low = readMeta(stmts, 'compact_swept');
  let deleted = 0;
  const sweep = db.transaction((from: number, to: number) => {
    stmts.setMeta.run('compact_revision', target);
    deleted += stmts.compactRange.run(from, to, target).changes;
    stmts.setMeta.run('compact_swept', to);
  });
  if (low >= target) {
    sweep(low, low);
    return 0;
  }
  while (low < target && input.isOpen()) {
    const high = Math.min(low + batch, target);
    sweep(low, high);
    low = high;
    if (low < target) await nextTurn();
  }
  return deleted;
}

/** checkpointWal copies the WAL into the database and truncates it; returns the pages checkpointed. */
export function checkpointWal(db: Database.Database): number {
  const rows = db.pragma('wal_checkpoint(TRUNCATE)');
  const first: unknown = Array.isArray(rows) ? rows[0] : undefined;
  if (first && typeof first === 'object' && 'checkpointed' in first && typeof first.checkpointed === 'number') {
    return first.checkpointed;
  }
  return 0;
}

/** vacuumFreePages returns free pages to the file system (the database was created with auto_vacuum=INCREMENTAL). */
export function vacuumFreePages(db: Database.Database): void {
  db.pragma('incremental_vacuum');
}
