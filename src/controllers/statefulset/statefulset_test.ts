import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arr, num, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { listObjects, setPodStatus, startHarness, type Harness } from '../job/harness_test_helper.js';
import { startStatefulSetController } from './index.js';

function sts(name: string, spec: Record<string, unknown>, image = 'nginx:1'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      serviceName: name,
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      ...spec,
    },
  };
}

async function podsOf(h: Harness, set: string): Promise<KubeObject[]> {
  return (await listObjects(h.client, R.pods)).filter((p) => p.metadata.labels?.app === set);
}

async function waitPods(h: Harness, set: string, names: string[]): Promise<KubeObject[]> {
  let found: KubeObject[] = [];
  await h.waitFor(async () => (found = await podsOf(h, set)).map((p) => p.metadata.name).join() === names.join(), `pods ${names.join()}`);
  return found;
}

async function readyAll(h: Harness, pods: KubeObject[]): Promise<void> {
  for (const p of pods) if (str(p, 'status', 'phase') !== 'Running') await setPodStatus(h.client, p, 'Running', true, h.clock.now());
}

async function getSet(h: Harness, name: string): Promise<KubeObject> {
  return h.client.resource(R.statefulsets).get('default', name);
}

test('OrderedReady creates pods one at a time with identity and claims', async () => {
  const h = await startHarness(startStatefulSetController);
  try {
    const claim = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
    await h.client.resource(R.statefulsets).create('default', sts('web', { volumeClaimTemplates: [claim] }));
    const [web0] = await waitPods(h, 'web', ['web-0']);
    assert.equal(web0!.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.equal(web0!.metadata.labels?.['apps.kubernetes.io/pod-index'], '0');
    assert.equal(str(web0, 'spec', 'hostname'), 'web-0');
    assert.equal(str(web0, 'spec', 'subdomain'), 'web');
    const vol = arr(web0, 'spec', 'volumes').find((v) => str(v, 'name') === 'data');
    assert.equal(str(vol, 'persistentVolumeClaim', 'claimName'), 'data-web-0');
    await h.flush();
    assert.equal((await podsOf(h, 'web')).length, 1, 'web-1 waits for web-0 to be ready');
    await readyAll(h, [web0!]);
    await readyAll(h, (await waitPods(h, 'web', ['web-0', 'web-1'])));
    await readyAll(h, (await waitPods(h, 'web', ['web-0', 'web-1', 'web-2'])));
    await h.waitFor(async () => num(await getSet(h, 'web'), 'status', 'readyReplicas') === 3, 'readyReplicas=3');
    const set = await getSet(h, 'web');
    assert.equal(str(set, 'status', 'currentRevision'), str(set, 'status', 'updateRevision'));
    assert.equal(num(set, 'status', 'updatedReplicas'), 3);
    assert.equal(num(set, 'status', 'availableReplicas'), 3);
    assert.equal((web0!.metadata.labels ?? {})['controller-revision-hash'], str(set, 'status', 'updateRevision'));
    const pvcs = (await listObjects(h.client, R.persistentvolumeclaims)).map((c) => c.metadata.name);
    assert.deepEqual(pvcs, ['data-web-0', 'data-web-1', 'data-web-2']);
    assert.equal((await listObjects(h.client, R.controllerrevisions)).length, 1);
  } finally {
    await h.stop();
  }
});

test('scale down removes the highest ordinal first; whenScaled=Delete removes its claim', async () => {
  const h = await startHarness(startStatefulSetController);
  try {
    const claim = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
    await h.client.resource(R.statefulsets).create('default', sts('db', { podManagementPolicy: 'Parallel', volumeClaimTemplates: [claim], persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete', whenDeleted: 'Retain' } }));
    await readyAll(h, await waitPods(h, 'db', ['db-0', 'db-1', 'db-2']));
    await h.client.resource(R.statefulsets).patch('default', 'db', 'merge', { spec: { replicas: 1 } });
    await waitPods(h, 'db', ['db-0']);
    await h.waitFor(async () => (await listObjects(h.client, R.persistentvolumeclaims)).length === 1, 'claims of db-1, db-2 deleted');
  } finally {
    await h.stop();
  }
});

test('Parallel scale down deletes every condemned pod at once', async () => {
  const h = await startHarness(startStatefulSetController);
  try {
    await h.client.resource(R.nodes).create('', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    await h.client.resource(R.statefulsets).create('default', sts('seq', { podManagementPolicy: 'Parallel' }));
    const pods = await waitPods(h, 'seq', ['seq-0', 'seq-1', 'seq-2']);
    // Bound pods are deleted gracefully (they linger with a deletionTimestamp), as on a real node.
    for (const p of pods) await h.client.resource(R.pods).createSubresource('default', p.metadata.name ?? '', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: p.metadata.name }, target: { kind: 'Node', name: 'n1' } });
    await readyAll(h, pods);
    await h.client.resource(R.statefulsets).patch('default', 'seq', 'merge', { spec: { replicas: 1 } });
    const marked = async (): Promise<string[]> => (await podsOf(h, 'seq')).filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name ?? '');
    await h.waitFor(async () => (await marked()).length > 0, 'a pod marked for deletion');
    assert.deepEqual(await marked(), ['seq-1', 'seq-2']);
  } finally {
    await h.stop();
  }
});

test('OrderedReady waits for a terminating condemned pod before the next', async () => {
  const h = await startHarness(startStatefulSetController);
  try {
    await h.client.resource(R.nodes).create('', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    await h.client.resource(R.statefulsets).create('default', sts('ord', {}));
    for (let n = 1; n <= 3; n++) {
      const pods = await waitPods(h, 'ord', ['ord-0', 'ord-1', 'ord-2'].slice(0, n));
      for (const p of pods.filter((x) => !str(x, 'spec', 'nodeName'))) {
        await h.client.resource(R.pods).createSubresource('default', p.metadata.name ?? '', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: p.metadata.name }, target: { kind: 'Node', name: 'n1' } });
      }
      await readyAll(h, pods);
    }
    await h.client.resource(R.statefulsets).patch('default', 'ord', 'merge', { spec: { replicas: 1 } });
    const marked = async (): Promise<string[]> => (await podsOf(h, 'ord')).filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name ?? '');
    await h.waitFor(async () => (await marked()).length > 0, 'a pod marked for deletion');
    await h.flush();
    assert.deepEqual(await marked(), ['ord-2']);
    await h.client.resource(R.pods).delete('default', 'ord-2', { gracePeriodSeconds: 0 });
    await h.waitFor(async () => (await marked()).join() === 'ord-1', 'ord-1 marked after ord-2 is gone');
  } finally {
    await h.stop();
  }
});

