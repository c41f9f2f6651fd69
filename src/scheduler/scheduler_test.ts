import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { arr, str } from '../api/object.js';
import { FakeClock } from '../lib/clock.js';
import { silentLogger } from '../lib/log.js';
import { R, type Client } from '../client/client.js';
import { SharedInformers } from '../client/shared_informers.js';
import { createEventRecorder } from '../client/events.js';
import { fakeApi } from '../client/testing/fake_api_test_helper.js';
import { makeNode, makePod, waitFor, type NodeOpts, type PodOpts } from './testing/fixtures_test_helper.js';
import type { ControllerStarter } from '../controllers/context.js';
import { Scheduler } from './scheduler.js';
import { startScheduler } from './index.js';

// startScheduler must be usable wherever the controller manager expects a ControllerStarter.
const _starter: ControllerStarter = startScheduler;

interface Harness {
  client: Client;
  clock: FakeClock;
  scheduler: Scheduler;
  addNode(name: string, o?: NodeOpts): Promise<void>;
  addPod(name: string, o?: PodOpts): Promise<void>;
  pod(name: string): Promise<KubeObject>;
  events(reason: string): Promise<KubeObject[]>;
  stop(): Promise<void>;
}

async function harness(): Promise<Harness> {
  const api = await fakeApi();
  const clock = new FakeClock();
  const ac = new AbortController();
  const informers = new SharedInformers(api.client, silentLogger);
  const recorder = createEventRecorder({ client: api.client, component: 'default-scheduler', clock, logger: silentLogger });
  const scheduler = new Scheduler({ client: api.client, informers, recorder, clock, logger: silentLogger });
  informers.start(ac.signal);
  const running = scheduler.run(ac.signal);
  const pods = api.client.resource(R.pods);
  return {
    client: api.client,
    clock,
    scheduler,
    addNode: async (name, o) => void (await api.client.resource(R.nodes).create('', makeNode(name, o))),
    addPod: async (name, o) => {
      const { uid: _uid, ...metadata } = makePod(name, o).metadata;
      void (await pods.create('default', { ...makePod(name, o), metadata }));
    },
    pod: (name) => pods.get('default', name),
    events: async (reason) => (await api.client.resource(R.events).list('default')).items.filter((e) => e.reason === reason),
    stop: async () => {
      ac.abort();
      await running;
      api.stop();
    },
  };
}


async function placement(h: Harness): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of (await h.client.resource(R.pods).list('default')).items) out[p.metadata.name ?? ''] = str(p, 'spec', 'nodeName') ?? '';
  return out;
}

async function allBound(h: Harness, n: number): Promise<Record<string, string>> {
  let p: Record<string, string> = {};
  await waitFor(async () => Object.values((p = await placement(h))).filter((x) => x).length === n, `${n} pods bound`);
  return p;
}

test('10 replicas spread over 3 equal nodes', async () => {
  const h = await harness();
  try {
    for (const n of ['n1', 'n2', 'n3']) await h.addNode(n);
    for (let i = 0; i < 10; i++) await h.addPod(`web-${i}`, { ownerUID: 'rs-web', cpu: '100m', memory: '64Mi' });
    const p = await allBound(h, 10);
    const perNode = ['n1', 'n2', 'n3'].map((n) => Object.values(p).filter((x) => x === n).length);
    assert.ok(perNode.every((c) => c >= 3 && c <= 4), JSON.stringify(perNode));
    await waitFor(async () => (await h.events('Scheduled')).length === 10, '10 Scheduled events');
    const ev = (await h.events('Scheduled')).find((e) => str(e, 'involvedObject', 'name') === 'web-0');
    assert.equal(ev?.message, `Successfully assigned default/web-0 to ${p['web-0']}`);
    const cond = arr(await h.pod('web-0'), 'status', 'conditions').find((c) => str(c, 'type') === 'PodScheduled');
    assert.equal(str(cond, 'status'), 'True');
  } finally {
    await h.stop();
  }
});

test('a tainted node is avoided and nodeSelector is honoured', async () => {
  const h = await harness();
  try {
    await h.addNode('tainted', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    await h.addNode('plain');
    await h.addNode('ssd', { labels: { disk: 'ssd' } });
    for (let i = 0; i < 4; i++) await h.addPod(`a-${i}`, { ownerUID: 'rs-a' });
    for (let i = 0; i < 3; i++) await h.addPod(`fast-${i}`, { nodeSelector: { disk: 'ssd' } });
    const p = await allBound(h, 7);
    assert.ok(!Object.values(p).includes('tainted'), JSON.stringify(p));
    for (let i = 0; i < 3; i++) assert.equal(p[`fast-${i}`], 'ssd');
  } finally {
    await h.stop();
  }
});

test('an unschedulable pod gets FailedScheduling and is scheduled once a node appears', async () => {
  const h = await harness();
  try {
    await h.addNode('gpu', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    await h.addPod('waiting');
    const want = '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
    await waitFor(async () => (await h.events('FailedScheduling')).some((e) => e.message === want), 'FailedScheduling event');
    await waitFor(async () => {
      const cond = arr(await h.pod('waiting'), 'status', 'conditions').find((c) => str(c, 'type') === 'PodScheduled');
      return str(cond, 'status') === 'False' && str(cond, 'reason') === 'Unschedulable' && str(cond, 'message') === want;
    }, 'PodScheduled=False condition');
    await h.addNode('worker');
    // The node event retries the pod once its 1 s backoff has passed.
    await waitFor(async () => {
      h.clock.advance(250);
      return (await placement(h)).waiting === 'worker';
    }, 'pod bound to the new node');
  } finally {
    await h.stop();
  }
});

test('resource fit is respected', async () => {
  const h = await harness();
  try {
    await h.addNode('small', { cpu: '2' });
    for (let i = 0; i < 3; i++) await h.addPod(`job-${i}`, { cpu: '1' });
    await allBound(h, 2);
    const want = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
    await waitFor(async () => (await h.events('FailedScheduling')).some((e) => e.message === want), 'Insufficient cpu event');
    assert.equal(Object.values(await placement(h)).filter((x) => x === '').length, 1);
    // Deleting a bound pod frees room: the waiting pod follows (after its backoff).
    const bound = Object.entries(await placement(h)).find(([, n]) => n)?.[0] ?? '';
    await h.client.resource(R.pods).delete('default', bound, { gracePeriodSeconds: 0 });
    await waitFor(async () => {
      h.clock.advance(250);
      return Object.values(await placement(h)).filter((x) => x === 'small').length === 2 && Object.keys(await placement(h)).length === 2;
    }, 'waiting pod scheduled after a delete');
  } finally {
    await h.stop();
  }
});

test('throughput (informational)', async (t) => {
  const h = await harness();
  try {
    for (let i = 0; i < 50; i++) await h.addNode(`node-${i}`, { cpu: '32', memory: '256Gi' });
    const pods = h.client.resource(R.pods);
    const start = performance.now();
    await Promise.all(Array.from({ length: 500 }, (_, i) => pods.create('default', { ...makePod(`load-${i}`, { ownerUID: 'rs-load', cpu: '10m' }), metadata: { name: `load-${i}`, namespace: 'default' } })));
    await waitFor(async () => h.scheduler.stats.scheduled === 500, '500 pods bound', 8000);
    t.diagnostic(`created and scheduled 500 pods over 50 nodes at ${Math.round(500 / ((performance.now() - start) / 1000))} pods/s`);
  } finally {
    await h.stop();
  }
});
