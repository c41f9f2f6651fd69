import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { num } from '../../api/object.js';
import { R } from '../../client/client.js';
import { fakeApi } from '../../client/testing/fake_api_test_helper.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import { NAMESPACE_INDEX, REPLICA_SET, type Lister, type ReplicaSetDeps } from './deps.js';
import { Expectations, EXPECTATIONS_TIMEOUT_MS } from '../../client/expectations.js';
import { eventsFor, HARNESS_START, replicaSet, setPodStatus, startHarness } from './harness_test_helper.js';
import { startReplicaSetController, syncReplicaSet } from './index.js';

/** staticLister is a cache that never catches up: the worst case for a burst of syncs. */
function staticLister(objs: KubeObject[]): Lister {
  return {
    get: (key) => objs.find((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}` === key),
    byIndex: (name, value) => (name === NAMESPACE_INDEX ? objs.filter((o) => o.metadata.namespace === value) : []),
  };
}

test('syncReplicaSet: a burst of syncs before the cache catches up creates exactly N pods', async () => {
  const clock = new FakeClock(HARNESS_START);
  const api = await fakeApi({ clock });
  try {
    const rs = await api.client.resource(R.replicasets).create('default', replicaSet('burst', 3));
    const deps: ReplicaSetDeps = {
      owner: REPLICA_SET,
      podLister: staticLister([]),
      rsLister: staticLister([rs]),
      pods: api.client.resource(R.pods),
      replicaSets: api.client.resource(R.replicasets),
      recorder: { event: () => undefined },
      clock,
      logger: silentLogger,
      expectations: new Expectations(clock),
      burstReplicas: 500,
      enqueueAfter: () => undefined,
    };
    for (let i = 0; i < 20; i++) await syncReplicaSet(deps, 'default/burst');
    assert.equal((await api.client.resource(R.pods).list('default')).items.length, 3);
    // Expectations time out: a cache that never shows the pods eventually lets the RS act again.
    clock.advance(EXPECTATIONS_TIMEOUT_MS + 1);
    await syncReplicaSet(deps, 'default/burst');
    assert.equal((await api.client.resource(R.pods).list('default')).items.length, 6);
  } finally {
    api.stop();
  }
});

test('ReplicaSet controller: creates pods from the template with owner references and events', async () => {
  const h = await startHarness([startReplicaSetController]);
  try {
    await h.client.resource(R.replicasets).create('default', replicaSet('web', 3));
    // An event burst: many updates of the RS while its pods are being created.
    for (let i = 0; i < 10; i++) await h.client.resource(R.replicasets).patch('default', 'web', 'merge', { metadata: { annotations: { n: String(i) } } });
    await h.waitFor(async () => (await h.list(R.pods)).length === 3, '3 pods');
    await h.settle();
    const pods = await h.list(R.pods);
    assert.equal(pods.length, 3);
    const rs = await h.client.resource(R.replicasets).get('default', 'web');
    for (const p of pods) {
      assert.match(p.metadata.name ?? '', /^web-[a-z0-9]{5}$/);
      assert.equal(p.metadata.generateName, 'web-');
      assert.deepEqual(p.metadata.labels, { app: 'web' });
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    await h.waitFor(async () => (await eventsFor(h.client, 'web')).length === 3, 'events');
    const events = await eventsFor(h.client, 'web');
    assert.ok(events.every((e) => e.reason === 'SuccessfulCreate' && /^Created pod: web-/.test(e.message)));
    await h.waitFor(async () => num(await h.client.resource(R.replicasets).get('default', 'web'), 'status', 'replicas') === 3, 'status.replicas');
  } finally {
    await h.stop();
  }
});

test('ReplicaSet controller: scale down deletes the least useful pods; status counts ready/available', async () => {
  const h = await startHarness([startReplicaSetController]);
  try {
    await h.client.resource(R.replicasets).create('default', replicaSet('api', 3, { minReadySeconds: 10 }));
    await h.waitFor(async () => (await h.list(R.pods)).length === 3, '3 pods');
    const [p0, p1] = await h.list(R.pods);
    await setPodStatus(h.client, p0!, 'Running', true, h.clock.now());
    await setPodStatus(h.client, p1!, 'Running', false, h.clock.now());
    const rsStatus = async (): Promise<string> => {
      const rs = await h.client.resource(R.replicasets).get('default', 'api');
      return ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'].map((k) => num(rs, 'status', k) ?? 0).join('/');
    };
    await h.waitFor(async () => (await rsStatus()) === '3/3/1/0', 'ready 1, available 0', 0);
    // minReadySeconds later the ready pod is available, with no pod event to trigger a sync.
    await h.waitFor(async () => (await rsStatus()) === '3/3/1/1', 'available after minReadySeconds', 1000);
    await h.client.resource(R.replicasets).patch('default', 'api', 'merge', { spec: { replicas: 1 } });
    await h.waitFor(async () => (await h.list(R.pods)).length === 1, 'scaled to 1');
    assert.equal((await h.list(R.pods))[0]?.metadata.name, p0!.metadata.name);
    await h.waitFor(async () => (await eventsFor(h.client, 'api')).filter((e) => e.reason === 'SuccessfulDelete').length === 2, 'delete events');
    assert.ok((await eventsFor(h.client, 'api')).some((e) => e.message === `Deleted pod: ${p1!.metadata.name ?? ''}`));
  } finally {
    await h.stop();
  }
});

test('ReplicaSet controller: adopts matching orphans, releases non-matching pods, replaces terminal pods', async () => {
  const h = await startHarness([startReplicaSetController]);
  try {
    const orphan: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace: 'default', labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    await h.client.resource(R.pods).create('default', orphan);
    const rs = await h.client.resource(R.replicasets).create('default', replicaSet('db', 2));
    await h.waitFor(async () => (await h.list(R.pods)).length === 2, '2 pods');
    await h.settle();
    const adopted = await h.client.resource(R.pods).get('default', 'orphan');
    assert.equal(adopted.metadata.ownerReferences?.[0]?.uid, rs.metadata.uid);
    assert.equal((await h.list(R.pods)).length, 2);
    // Relabel: the pod is released and replaced.
    await h.client.resource(R.pods).patch('default', 'orphan', 'merge', { metadata: { labels: { app: 'other' } } });
    await h.waitFor(async () => (await h.list(R.pods)).length === 3, 'replacement');
    await h.waitFor(async () => ((await h.client.resource(R.pods).get('default', 'orphan')).metadata.ownerReferences ?? []).length === 0, 'release');
    // A failed pod no longer counts as a replica.
    const mine = (await h.list(R.pods)).filter((p) => p.metadata.labels?.app === 'db');
    await setPodStatus(h.client, mine[0]!, 'Failed', false, h.clock.now());
    await h.waitFor(async () => (await h.list(R.pods)).filter((p) => p.metadata.labels?.app === 'db').length === 3, 'replacement of failed pod');
    await h.waitFor(async () => num(await h.client.resource(R.replicasets).get('default', 'db'), 'status', 'replicas') === 2, 'status ignores failed pod');
  } finally {
    await h.stop();
  }
});
