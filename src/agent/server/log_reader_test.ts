import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../lib/clock.js';
import { readCriLog, type ReadLogOptions } from './log_reader.js';

const line = (i: number, partial = false): string => `2024-01-02T03:04:${String(i).padStart(2, '0')}.000000001Z stdout ${partial ? 'P' : 'F'} line ${i}\n`;

function withFile(content: string, fn: (path: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-log-'));
    try {
      const path = join(dir, '0.log');
      writeFileSync(path, content);
      await fn(path);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

async function readAll(path: string, opts: Partial<ReadLogOptions>): Promise<string> {
  const out: Buffer[] = [];
  await readCriLog(path, async (b) => void out.push(b), { timestamps: false, follow: false, signal: new AbortController().signal, clock: new FakeClock(), ...opts });
  return Buffer.concat(out).toString();
}

test('readCriLog tails the last N lines', withFile([1, 2, 3, 4].map((i) => line(i)).join(''), async (path) => {
  const cases: [number | undefined, string][] = [
    [undefined, 'line 1\nline 2\nline 3\nline 4\n'],
    [0, ''],
    [1, 'line 4\n'],
    [3, 'line 2\nline 3\nline 4\n'],
    [10, 'line 1\nline 2\nline 3\nline 4\n'],
  ];
  for (const [tailLines, want] of cases) {
    assert.equal(await readAll(path, tailLines === undefined ? {} : { tailLines }), want, `tailLines=${String(tailLines)}`);
  }
}));

test('readCriLog writes timestamps and a final unterminated line when not following', withFile(line(1) + line(2).trimEnd(), async (path) => {
  assert.equal(await readAll(path, { timestamps: true }), '2024-01-02T03:04:01.000000001Z line 1\n2024-01-02T03:04:02.000000001Z line 2\n');
}));

test('readCriLog skips lines that are not CRI entries', withFile(`junk\n${line(1)}\n`, async (path) => {
  assert.equal(await readAll(path, {}), 'line 1\n');
}));

async function until(clock: FakeClock, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) {
    clock.advance(100);
    await new Promise((r) => setTimeout(r, 2));
  }
  assert.ok(cond(), 'condition not reached');
}

test('readCriLog follows new lines until the container is no longer current', withFile(line(1), async (path) => {
  const clock = new FakeClock();
  const out: string[] = [];
  let current = true;
  const done = readCriLog(path, async (b) => void out.push(b.toString()), { timestamps: false, follow: true, signal: new AbortController().signal, clock, pollMs: 100, checkMs: 300, stillCurrent: async () => current });
  await until(clock, () => out.join('') === 'line 1\n');
  appendFileSync(path, line(2, true));
  appendFileSync(path, line(3));
  await until(clock, () => out.join('') === 'line 1\nline 2line 3\n');
  appendFileSync(path, line(4));
  current = false;
  let finished = false;
  void done.then(() => (finished = true));
  await until(clock, () => finished);
  assert.equal(out.join(''), 'line 1\nline 2line 3\nline 4\n');
}));

test('readCriLog stops following when the signal aborts', withFile(line(1), async (path) => {
  const clock = new FakeClock();
  const ctl = new AbortController();
  const out: string[] = [];
  let finished = false;
  void readCriLog(path, async (b) => void out.push(b.toString()), { timestamps: false, follow: true, signal: ctl.signal, clock }).then(() => (finished = true));
  await until(clock, () => out.length === 1);
  ctl.abort();
  await until(clock, () => finished);
}));
