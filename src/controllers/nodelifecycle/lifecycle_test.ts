import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/client.js';
import type { KubeObject } from '../../api/types.js';
import { arr, field } from '../../api/object.js';
import { FakeClock } from '../../lib/clock.js';
import { startNodeLifecycleController } from './index.js';
import { startHarness, type Harness } from '../namespace/harness_test_helper.js';
import { FakeKubelet, settle } from './lifecycle_test_helper.js';

const condition = (obj: KubeObject, type: string): unknown => arr(obj, 'status', 'conditions').find((c) => field(c, 'type') === type);
const taintKeys = (node: KubeObject): string[] => arr(node, 'spec', 'taints').map((t) => `${String(field(t, 'key'))}:${String(field(t, 'effect'))}`).sort();

/** startOneNode starts the node lifecycle controller over node n1 (Ready, running pod web) on a fake clock, with n1's fake kubelet. */
async function startOneNode(): Promise<{ clock: FakeClock; h: Harness; kubelet: FakeKubelet; node: () => Promise<KubeObject> }> {
  const clock = new FakeClock();
  const h = await startHarness([startNodeLifecycleController], {
    clock,
    seed: async (c) => {
      const k = new FakeKubelet(c, clock, 'n1');
      await k.register();
      await k.runPod('web');
    },
  });
  const node = (): Promise<KubeObject> => h.client.resource(R.nodes).get('', 'n1');
  return { clock, h, kubelet: new FakeKubelet(h.client, clock, 'n1'), node };
}

test('a silent node goes Unknown with unreachable taints and not-ready pods; it recovers', async () => {
  const { clock, h, kubelet, node } = await startOneNode();
  try {
    await settle();
    clock.advance(20_000);
    await kubelet.renewLease();
    await settle();
    clock.advance(30_000); // 30 s after the renewal: still within the grace period
    await settle();
    assert.equal(field(condition(await node(), 'Ready'), 'status'), 'True');
    assert.deepEqual(taintKeys(await node()), []);

    clock.advance(15_000); // 45 s of silence
    await h.waitFor(async () => field(condition(await node(), 'Ready'), 'status') === 'Unknown', 'node Unknown');
    const n = await node();
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      assert.equal(field(condition(n, type), 'status'), 'Unknown', type);
      assert.equal(field(condition(n, type), 'reason'), 'NodeStatusUnknown');
      assert.equal(field(condition(n, type), 'message'), 'Kubelet stopped posting node status.');
    }
    await h.waitFor(async () => taintKeys(await node()).length === 2, 'unreachable taints');
    assert.deepEqual(taintKeys(await node()), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    const noExecute = arr(await node(), 'spec', 'taints').find((t) => field(t, 'effect') === 'NoExecute');
    assert.equal(field(noExecute, 'timeAdded'), new Date(clock.now()).toISOString().replace('.000Z', 'Z'));
    await h.waitFor(async () => field(condition(await h.client.resource(R.pods).get('default', 'web'), 'Ready'), 'status') === 'False', 'pod not ready');
    assert.ok(h.events.some((e) => e.reason === 'NodeNotReady' && e.obj.kind === 'Node'));

    await kubelet.renewLease();
    await kubelet.postStatus('True');
    await h.waitFor(async () => taintKeys(await node()).length === 0, 'taints removed');
  } finally {
    await h.stop();
  }
});

test('Ready=False, pressure and cordon taint the node', async () => {
  const { h, kubelet, node } = await startOneNode();
  try {
    await settle();
    await kubelet.postStatus('False');
    await h.waitFor(async () => taintKeys(await node()).length === 2, 'not-ready taints');
    assert.deepEqual(taintKeys(await node()), ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
    await h.waitFor(async () => field(condition(await h.client.resource(R.pods).get('default', 'web'), 'Ready'), 'status') === 'False', 'pod not ready');

    await kubelet.postStatus('True');
    await h.client.resource(R.nodes).patch('', 'n1', 'merge', { spec: { unschedulable: true, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } });
    await h.waitFor(async () => taintKeys(await node()).join() === 'dedicated:NoSchedule,node.kubernetes.io/unschedulable:NoSchedule', 'cordon taint');
    await h.client.resource(R.nodes).patch('', 'n1', 'merge', { spec: { unschedulable: null } });
    await h.waitFor(async () => taintKeys(await node()).join() === 'dedicated:NoSchedule', 'uncordon keeps user taints');
  } finally {
    await h.stop();
  }
});
