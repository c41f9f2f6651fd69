import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../lib/clock.js';
import type { Container, CriClient, PodSandbox } from '../../cri/types.js';
import { Relist } from './relist.js';

/** listingCri answers only the two list calls, counting them; fail makes both reject. */
function listingCri(state: { running: boolean; fail: boolean; lists: number }): CriClient {
  const sandbox = { id: 's1', state: 'SANDBOX_READY' } as PodSandbox;
  const container = (): Container => ({ id: 'c1', state: state.running ? 'CONTAINER_RUNNING' : 'CONTAINER_EXITED' }) as Container;
  const answer = <T>(v: T): Promise<T> => (state.fail ? Promise.reject(new Error('unavailable')) : Promise.resolve(v));
  return {
    listPodSandbox: () => (state.lists++, answer([sandbox])),
    listContainers: () => answer([container()]),
  } as unknown as CriClient;
}

test('Relist shares one listing until it is maxAgeMs old, then lists again', async () => {
  const clock = new FakeClock();
  const state = { running: true, fail: false, lists: 0 };
  const relist = new Relist(listingCri(state), clock, 500);
  const [a, b] = await Promise.all([relist.get(), relist.get()]);
  assert.equal(a, b, 'concurrent callers share the listing in flight');
  assert.equal(a?.sandboxes.get('s1'), 'SANDBOX_READY');
  assert.equal(a?.containers.get('c1'), 'CONTAINER_RUNNING');
  state.running = false;
  clock.advance(499);
  assert.equal((await relist.get())?.containers.get('c1'), 'CONTAINER_RUNNING', 'still fresh');
  assert.equal(state.lists, 1);
  clock.advance(1);
  assert.equal((await relist.get())?.containers.get('c1'), 'CONTAINER_EXITED');
  assert.equal(state.lists, 2);
});

test('Relist yields undefined when listing fails, and lists again next time', async () => {
  const clock = new FakeClock();
  const state = { running: true, fail: true, lists: 0 };
  const relist = new Relist(listingCri(state), clock, 500);
  assert.equal(await relist.get(), undefined);
  state.fail = false;
  clock.advance(500);
  assert.equal((await relist.get())?.containers.get('c1'), 'CONTAINER_RUNNING');
});
