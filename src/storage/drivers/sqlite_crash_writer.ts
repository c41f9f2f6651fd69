// sqlite_crash_writer is the child process of sqlite_crash_test: it opens a SqliteBackend at
// argv[2] and creates keys from argv[3] concurrent writers as fast as it can, printing
// "<key> <revision>" for each acknowledged create, until it is killed.
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../lib/log.js';
import { SqliteBackend } from './sqlite.js';

/** crashValue is the value the writer stores under key; the test checks it after the crash. */
export function crashValue(key: string): string {
  return `value-of-${key}`;
}

async function writer(backend: SqliteBackend, id: number): Promise<void> {
  const encoder = new TextEncoder();
  // Bounded: the parent kills this process long before the loop could end.
  for (let n = 0; n < 10_000_000; n++) {
    const key = `/crash/w${id}/${n}`;
    const r = await backend.create(key, encoder.encode(crashValue(key)));
    if (!r.ok) throw new Error(`create ${key} failed`);
    // Pipes are written synchronously on Linux: the line is out before the next write starts.
    process.stdout.write(`${key} ${r.revision}\n`);
  }
}

async function main(): Promise<void> {
  const [path, concurrency] = process.argv.slice(2);
  if (!path) throw new Error('usage: sqlite_crash_writer <db path> [concurrency]');
  const backend = new SqliteBackend({ path, logger: silentLogger, compactIntervalMs: 0 });
  const writers = Number(concurrency ?? '8');
  await Promise.all(Array.from({ length: writers }, (_, id) => writer(backend, id)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
