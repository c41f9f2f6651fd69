import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import Database from 'better-sqlite3';
import { silentLogger } from '../../lib/log.js';
import { dec } from '../contract_helpers.js';
import { crashValue } from './sqlite_crash_writer.js';
import { SqliteBackend } from './sqlite.js';

const writerPath = fileURLToPath(new URL('./sqlite_crash_writer.js', import.meta.url));

/** runAndKill runs the writer, SIGKILLs it killAfterMs after its first ack, and returns the acked lines. */
function runAndKill(dbPath: string, killAfterMs: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerPath, dbPath, '16'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killTimer: NodeJS.Timeout | undefined;
    // Bounded even if the child never acks anything.
    const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      killTimer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      clearTimeout(killTimer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited with ${code}: ${err}`));
      const acked = new Map<string, number>();
      // Only complete lines count: a torn last line was never fully acknowledged.
      for (const line of out.slice(0, out.lastIndexOf('\n') + 1).split('\n')) {
        const [key, rev] = line.split(' ');
        if (key && rev) acked.set(key, Number(rev));
      }
      resolve(acked);
    });
  });
}

it('keeps every acknowledged write across kill -9', { timeout: 30_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-crash-'));
  const path = join(dir, 'state.db');
  try {
    const acked = await runAndKill(path, 1000);
    assert.ok(acked.size > 0, 'the writer acknowledged writes before the kill');
    t.diagnostic(`${acked.size} writes acknowledged before SIGKILL`);
    const raw = new Database(path);
    assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
    raw.close();
    const backend = new SqliteBackend({ path, logger: silentLogger, compactIntervalMs: 0 });
    try {
      for (const [key, revision] of acked) {
        const { kv } = await backend.get(key);
        assert.equal(dec(kv?.value), crashValue(key), `acked ${key} survived`);
        assert.equal(kv?.modRevision, revision, `${key} kept its revision`);
      }
      // Only creates ran: the stored keys hold exactly the revisions 1..current, once each.
      const current = await backend.currentRevision();
      const { kvs } = await backend.list('/crash/');
      const revisions = kvs.map((kv) => kv.modRevision).sort((a, b) => a - b);
      assert.deepEqual(revisions, Array.from({ length: current }, (_, i) => i + 1));
      assert.ok(kvs.every((kv) => kv.createRevision === kv.modRevision));
      assert.ok(current >= Math.max(...acked.values()));
      assert.equal((await backend.create('/after', new Uint8Array([1]))).revision, current + 1);
    } finally {
      await backend.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
