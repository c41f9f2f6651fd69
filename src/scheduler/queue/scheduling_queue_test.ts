import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../lib/clock.js';
import { podInfo } from '../testing/fixtures_test_helper.js';
import { SchedulingQueue } from './scheduling_queue.js';
import { Heap } from './heap.js';

test('Heap orders, updates and removes by key', () => {
  const h = new Heap<{ k: string; v: number }>((x) => x.k, (a, b) => a.v < b.v);
  for (const [k, v] of [['a', 5], ['b', 1], ['c', 3], ['d', 4]] as const) h.push({ k, v });
  h.push({ k: 'a', v: 0 });
  h.remove('c');
  const out: string[] = [];
  for (let x = h.pop(); x; x = h.pop()) out.push(x.k);
  assert.deepEqual(out, ['a', 'b', 'd']);
});

test('active queue: higher priority first, then older', () => {
  const q = new SchedulingQueue({ clock: new FakeClock() });
  const mk = (name: string, priority: number, created: string): ReturnType<typeof podInfo> => {
    const p = podInfo(name, { priority });
    return { ...p, creationMs: Date.parse(created) };
  };
  q.add(mk('late', 0, '2024-01-01T00:00:02Z'));
  q.add(mk('early', 0, '2024-01-01T00:00:01Z'));
  q.add(mk('vip', 100, '2024-01-01T00:00:03Z'));
  const order = [q.tryPop(), q.tryPop(), q.tryPop()].map((x) => x?.info.name);
  assert.deepEqual(order, ['vip', 'early', 'late']);
});

test('unschedulable pods wait for an event, respecting backoff, or 60 s', () => {
  const clock = new FakeClock();
  const q = new SchedulingQueue({ clock });
  q.add(podInfo('p'));
  const first = q.tryPop();
  assert.ok(first);
  q.addUnschedulable(first);
  assert.deepEqual(q.counts(), { active: 0, backoff: 0, unschedulable: 1 });
  // An event within the 1 s backoff moves it to backoff, then active when the backoff ends.
  q.moveAllToActiveOrBackoff();
  assert.deepEqual(q.counts(), { active: 0, backoff: 1, unschedulable: 0 });
  clock.advance(1000);
  assert.deepEqual(q.counts(), { active: 1, backoff: 0, unschedulable: 0 });
  // Second failure: 2 s backoff; with no event it is retried after 60 s.
  const second = q.tryPop();
  assert.ok(second);
  assert.equal(second.attempts, 2);
  q.addUnschedulable(second);
  clock.advance(59_999);
  assert.equal(q.counts().unschedulable, 1);
  clock.advance(1);
  assert.equal(q.counts().active, 1);
});

test('backoff doubles up to 10 s; a move during the cycle sends the pod to backoff', () => {
  const clock = new FakeClock();
  const q = new SchedulingQueue({ clock });
  q.add(podInfo('p'));
  const waits: number[] = [];
  for (let i = 0; i < 6; i++) {
    const qp = q.tryPop();
    assert.ok(qp);
    q.moveAllToActiveOrBackoff(); // an event while the pod is being scheduled
    q.addUnschedulable(qp);
    assert.equal(q.counts().backoff, 1);
    let waited = 0;
    while (q.counts().active === 0 && waited < 20_000) {
      clock.advance(500);
      waited += 500;
    }
    waits.push(waited);
  }
  assert.deepEqual(waits, [1000, 2000, 4000, 8000, 10_000, 10_000]);
});

test('pop waits for a pod and close releases waiters', async () => {
  const q = new SchedulingQueue({ clock: new FakeClock() });
  const waiting = q.pop();
  q.add(podInfo('p'));
  assert.equal((await waiting)?.info.name, 'p');
  const empty = q.pop();
  q.close();
  assert.equal(await empty, undefined);
});

test('update of an unschedulable pod retries it; delete forgets it', () => {
  const clock = new FakeClock();
  const q = new SchedulingQueue({ clock });
  q.add(podInfo('p'));
  const qp = q.tryPop();
  assert.ok(qp);
  q.addUnschedulable(qp);
  clock.advance(1000);
  q.update(podInfo('p', { nodeSelector: { a: 'b' } }));
  assert.equal(q.counts().active, 1);
  q.delete('default/p');
  assert.deepEqual(q.counts(), { active: 0, backoff: 0, unschedulable: 0 });
});
