import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger, type Logger } from '../../lib/log.js';
import { CompactedError } from '../backend.js';
import { runBackendContract } from '../contract.js';
import { dec, enc, settle } from '../contract_helpers.js';
import { SqliteBackend, type SqliteBackendOptions } from './sqlite.js';

function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-sqlite-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

runBackendContract('sqlite', async () => {
  const tmp = tempDir();
  const backend = new SqliteBackend({ path: join(tmp.dir, 'state.db'), logger: silentLogger, compactIntervalMs: 0 });
  return {
    backend,
    cleanup: async () => {
      await backend.close();
      tmp.remove();
    },
  };
});

function recordingLogger(lines: string[]): Logger {
  const logger: Logger = {
    ...silentLogger,
    info: (msg, fields) => void lines.push(`${msg} ${JSON.stringify(fields ?? {})}`),
    child: () => logger,
  };
  return logger;
}

/** waitUntil polls cond once per event-loop turn, at most turns times. */
async function waitUntil(cond: () => Promise<boolean>, turns = 200): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (await cond()) return;
    await settle(1);
  }
  assert.fail('condition not reached');
}

describe('SqliteBackend', () => {
  const open = (dir: string, extra: Partial<SqliteBackendOptions> = {}): SqliteBackend =>
    new SqliteBackend({ path: join(dir, 'state.db'), logger: silentLogger, compactIntervalMs: 0, ...extra });

  it('commits concurrent writes as one transaction (group commit)', async () => {
    const tmp = tempDir();
    const b = open(tmp.dir);
    try {
      await Promise.all(Array.from({ length: 200 }, (_, i) => b.create(`/g/${i}`, enc('v'))));
      assert.deepEqual(b.stats(), { commits: 1, writes: 200 });
      for (let i = 0; i < 3; i++) await b.create(`/s/${i}`, enc('v'));
      assert.deepEqual(b.stats(), { commits: 4, writes: 203 });
    } finally {
      await b.close();
      tmp.remove();
    }
  });

  it('continues at its revision and compaction mark after reopening', async () => {
    const tmp = tempDir();
    try {
      const first = open(tmp.dir);
      for (let i = 0; i < 5; i++) await first.create(`/k/${i}`, enc(`v${i}`));
      await first.delete('/k/0');
      await first.compact(6);
      await first.close();
      const second = open(tmp.dir);
      assert.equal(await second.currentRevision(), 6);
      assert.equal(await second.compactedRevision(), 6);
      await assert.rejects(second.get('/k/1', 5), CompactedError);
      assert.equal((await second.create('/k/5', enc('v5'))).revision, 7);
      assert.equal(dec((await second.get('/k/4')).kv?.value), 'v4');
      assert.equal((await second.count('/k/')).count, 5);
      await second.close();
    } finally {
      tmp.remove();
    }
  });

  it('compacts and checkpoints the WAL on its schedule, logging what it did', async () => {
    const tmp = tempDir();
    const clock = new FakeClock();
    const lines: string[] = [];
    const b = open(tmp.dir, { clock, logger: recordingLogger(lines), compactIntervalMs: 60_000, compactRetainRevisions: 10 });
    try {
      b.start();
      await b.create('/x', enc('0'));
      for (let i = 1; i < 50; i++) await b.update('/x', enc(String(i)), i);
      clock.advance(59_000);
      await settle();
      assert.equal(await b.compactedRevision(), 0, 'not before the interval');
      clock.advance(1_000);
      await waitUntil(async () => (await b.compactedRevision()) === 40);
      await waitUntil(async () => statSync(join(tmp.dir, 'state.db-wal')).size === 0);
      assert.ok(lines.some((l) => l.startsWith('compacted storage history') && l.includes('"deletedRows":39')), lines.join('\n'));
      assert.equal(dec((await b.get('/x', 40)).kv?.value), '39');
      await assert.rejects(b.get('/x', 39), CompactedError);
      for (let i = 50; i < 55; i++) await b.update('/x', enc(String(i)), i);
      clock.advance(60_000);
      await waitUntil(async () => (await b.compactedRevision()) === 45);
    } finally {
      await b.close();
      tmp.remove();
    }
  });

  it('rejects invalid options', () => {
    const cases: Partial<SqliteBackendOptions>[] = [{ path: '' }, { maxValueBytes: 0 }, { compactIntervalMs: -1 }, { compactRetainRevisions: Number.NaN }];
    for (const c of cases) assert.throws(() => new SqliteBackend({ path: '/nonexistent/x.db', logger: silentLogger, ...c }), /SqliteBackend/);
  });
});
