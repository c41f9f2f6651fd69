// Storage benchmark: durable SQLite transactions per second as the reference, against
// SqliteBackend creates per second with 64 concurrent writers (group commit).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { silentLogger } from '../src/lib/log.js';
import { SqliteBackend } from '../src/storage/drivers/sqlite.js';

const runMs = 2000;
const writers = 64;
const value = new Uint8Array(512).fill(120);

/** rawTxPerSec runs one INSERT per transaction, sequentially, on raw better-sqlite3 with WAL + synchronous=FULL. */
function rawTxPerSec(dir: string): number {
  const db = new Database(join(dir, 'raw.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE kv (id INTEGER PRIMARY KEY, key TEXT NOT NULL, value BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO kv (key, value) VALUES (?, ?)');
    const tx = db.transaction((key: string) => insert.run(key, value));
    const start = performance.now();
    let n = 0;
    while (performance.now() - start < runMs) tx(`/bench/raw/${n++}`);
    return n / ((performance.now() - start) / 1000);
  } finally {
    db.close();
  }
}

/** backendCreatesPerSec runs 64 writers, each creating keys back to back, against a SqliteBackend. */
async function backendCreatesPerSec(dir: string): Promise<{ perSec: number; perCommit: number }> {
  const backend = new SqliteBackend({ path: join(dir, 'backend.db'), logger: silentLogger, compactIntervalMs: 0 });
  try {
    const start = performance.now();
    let n = 0;
    const writer = async (id: number): Promise<void> => {
      for (let i = 0; performance.now() - start < runMs; i++) {
        await backend.create(`/bench/backend/${id}/${i}`, value);
        n++;
      }
    };
    await Promise.all(Array.from({ length: writers }, (_, id) => writer(id)));
    const perSec = n / ((performance.now() - start) / 1000);
    const { commits, writes } = backend.stats();
    return { perSec, perCommit: writes / Math.max(1, commits) };
  } finally {
    await backend.close();
  }
}

/**
 * benchStorage measures the durable write reference (raw SQLite, one fsync per transaction) and
 * SqliteBackend creates with 64 concurrent writers, ~2 s each, in a temporary directory it removes.
 * It prints one summary line and returns both rates.
 */
export async function benchStorage(print: (line: string) => void): Promise<{ rawTxPerSec: number; backendCreatesPerSec: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-storage-'));
  try {
    const raw = rawTxPerSec(dir);
    const backend = await backendCreatesPerSec(dir);
    print(
      `storage: raw durable sqlite tx/s ${Math.round(raw)} | backend creates/s ${Math.round(backend.perSec)} ` +
        `(${(backend.perSec / raw).toFixed(2)}x raw, ${backend.perCommit.toFixed(1)} writes/commit, ${writers} writers)`,
    );
    return { rawTxPerSec: raw, backendCreatesPerSec: backend.perSec };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await benchStorage((line) => console.log(line));
}
