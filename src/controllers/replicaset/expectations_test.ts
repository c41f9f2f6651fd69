import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../lib/clock.js';
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
