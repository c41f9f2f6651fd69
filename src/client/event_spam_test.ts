import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../lib/clock.js';
import { EventSpamFilter, SPAM_BURST, SPAM_REFILL_MS } from './event_spam.js';

test('EventSpamFilter: a burst per object, then one per refill period', () => {
  const clock = new FakeClock(1_000_000);
  const f = new EventSpamFilter(clock);
  const allowed = Array.from({ length: SPAM_BURST + 10 }, () => f.allow('rs-a')).filter(Boolean).length;
  assert.equal(allowed, SPAM_BURST);
  assert.equal(f.allow('rs-b'), true, 'another object has its own bucket');
  clock.advance(SPAM_REFILL_MS - 1);
  assert.equal(f.allow('rs-a'), false);
  clock.advance(1);
  assert.equal(f.allow('rs-a'), true);
  assert.equal(f.allow('rs-a'), false);
});

test('EventSpamFilter: the bucket refills to the burst, no further', () => {
  const clock = new FakeClock(0);
  const f = new EventSpamFilter(clock, 2, 1000);
  assert.deepEqual([f.allow('x'), f.allow('x'), f.allow('x')], [true, true, false]);
  clock.advance(10_000);
  assert.deepEqual([f.allow('x'), f.allow('x'), f.allow('x')], [true, true, false]);
});
