import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arr, num, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { listObjects, setPodStatus, startHarness, type Harness } from '../job/harness_test_helper.js';
import { startDaemonSetController } from './index.js';
import { targetNodeOf } from './pods.js';

function daemonSet(name: string, spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}, image = 'agent:1'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }], ...podSpec } }, ...spec },
  };
}

async function addNode(h: Harness, name: string, labels: Record<string, string> = {}, taints: unknown[] = []): Promise<void> {
  await h.client.resource(R.nodes).create('', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { taints } });
}

async function podNodes(h: Harness, ds: string): Promise<string[]> {
  const pods = (await listObjects(h.client, R.pods)).filter((p) => p.metadata.labels?.app === ds && !p.metadata.deletionTimestamp);
  return pods.map((p) => targetNodeOf(p) ?? '?').sort();
}

async function waitNodes(h: Harness, ds: string, nodes: string[]): Promise<void> {
  await h.waitFor(async () => (await podNodes(h, ds)).join() === nodes.join(), `${ds} pods on ${nodes.join()}`);
}

async function getDs(h: Harness, name: string): Promise<KubeObject> {
  return h.client.resource(R.daemonsets).get('default', name);
}

test('one pod per eligible node, following node and label changes', async () => {
  const h = await startHarness(startDaemonSetController);
  try {
    await addNode(h, 'a', { disk: 'ssd' });
    await addNode(h, 'b', { disk: 'hdd' });
    await addNode(h, 'c', { disk: 'ssd' }, [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
    await h.client.resource(R.daemonsets).create('default', daemonSet('logs', {}, { nodeSelector: { disk: 'ssd' } }));
    await waitNodes(h, 'logs', ['a']);
    const [pod] = (await listObjects(h.client, R.pods)).filter((p) => p.metadata.labels?.app === 'logs');
    assert.equal(str(pod, 'spec', 'nodeName'), undefined, 'the scheduler binds, not the controller');
    assert.ok(arr(pod, 'spec', 'tolerations').some((t) => str(t, 'key') === 'node.kubernetes.io/unreachable' && str(t, 'effect') === 'NoExecute'));
    assert.ok(pod!.metadata.labels?.['controller-revision-hash']);
    await h.waitFor(async () => num(await getDs(h, 'logs'), 'status', 'desiredNumberScheduled') === 1, 'desired=1');
    await addNode(h, 'd', { disk: 'ssd' });
    await waitNodes(h, 'logs', ['a', 'd']);
    await h.client.resource(R.nodes).patch('', 'b', 'merge', { metadata: { labels: { disk: 'ssd' } } });
    await waitNodes(h, 'logs', ['a', 'b', 'd']);
    await h.client.resource(R.nodes).patch('', 'a', 'merge', { metadata: { labels: { disk: 'hdd' } } });
    await waitNodes(h, 'logs', ['b', 'd']);
    await h.client.resource(R.nodes).delete('', 'd');
    await waitNodes(h, 'logs', ['b']);
    const events = (await listObjects(h.client, R.events)).map((e) => e.reason);
    assert.ok(events.includes('SuccessfulCreate') && events.includes('SuccessfulDelete'));
  } finally {
    await h.stop();
  }
});

test('status counts ready and available pods', async () => {
  const h = await startHarness(startDaemonSetController);
  try {
    await addNode(h, 'a');
    await addNode(h, 'b');
    await h.client.resource(R.daemonsets).create('default', daemonSet('mon'));
    await waitNodes(h, 'mon', ['a', 'b']);
    for (const p of (await listObjects(h.client, R.pods)).filter((x) => x.metadata.labels?.app === 'mon')) await setPodStatus(h.client, p, 'Running', true, h.clock.now());
    await h.waitFor(async () => num(await getDs(h, 'mon'), 'status', 'numberAvailable') === 2, 'numberAvailable=2');
    const s = (await getDs(h, 'mon')).status;
    assert.equal(num(s, 'currentNumberScheduled'), 2);
    assert.equal(num(s, 'numberReady'), 2);
    assert.equal(num(s, 'updatedNumberScheduled'), 2);
    assert.equal(num(s, 'numberMisscheduled'), 0);
    assert.equal(num(s, 'observedGeneration'), 1);
  } finally {
    await h.stop();
  }
});

test('RollingUpdate replaces old pods one node at a time (maxUnavailable 1)', async () => {
  const h = await startHarness(startDaemonSetController);
  try {
    for (const n of ['a', 'b', 'c']) await addNode(h, n);
    await h.client.resource(R.daemonsets).create('default', daemonSet('net'));
    await waitNodes(h, 'net', ['a', 'b', 'c']);
    const readyAll = async (): Promise<KubeObject[]> => {
      const pods = (await listObjects(h.client, R.pods)).filter((p) => p.metadata.labels?.app === 'net' && !p.metadata.deletionTimestamp);
      for (const p of pods) if (str(p, 'status', 'phase') !== 'Running') await setPodStatus(h.client, p, 'Running', true, h.clock.now());
      return pods;
    };
    await readyAll();
    await h.waitFor(async () => num(await getDs(h, 'net'), 'status', 'numberAvailable') === 3, 'all available');
    const oldHash = (await readyAll())[0]!.metadata.labels?.['controller-revision-hash'];
    await h.client.resource(R.daemonsets).patch('default', 'net', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:2' }] } } } });
    let maxMissing = 0;
    await h.waitFor(async () => {
      const pods = await readyAll();
      maxMissing = Math.max(maxMissing, 3 - pods.filter((p) => str(p, 'status', 'phase') === 'Running').length);
      return pods.length === 3 && pods.every((p) => p.metadata.labels?.['controller-revision-hash'] !== oldHash);
    }, 'all pods updated');
    assert.ok(maxMissing <= 1, `at most one node without an available pod (saw ${maxMissing})`);
    await h.waitFor(async () => num(await getDs(h, 'net'), 'status', 'updatedNumberScheduled') === 3, 'updatedNumberScheduled=3');
  } finally {
    await h.stop();
  }
});

test('OnDelete leaves old pods until they are deleted', async () => {
  const h = await startHarness(startDaemonSetController);
  try {
    await addNode(h, 'a');
    await h.client.resource(R.daemonsets).create('default', daemonSet('od', { updateStrategy: { type: 'OnDelete' } }));
    await waitNodes(h, 'od', ['a']);
    const [old] = (await listObjects(h.client, R.pods)).filter((p) => p.metadata.labels?.app === 'od');
    await h.client.resource(R.daemonsets).patch('default', 'od', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:2' }] } } } });
    await h.waitFor(async () => num(await getDs(h, 'od'), 'status', 'observedGeneration') === 2, 'generation 2 seen');
    await h.flush();
    const still = (await listObjects(h.client, R.pods)).filter((p) => p.metadata.labels?.app === 'od');
    assert.deepEqual(still.map((p) => p.metadata.name), [old!.metadata.name]);
    await h.client.resource(R.pods).delete('default', old!.metadata.name ?? '');
    await h.waitFor(async () => {
      const pods = (await listObjects(h.client, R.pods)).filter((p) => p.metadata.labels?.app === 'od');
      return pods.length === 1 && pods[0]!.metadata.name !== old!.metadata.name;
    }, 'replacement pod');
  } finally {
    await h.stop();
  }
});
