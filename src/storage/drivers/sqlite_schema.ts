import Database from 'better-sqlite3';

/**
 * The schema is kine's shape: kv_log holds one row per revision (the revision is the row id, so
 * revision order is commit order); kv_current maps each live key to its newest row so plain reads
 * never scan history; meta holds the store revision and the compaction marks.
 * A tombstone row (deleted = 1) keeps no value: its prev_revision row holds the deleted value.
 */
const schema = `
CREATE TABLE IF NOT EXISTS kv_log (
  revision INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  value BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS kv_log_key_revision ON kv_log (key, revision);
CREATE TABLE IF NOT EXISTS kv_current (
  key TEXT PRIMARY KEY,
  revision INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** KvRow is a stored key at one revision. */
export interface KvRow {
  key: string;
  value: Uint8Array;
  create_revision: number;
  revision: number;
}

/** LogRow is a kv_log row with its tombstone flag. */
export interface LogRow extends KvRow {
  deleted: number;
}

/** EventRow is a kv_log row joined with the row it superseded (prev_value null when none). */
export interface EventRow extends LogRow {
  prev_revision: number;
  prev_value: Uint8Array | null;
}

/**
 * RangeEnd is a range's exclusive upper bound: a string, or an empty BLOB for "no bound" (SQLite
 * orders every TEXT value below every BLOB, so `key < X''` holds for all keys and the index range
 * scan still applies).
 */
export type RangeEnd = string | Uint8Array;

/** MetaName names the integers kept in the meta table. */
export type MetaName = 'revision' | 'compact_revision' | 'compact_swept';

const currentSelect = `SELECT c.key, l.value, l.create_revision, l.revision FROM kv_current c JOIN kv_log l ON l.revision = c.revision`;

/** openDatabase opens (creating if needed) the database at path in WAL mode with synchronous=FULL. */
export function openDatabase(path: string): Database.Database {
  const db = new Database(path);
  // auto_vacuum only takes effect before the first table exists; it lets compaction return pages.
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  // FULL: every commit fsyncs the WAL, so an acknowledged write survives a crash or power loss.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(schema);
  return db;
}

/** prepareStatements compiles every statement the driver runs. */
export function prepareStatements(db: Database.Database) {
  return {
    getCurrent: db.prepare<[string], KvRow>(`${currentSelect} WHERE c.key = ?`),
    getAt: db.prepare<[string, number], LogRow>(
      `SELECT key, value, create_revision, revision, deleted FROM kv_log WHERE key = ? AND revision <= ? ORDER BY revision DESC LIMIT 1`,
    ),
    listCurrent: db.prepare<[string, RangeEnd, number], KvRow>(
      `${currentSelect} WHERE c.key >= ? AND c.key < ? ORDER BY c.key LIMIT ?`,
    ),
    listAt: db.prepare<[string, RangeEnd, number, number], KvRow>(
      `SELECT l.key, l.value, l.create_revision, l.revision FROM
         (SELECT MAX(revision) AS r FROM kv_log WHERE key >= ? AND key < ? AND revision <= ? GROUP BY key) t
         JOIN kv_log l ON l.revision = t.r
       WHERE l.deleted = 0 ORDER BY l.key LIMIT ?`,
    ),
    count: db.prepare<[string, RangeEnd], { n: number }>(`SELECT COUNT(*) AS n FROM kv_current WHERE key >= ? AND key < ?`),
    history: db.prepare<[number, number, string, RangeEnd, number], EventRow>(
      `SELECT l.key, l.value, l.create_revision, l.revision, l.deleted, l.prev_revision, p.value AS prev_value
       FROM kv_log l LEFT JOIN kv_log p ON p.revision = l.prev_revision
       WHERE l.revision > ? AND l.revision <= ? AND l.key >= ? AND l.key < ? ORDER BY l.revision LIMIT ?`,
    ),
    insertLog: db.prepare<[number, string, number, number, number, Uint8Array], void>(
      `INSERT INTO kv_log (revision, key, create_revision, prev_revision, deleted, value) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    putCurrent: db.prepare<[string, number], void>(
      `INSERT INTO kv_current (key, revision) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET revision = excluded.revision`,
    ),
    deleteCurrent: db.prepare<[string], void>(`DELETE FROM kv_current WHERE key = ?`),
    maxRevision: db.prepare<[], { r: number | null }>(`SELECT MAX(revision) AS r FROM kv_log`),
    getMeta: db.prepare<[MetaName], { value: number }>(`SELECT value FROM meta WHERE name = ?`),
    setMeta: db.prepare<[MetaName, number], void>(
      `INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    ),
    compactRange: db.prepare<[number, number, number], void>(
      // Superseded rows (a newer row of the key at or below the target) and tombstones go.
      `DELETE FROM kv_log WHERE revision > ? AND revision <= ? AND (deleted = 1 OR EXISTS
         (SELECT 1 FROM kv_log n WHERE n.key = kv_log.key AND n.revision > kv_log.revision AND n.revision <= ?))`,
    ),
  };
}

/** Statements is the compiled statement set of one database. */
export type Statements = ReturnType<typeof prepareStatements>;

/** readMeta returns a meta integer (0 when unset). */
export function readMeta(stmts: Statements, name: MetaName): number {
  return stmts.getMeta.get(name)?.value ?? 0;
}
