import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../lib/clock.js';
import { Backoff, goDuration } from './backoff.js';

test('goDuration prints like Go', () => {
  const cases: [number, string][] = [[250, '250ms'], [10_000, '10s'], [80_000, '1m20s'], [160_000, '2m40s'], [300_000, '5m0s'], [1500, '1.5s'], [3_600_000, '1h0m0s']];
  for (const [ms, want] of cases) assert.equal(goDuration(ms), want);
});

test('Backoff doubles to the cap and starts over after 2×max of quiet', () => {
  const clock = new FakeClock();
  const b = new Backoff(clock, 10_000, 300_000);
  const seen: number[] = [];
  for (let i = 0; i < 8; i++) {
    b.next('k', clock.now());
    seen.push(b.get('k'));
    clock.advance(b.get('k'));
  }
  assert.deepEqual(seen, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  const t = clock.now();
  assert.equal(b.isInBackOffSince('k', t), true);
  clock.advance(601_000);
  assert.equal(b.isInBackOffSince('k', clock.now()), false, 'expired');
  b.next('k', clock.now());
  assert.equal(b.get('k'), 10_000);
});