test('RollingUpdate replaces pods from the highest ordinal down to the partition', async () => {
  const h = await startHarness(startStatefulSetController);
  try {
    await h.client.resource(R.statefulsets).create('default', sts('app', { podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    await readyAll(h, await waitPods(h, 'app', ['app-0', 'app-1', 'app-2']));
    await h.waitFor(async () => num(await getSet(h, 'app'), 'status', 'readyReplicas') === 3, 'ready');
    const before = await getSet(h, 'app');
    const oldRev = str(before, 'status', 'currentRevision');
    await h.client.resource(R.statefulsets).patch('default', 'app', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    let newRev = '';
    // Play kubelet: whatever pod appears gets Running and Ready, until app-1 and app-2 are updated.
    await h.waitFor(async () => {
      newRev = str(await getSet(h, 'app'), 'status', 'updateRevision') ?? '';
      const pods = await podsOf(h, 'app');
      await readyAll(h, pods.filter((p) => !p.metadata.deletionTimestamp));
      return pods.map((p) => p.metadata.labels?.['controller-revision-hash']).join() === [oldRev, newRev, newRev].join() && pods.every((p) => str(p, 'status', 'phase') === 'Running');
    }, 'app-2 then app-1 at the update revision');
    await h.waitFor(async () => num(await getSet(h, 'app'), 'status', 'updatedReplicas') === 2, 'updatedReplicas=2');
    await h.flush();
    const revs = (await podsOf(h, 'app')).map((p) => p.metadata.labels?.['controller-revision-hash']);
    assert.deepEqual(revs, [oldRev, newRev, newRev], 'the partition protects app-0');
    assert.equal(str(await getSet(h, 'app'), 'status', 'currentRevision'), oldRev);
    assert.equal((await listObjects(h.client, R.controllerrevisions)).length, 2);
  } finally {
    await h.stop();
  }
});
