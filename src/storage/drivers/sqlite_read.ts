import type { KeyValue, ListResult, WatchEvent } from '../backend.js';
import { prefixEnd } from './guards.js';
import type { EventRow, RangeEnd, Statements } from './sqlite_schema.js';
import { rowToKv } from './sqlite_write.js';

const noBound = new Uint8Array(0);

/** prefixRange returns the [start, end) key range of prefix, starting no lower than startKey. */
export function prefixRange(prefix: string, startKey = ''): [string, RangeEnd] {
  return [startKey > prefix ? startKey : prefix, prefixEnd(prefix) ?? noBound];
}

/** readKey returns key as of revision (current when revision equals the store revision). */
export function readKey(stmts: Statements, key: string, revision: number, current: number): KeyValue | undefined {
  if (revision === current) {
    const row = stmts.getCurrent.get(key);
    return row ? rowToKv(row) : undefined;
  }
  const row = stmts.getAt.get(key, revision);
  return row && row.deleted === 0 ? rowToKv(row) : undefined;
}

/** readList returns a page of keys under prefix as of revision; limit <= 0 means all. */
export function readList(
  stmts: Statements,
  prefix: string,
  startKey: string | undefined,
  limit: number,
  revision: number,
  current: number,
): ListResult {
  const [start, end] = prefixRange(prefix, startKey);
  // One extra row tells whether more keys follow the page.
  const sqlLimit = limit > 0 ? limit + 1 : -1;
  const rows =
    revision === current
      ? stmts.listCurrent.all(start, end, sqlLimit)
      : stmts.listAt.all(start, end, revision, sqlLimit);
  const more = limit > 0 && rows.length > limit;
  const kvs = (more ? rows.slice(0, limit) : rows).map(rowToKv);
  return { revision, kvs, more };
}

/** readCount returns how many live keys have prefix. */
export function readCount(stmts: Statements, prefix: string): number {
  const [start, end] = prefixRange(prefix);
  return stmts.count.get(start, end)?.n ?? 0;
}

/** readHistory returns up to limit events under prefix with after < revision <= upTo. */
export function readHistory(stmts: Statements, prefix: string, after: number, upTo: number, limit: number): WatchEvent[] {
  const [start, end] = prefixRange(prefix);
  return stmts.history.all(after, upTo, start, end, limit).map(rowToEvent);
}

function rowToEvent(row: EventRow): WatchEvent {
  const prevKv: KeyValue | undefined =
    row.prev_revision > 0
      ? { key: row.key, value: row.prev_value ?? noBound, createRevision: row.create_revision, modRevision: row.prev_revision }
      : undefined;
  if (row.deleted === 0) {
    const kv = rowToKv(row);
    return prevKv ? { type: 'PUT', kv, prevKv } : { type: 'PUT', kv };
  }
  const kv = { key: row.key, value: row.prev_value ?? noBound, createRevision: row.create_revision, modRevision: row.revision };
  return prevKv ? { type: 'DELETE', kv, prevKv } : { type: 'DELETE', kv };
}
