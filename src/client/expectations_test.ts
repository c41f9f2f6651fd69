import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../lib/clock.js';
import { Expectations, EXPECTATIONS_TIMEOUT_MS } from './expectations.js';

test('Expectations: unknown keys are satisfied; creations must all be observed', () => {
  const e = new Expectations(new FakeClock());
  assert.equal(e.satisfied('ns/rs'), true);
  e.expectCreations('ns/rs', 2);
  assert.equal(e.satisfied('ns/rs'), false);
  e.creationObserved('ns/rs');
  assert.equal(e.satisfied('ns/rs'), false);
  e.creationObserved('ns/rs');
  assert.equal(e.satisfied('ns/rs'), true);
});

test('Expectations: deletions are tracked by pod key, duplicates ignored', () => {
  const e = new Expectations(new FakeClock());
  e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
  e.deletionObserved('ns/rs', 'ns/a');
  e.deletionObserved('ns/rs', 'ns/a');
  e.deletionObserved('ns/rs', 'ns/other');
  assert.deepEqual(e.pending('ns/rs'), { add: 0, del: 1 });
  assert.equal(e.satisfied('ns/rs'), false);
  e.deletionObserved('ns/rs', 'ns/b');
  assert.equal(e.satisfied('ns/rs'), true);
});

test('Expectations: expire after the timeout; delete forgets', () => {
  const clock = new FakeClock();
  const e = new Expectations(clock);
  e.expectCreations('k', 5);
  clock.advance(EXPECTATIONS_TIMEOUT_MS);
  assert.equal(e.satisfied('k'), false);
  clock.advance(1);
  assert.equal(e.satisfied('k'), true);
  e.expectCreations('k', 1);
  e.delete('k');
  assert.equal(e.satisfied('k'), true);
});

test('Expectations: counted expectations add up while pending and restart once satisfied or expired', () => {
  const clock = new FakeClock();
  const e = new Expectations(clock);
  e.expect('ns/ds', 2, 1);
  e.expect('ns/ds', 1, 0);
  assert.deepEqual(e.pending('ns/ds'), { add: 3, del: 1 });
  for (let i = 0; i < 3; i++) e.creationObserved('ns/ds');
  e.deletionObserved('ns/ds');
  assert.equal(e.satisfied('ns/ds'), true);
  e.expect('ns/ds', 1, 0);
  assert.deepEqual(e.pending('ns/ds'), { add: 1, del: 0 });
  clock.advance(EXPECTATIONS_TIMEOUT_MS + 1);
  e.expect('ns/ds', 0, 2);
  assert.deepEqual(e.pending('ns/ds'), { add: 0, del: 2 });
  assert.equal(e.satisfied('ns/ds'), false);
});
