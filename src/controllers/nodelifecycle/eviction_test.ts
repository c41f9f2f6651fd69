import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/client.js';
import { FakeClock } from '../../lib/clock.js';
import { startTaintEvictionController } from './index.js';
import { startHarness, type Harness } from '../namespace/harness_test_helper.js';
import { FakeKubelet, settle } from './lifecycle_test_helper.js';
import { rfc3339 } from './conditions.js';

const unreachable = (seconds?: number): Record<string, unknown> => ({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', ...(seconds === undefined ? {} : { tolerationSeconds: seconds }) });

/** startOnUnreachableNode starts the taint eviction controller over node n1, tainted unreachable:NoExecute now, after runPods put pods on it. */
function startOnUnreachableNode(clock: FakeClock, runPods: (k: FakeKubelet) => Promise<void>): Promise<Harness> {
  return startHarness([startTaintEvictionController], {
    clock,
    seed: async (c) => {
      const k = new FakeKubelet(c, clock, 'n1');
      await k.register({ taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: rfc3339(clock.now()) }] });
      await runPods(k);
    },
  });
}

test('NoExecute taints evict untolerating pods at once and tolerating ones after tolerationSeconds', async () => {
  const clock = new FakeClock();
  const h = await startOnUnreachableNode(clock, async (k) => {
    await k.runPod('plain');
    await k.runPod('for300', [unreachable(300)]);
    await k.runPod('forever', [unreachable()]);
    await k.runPod('other-taint', [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }]);
  });
  const terminating = async (name: string): Promise<boolean> => !!(await h.client.resource(R.pods).get('default', name)).metadata.deletionTimestamp;
  try {
    await h.waitFor(() => terminating('plain'), 'untolerating pod deleted');
    await h.waitFor(() => terminating('other-taint'), 'pod tolerating another taint deleted');
    assert.ok(h.events.some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/plain'));
    clock.advance(299_000);
    await settle();
    assert.equal(await terminating('for300'), false, 'not before tolerationSeconds');
    clock.advance(1_000);
    await h.waitFor(() => terminating('for300'), 'evicted after tolerationSeconds');
    clock.advance(3_600_000);
    await settle();
    assert.equal(await terminating('forever'), false);
  } finally {
    await h.stop();
  }
});

test('a taint that goes away cancels the pending eviction', async () => {
  const clock = new FakeClock();
  const h = await startOnUnreachableNode(clock, async (k) => {
    await k.runPod('web', [unreachable(100)]);
  });
  try {
    await settle();
    clock.advance(50_000);
    await h.client.resource(R.nodes).patch('', 'n1', 'merge', { spec: { taints: null } });
    await h.waitFor(() => h.events.some((e) => e.message === 'Cancelling deletion of Pod default/web'), 'cancel event');
    clock.advance(100_000);
    await settle();
    assert.equal((await h.client.resource(R.pods).get('default', 'web')).metadata.deletionTimestamp, undefined);
  } finally {
    await h.stop();
  }
});
