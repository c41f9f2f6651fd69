// The VolumeBinding plugin inside a running Scheduler, against an in-memory API server; the PV
// binder's part (completing the claim side) is played by the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import { arr, str } from '../../../api/object.js';
import { FakeClock } from '../../../lib/clock.js';
import { silentLogger } from '../../../lib/log.js';
import { R, type Client } from '../../../client/client.js';
import { SharedInformers } from '../../../client/shared_informers.js';
import { createEventRecorder } from '../../../client/events.js';
import { fakeApi } from '../../../client/testing/fake_api_test_helper.js';
import { makeNode, waitFor } from '../../testing/fixtures_test_helper.js';
import { Scheduler } from '../../scheduler.js';
import { makeClass, makePV, makePVC, podWithClaims } from './fixtures_test_helper.js';
import { PERSISTENT_VOLUMES, PERSISTENT_VOLUME_CLAIMS, STORAGE_CLASSES } from './index.js';

interface Harness {
  client: Client;
  clock: FakeClock;
  create(obj: KubeObject): Promise<KubeObject>;
  nodeOf(pod: string): Promise<string>;
  messages(reason: string): Promise<string[]>;
  stop(): Promise<void>;
}

const gvrOf = (o: KubeObject): typeof R.pods => (o.kind === 'PersistentVolume' ? PERSISTENT_VOLUMES : o.kind === 'PersistentVolumeClaim' ? PERSISTENT_VOLUME_CLAIMS : o.kind === 'StorageClass' ? STORAGE_CLASSES : o.kind === 'Node' ? R.nodes : R.pods);

async function harness(): Promise<Harness> {
  const api = await fakeApi();
  const clock = new FakeClock();
  const ac = new AbortController();
  const informers = new SharedInformers(api.client, silentLogger);
  const recorder = createEventRecorder({ client: api.client, component: 'default-scheduler', clock, logger: silentLogger });
  const scheduler = new Scheduler({ client: api.client, informers, recorder, clock, logger: silentLogger });
  informers.start(ac.signal);
  const running = scheduler.run(ac.signal);
  return {
    client: api.client,
    clock,
    create: async (o) => {
      const { uid: _u, resourceVersion: _rv, ...metadata } = o.metadata;
      const res = api.client.resource(gvrOf(o));
      const made = await res.create(o.metadata.namespace ?? '', { ...o, metadata });
      // The PV binder (not running here) would mark a new volume Available.
      return o.kind === 'PersistentVolume' ? res.updateStatus({ ...made, status: o.status ?? {} }) : made;
    },
    nodeOf: async (pod) => str(await api.client.resource(R.pods).get('default', pod), 'spec', 'nodeName') ?? '',
    messages: async (reason) => (await api.client.resource(R.events).list('default')).items.filter((e) => e.reason === reason).map((e) => str(e, 'message') ?? ''),
    stop: async () => {
      ac.abort();
      await running;
      api.stop();
    },
  };
}


/** completeBinding does the PV binder's claim side for a claim whose volume names it. */
async function completeBinding(h: Harness, claimName: string, pvName: string): Promise<void> {
  const pvcs = h.client.resource(PERSISTENT_VOLUME_CLAIMS);
  const claim = await pvcs.get('default', claimName);
  const annotations = { ...(claim.metadata.annotations ?? {}), 'pv.kubernetes.io/bind-completed': 'yes' };
  await pvcs.update({ ...claim, metadata: { ...claim.metadata, annotations }, spec: { ...(claim.spec ?? {}), volumeName: pvName } });
}

test('an unbound Immediate claim keeps the pod Pending with upstream FailedScheduling wording', async () => {
  const h = await harness();
  try {
    for (const n of ['a', 'b']) await h.create(makeNode(n));
    await h.create(makePVC('data'));
    await h.create(podWithClaims('p', ['data']));
    const want = '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.';
    await waitFor(async () => (await h.messages('FailedScheduling')).includes(want), 'FailedScheduling');
    const pod = await h.client.resource(R.pods).get('default', 'p');
    const cond = arr(pod, 'status', 'conditions').find((c) => str(c, 'type') === 'PodScheduled');
    assert.equal(str(cond, 'reason'), 'Unschedulable');
    // The claim binds: the claim event retries the pod (after its backoff).
    await h.create(makePV('pv1', { claimRef: { namespace: 'default', name: 'data' } }));
    await completeBinding(h, 'data', 'pv1');
    await waitFor(async () => {
      h.clock.advance(500);
      return (await h.nodeOf('p')) !== '';
    }, 'pod bound');
  } finally {
    await h.stop();
  }
});

