import type { KeyValue, WatchEvent, WriteResult } from '../backend.js';
import type { KvRow, Statements } from './sqlite_schema.js';

/** WriteOp is one queued write of a group commit. */
export type WriteOp =
  | { kind: 'create'; key: string; value: Uint8Array }
  | { kind: 'update'; key: string; value: Uint8Array; expected: number }
  | { kind: 'delete'; key: string; expected: number | undefined };

/** AppliedBatch is what a group of writes did: the new store revision, one result per op, the events. */
export interface AppliedBatch {
  revision: number;
  results: WriteResult[];
  events: WatchEvent[];
}

const emptyValue = new Uint8Array(0);

/** rowToKv converts a stored row to a KeyValue. */
export function rowToKv(row: KvRow): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.create_revision, modRevision: row.revision };
}

/**
 * applyBatch applies ops in order, giving each successful one the next revision. It must run inside
 * one transaction: reads see the earlier ops of the group, and a failed compare is only a result.
 */
export function applyBatch(stmts: Statements, ops: readonly WriteOp[], startRevision: number): AppliedBatch {
  let revision = startRevision;
  const results: WriteResult[] = [];
  const events: WatchEvent[] = [];
  for (const op of ops) {
    const row = stmts.getCurrent.get(op.key);
    const cur = row ? rowToKv(row) : undefined;
    const event = decide(op, cur, revision + 1);
    if (!event) {
      results.push({ ok: false, revision, kv: cur });
      continue;
    }
    revision++;
    const deleted = event.type === 'DELETE';
    const prev = cur?.modRevision ?? 0;
    stmts.insertLog.run(revision, op.key, event.kv.createRevision, prev, deleted ? 1 : 0, deleted ? emptyValue : event.kv.value);
    if (deleted) stmts.deleteCurrent.run(op.key);
    else stmts.putCurrent.run(op.key, revision);
    results.push({ ok: true, revision, kv: event.kv });
    events.push(event);
  }
  if (revision !== startRevision) stmts.setMeta.run('revision', revision);
  return { revision, results, events };
}

/** decide returns the event op makes at revision, or undefined when its compare fails. */
function decide(op: WriteOp, cur: KeyValue | undefined, revision: number): WatchEvent | undefined {
  switch (op.kind) {
    case 'create':
      if (cur) return undefined;
      return { type: 'PUT', kv: { key: op.key, value: op.value, createRevision: revision, modRevision: revision } };
    case 'update':
      if (!cur || cur.modRevision !== op.expected) return undefined;
      return {
        type: 'PUT',
        kv: { key: op.key, value: op.value, createRevision: cur.createRevision, modRevision: revision },
        prevKv: cur,
      };
    case 'delete':
      if (!cur || (op.expected !== undefined && cur.modRevision !== op.expected)) return undefined;
      return { type: 'DELETE', kv: { ...cur, modRevision: revision }, prevKv: cur };
  }
}
