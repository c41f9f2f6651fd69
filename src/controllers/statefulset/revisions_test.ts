import { test } from 'node:test';
import assert from 'node:assert/strict';
import { num, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { listObjects, setPodStatus, startHarness, type Harness } from '../job/harness_test_helper.js';
import { startStatefulSetController } from './index.js';
import { HASH_LABEL, templateHash, templateOf } from './revisions.js';

function sts(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default', annotations: { note: 'v1' } },
    spec: {
      serviceName: name,
      replicas: 3,
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
      ...spec,
    },
  };
}

async function revisions(h: Harness): Promise<KubeObject[]> {
  return (await listObjects(h.client, R.controllerrevisions)).sort((a, b) => (num(a, 'revision') ?? 0) - (num(b, 'revision') ?? 0));
}

const imageOf = (rev: KubeObject): string | undefined => str((templateOf(rev)?.spec as { containers?: unknown[] } | undefined)?.containers?.[0], 'image');

async function readyLive(h: Harness): Promise<KubeObject[]> {
  const pods = (await listObjects(h.client, R.pods)).filter((p) => !p.metadata.deletionTimestamp);
  // A pod may be deleted between the list and the status write.
  for (const p of pods) if (str(p, 'status', 'phase') !== 'Running') await setPodStatus(h.client, p, 'Running', true, h.clock.now()).catch(() => undefined);
  return pods;
}

test('revisions: hash label, annotations, a rollback renumbers the old revision', async () => {
  const h = await startHarness(startStatefulSetController);
  try {
    await h.client.resource(R.statefulsets).create('default', sts('web', {}));
    await h.waitFor(async () => (await revisions(h)).length === 1, 'first revision');
    const [first] = await revisions(h);
    const set = await h.client.resource(R.statefulsets).get('default', 'web');
    const hash = templateHash((set.spec as { template?: unknown }).template);
    assert.equal(first!.metadata.name, `web-${hash}`);
    assert.equal(first!.metadata.labels?.[HASH_LABEL], hash);
    assert.equal(first!.metadata.annotations?.note, 'v1');
    await h.client.resource(R.statefulsets).patch('default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    await h.waitFor(async () => (await revisions(h)).map(imageOf).join() === 'nginx:1,nginx:2', 'second revision');
    await h.client.resource(R.statefulsets).patch('default', 'web', 'strategic', first!.data as Record<string, unknown>);
    await h.waitFor(async () => (await revisions(h)).map((r) => `${imageOf(r)}@${num(r, 'revision')}`).join() === 'nginx:2@2,nginx:1@3', 'nginx:1 renumbered');
    await h.waitFor(async () => str(await h.client.resource(R.statefulsets).get('default', 'web'), 'status', 'updateRevision') === first!.metadata.name, 'updateRevision is the old revision');
  } finally {
    await h.stop();
  }
});

test('maxUnavailable 2 replaces two pods at a time', async () => {
  const h = await startHarness(startStatefulSetController);
  try {
    await h.client.resource(R.statefulsets).create('default', sts('app', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } } }));
    await h.waitFor(async () => (await readyLive(h)).length === 3, 'three pods');
    await h.waitFor(async () => num(await h.client.resource(R.statefulsets).get('default', 'app'), 'status', 'readyReplicas') === 3, 'ready');
    await h.client.resource(R.statefulsets).patch('default', 'app', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    let update: string | undefined;
    await h.waitFor(async () => {
      const set = await h.client.resource(R.statefulsets).get('default', 'app');
      update = str(set, 'status', 'updateRevision');
      return update !== str(set, 'status', 'currentRevision');
    }, 'a new update revision');
    const revs = async (): Promise<string> => (await listObjects(h.client, R.pods)).map((p) => (p.metadata.labels?.['controller-revision-hash'] === update ? 'new' : 'old')).join();
    await h.waitFor(async () => (await revs()) === 'old,new,new', 'app-1 and app-2 replaced together');
    await h.flush();
    assert.equal(await revs(), 'old,new,new', 'app-0 waits while two pods are unavailable');
    await h.waitFor(async () => {
      const pods = await readyLive(h);
      return pods.length === 3 && pods.every((p) => p.metadata.labels?.['controller-revision-hash'] === update);
    }, 'all pods updated');
  } finally {
    await h.stop();
  }
});

test('whenDeleted=Delete set after creation gives the claims an owner reference to the set', async () => {
  const h = await startHarness(startStatefulSetController);
  try {
    const claim = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
    await h.client.resource(R.statefulsets).create('default', sts('db', { replicas: 2, volumeClaimTemplates: [claim] }));
    await h.waitFor(async () => (await listObjects(h.client, R.persistentvolumeclaims)).length === 2, 'two claims');
    const set = await h.client.resource(R.statefulsets).get('default', 'db');
    assert.ok((await listObjects(h.client, R.persistentvolumeclaims)).every((c) => !c.metadata.ownerReferences?.length), 'Retain: no owner');
    await h.client.resource(R.statefulsets).patch('default', 'db', 'merge', { spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } } });
    await h.waitFor(async () => (await listObjects(h.client, R.persistentvolumeclaims)).every((c) => c.metadata.ownerReferences?.some((r) => r.uid === set.metadata.uid && r.kind === 'StatefulSet')), 'claims owned by the set');
    await h.client.resource(R.statefulsets).patch('default', 'db', 'merge', { spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain' } } });
    await h.waitFor(async () => (await listObjects(h.client, R.persistentvolumeclaims)).every((c) => !c.metadata.ownerReferences?.length), 'owner removed again');
  } finally {
    await h.stop();
  }
});