test('a WaitForFirstConsumer claim binds the volume of the chosen node before the pod binds', async () => {
  const h = await harness();
  try {
    for (const n of ['a', 'b']) await h.create(makeNode(n));
    await h.create(makeClass('local', 'WaitForFirstConsumer'));
    await h.create(makePV('pv-a', { className: 'local', node: 'a' }));
    await h.create(makePV('pv-b', { className: 'local', node: 'b' }));
    await h.create(makePVC('data', { className: 'local' }));
    await h.create(podWithClaims('p', ['data'], { nodeSelector: { 'kubernetes.io/hostname': 'b' } }));
    const pvs = h.client.resource(PERSISTENT_VOLUMES);
    await waitFor(async () => str(await pvs.get('', 'pv-b'), 'spec', 'claimRef', 'name') === 'data', 'pv-b claimRef');
    const pv = await pvs.get('', 'pv-b');
    assert.equal(pv.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.equal(str(await pvs.get('', 'pv-a'), 'spec', 'claimRef', 'name'), undefined);
    // Not bound before the claim is.
    assert.equal(await h.nodeOf('p'), '');
    await completeBinding(h, 'data', 'pv-b');
    await waitFor(async () => (await h.nodeOf('p')) === 'b', 'pod bound to b');
  } finally {
    await h.stop();
  }
});

test('two pods never share one static volume; the second waits for another', async () => {
  const h = await harness();
  try {
    await h.create(makeNode('a'));
    await h.create(makeClass('local', 'WaitForFirstConsumer'));
    await h.create(makePV('pv-a', { className: 'local', node: 'a' }));
    for (const c of ['one', 'two']) await h.create(makePVC(c, { className: 'local' }));
    await h.create(podWithClaims('p1', ['one']));
    await h.create(podWithClaims('p2', ['two']));
    const pvs = h.client.resource(PERSISTENT_VOLUMES);
    await waitFor(async () => !!str(await pvs.get('', 'pv-a'), 'spec', 'claimRef', 'name'), 'pv-a claimed');
    const winner = str(await pvs.get('', 'pv-a'), 'spec', 'claimRef', 'name') ?? '';
    const want = "0/1 nodes are available: 1 node(s) didn't find available persistent volumes to bind. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
    await waitFor(async () => (await h.messages('FailedScheduling')).includes(want), 'the other pod is unschedulable');
    assert.equal(str(await pvs.get('', 'pv-a'), 'spec', 'claimRef', 'name'), winner);
  } finally {
    await h.stop();
  }
});

test('a claim that never binds fails PreBind after 600 s and the pod is retried', async () => {
  const h = await harness();
  try {
    await h.create(makeNode('a'));
    await h.create(makeClass('lp', 'WaitForFirstConsumer', 'skiff.io/local-path'));
    await h.create(makePVC('data', { className: 'lp' }));
    await h.create(podWithClaims('p', ['data']));
    const pvcs = h.client.resource(PERSISTENT_VOLUME_CLAIMS);
    await waitFor(async () => (await pvcs.get('default', 'data')).metadata.annotations?.['volume.kubernetes.io/selected-node'] === 'a', 'selected-node');
    // Other pods keep being scheduled meanwhile.
    await h.create(podWithClaims('plain', []));
    await waitFor(async () => (await h.nodeOf('plain')) === 'a', 'plain pod bound');
    h.clock.advance(600_000);
    const want = 'running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded';
    await waitFor(async () => (await h.messages('FailedScheduling')).includes(want), 'PreBind timeout');
    const cond = arr(await h.client.resource(R.pods).get('default', 'p'), 'status', 'conditions').find((c) => str(c, 'type') === 'PodScheduled');
    assert.equal(str(cond, 'reason'), 'SchedulerError');
    // A provisioned volume appears; the retry (after backoff) binds the pod.
    await h.create(makePV('pvc-data', { className: 'lp', node: 'a', claimRef: { namespace: 'default', name: 'data' } }));
    await completeBinding(h, 'data', 'pvc-data');
    await waitFor(async () => {
      h.clock.advance(500);
      return (await h.nodeOf('p')) === 'a';
    }, 'pod bound after retry');
  } finally {
    await h.stop();
  }
});
