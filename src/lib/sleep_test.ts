import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from './clock.js';
import { sleep } from './sleep.js';

/** settled reports whether p has settled after pending microtasks ran. */
async function settled(p: Promise<void>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
}

test('sleep resolves when the clock reaches ms', async () => {
  const clock = new FakeClock();
  const p = sleep(clock, 1000, new AbortController().signal);
  clock.advance(999);
  assert.equal(await settled(p), false);
  clock.advance(1);
  assert.equal(await settled(p), true);
});

test('sleep resolves early on abort and cancels its timer', async () => {
  const fake = new FakeClock();
  let live = 0;
  const clock = {
    now: () => fake.now(),
    setTimeout(fn: () => void, ms: number): () => void {
      live++;
      const cancel = fake.setTimeout(fn, ms);
      return () => {
        live--;
        cancel();
      };
    },
  };
  const ac = new AbortController();
  const p = sleep(clock, 1000, ac.signal);
  assert.equal(live, 1);
  ac.abort();
  assert.equal(await settled(p), true);
  assert.equal(live, 0);
});

test('sleep on an aborted signal resolves at once', async () => {
  const ac = new AbortController();
  ac.abort();
  assert.equal(await settled(sleep(new FakeClock(), 60_000, ac.signal)), true);
});
