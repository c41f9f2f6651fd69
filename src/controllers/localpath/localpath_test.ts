import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { exists, startHarness, type Harness } from '../namespace/harness_test_helper.js';
import { startPersistentVolumeBinder } from '../persistentvolume/index.js';
import { startLocalPathProvisioner } from './index.js';
import { NODES, PERSISTENT_VOLUMES, PERSISTENT_VOLUME_CLAIMS, STORAGE_CLASSES } from './resources.js';

const LP = 'skiff.io/local-path';
const field = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

function sc(name: string, mode: string): KubeObject {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: LP, volumeBindingMode: mode, reclaimPolicy: 'Delete' } as KubeObject;
}

function pvc(name: string, cls: string, extra: { spec?: Record<string, unknown>; annotations?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default', ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: { storageClassName: cls, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...(extra.spec ?? {}) },
  };
}

async function run(body: (h: Harness) => Promise<void>): Promise<void> {
  const h = await startHarness([startPersistentVolumeBinder, startLocalPathProvisioner], {
    config: { localStorage: { defaultPath: '', fallbackPath: '/srv/skiff/storage' } },
    seed: async (c) => {
      await c.resource(STORAGE_CLASSES).create('', sc('local-path', 'WaitForFirstConsumer'));
      await c.resource(STORAGE_CLASSES).create('', sc('local-now', 'Immediate'));
      await c.resource(NODES).create('', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' }, annotations: { 'skiff.io/local-storage-path': '/data/n1/storage' } } });
      await c.resource(NODES).create('', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2', labels: { 'kubernetes.io/hostname': 'n2' } } });
    },
  });
  try {
    await body(h);
  } finally {
    await h.stop();
  }
}

const claims = (h: Harness) => h.client.resource(PERSISTENT_VOLUME_CLAIMS);
const volumes = (h: Harness) => h.client.resource(PERSISTENT_VOLUMES);
const eventsOf = (h: Harness, name: string) => h.events.filter((e) => e.obj.metadata.name === name).map((e) => `${e.reason}: ${e.message}`);

test('a WaitForFirstConsumer claim with a selected node gets a volume on that node and binds', () =>
  run(async (h) => {
    await claims(h).create('default', pvc('data', 'local-path'));
    await h.waitFor(() => h.events.some((e) => e.reason === 'WaitForFirstConsumer'), 'WaitForFirstConsumer');
    assert.equal((await volumes(h).list('')).items.length, 0);
    const c = await claims(h).get('default', 'data');
    c.metadata.annotations = { ...(c.metadata.annotations ?? {}), 'volume.kubernetes.io/selected-node': 'n1' };
    await claims(h).update(c);
    await h.waitFor(async () => field(await claims(h).get('default', 'data'), 'status', 'phase') === 'Bound', 'claim Bound');
    const name = `pvc-${c.metadata.uid ?? ''}`;
    const pv = await volumes(h).get('', name);
    assert.equal(field(pv, 'spec', 'hostPath', 'path'), `/data/n1/storage/${name}_default_data`);
    assert.deepEqual(field(pv, 'spec', 'nodeAffinity', 'required', 'nodeSelectorTerms'), [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }]);
    assert.equal(pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'], LP);
    assert.equal(field(await claims(h).get('default', 'data'), 'spec', 'volumeName'), name);
    assert.deepEqual(eventsOf(h, 'data').filter((e) => e.startsWith('Provisioning')), [`Provisioning: External provisioner is provisioning volume for claim "default/data"`, `ProvisioningSucceeded: Successfully provisioned volume ${name}`]);
  }));

test('a node without the annotation gets the server fallback folder', () =>
  run(async (h) => {
    const c = await claims(h).create('default', pvc('plain', 'local-path', { annotations: { 'volume.kubernetes.io/selected-node': 'n2' } }));
    const name = `pvc-${c.metadata.uid ?? ''}`;
    await h.waitFor(() => exists(volumes(h).get('', name)), 'volume created');
    assert.equal(field(await volumes(h).get('', name), 'spec', 'hostPath', 'path'), `/srv/skiff/storage/${name}_default_plain`);
  }));

test('refusals: ReadWriteMany, an Immediate class (no node), a node that does not exist', () =>
  run(async (h) => {
    await claims(h).create('default', pvc('rwx', 'local-path', { spec: { accessModes: ['ReadWriteMany'] }, annotations: { 'volume.kubernetes.io/selected-node': 'n1' } }));
    await claims(h).create('default', pvc('now', 'local-now'));
    await claims(h).create('default', pvc('lost', 'local-path', { annotations: { 'volume.kubernetes.io/selected-node': 'gone' } }));
    const failed = (name: string) => eventsOf(h, name).find((e) => e.startsWith('ProvisioningFailed'));
    await h.waitFor(() => ['rwx', 'now', 'lost'].every((n) => failed(n) !== undefined), 'ProvisioningFailed events');
    assert.equal(failed('rwx'), 'ProvisioningFailed: failed to provision volume with StorageClass "local-path": NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes');
    assert.equal(failed('now'), 'ProvisioningFailed: failed to provision volume with StorageClass "local-now": configuration error, no node was specified');
    assert.equal(failed('lost'), 'ProvisioningFailed: failed to get target node: nodes "gone" not found');
    assert.equal((await volumes(h).list('')).items.length, 0);
    for (const n of ['rwx', 'now', 'lost']) assert.equal(field(await claims(h).get('default', n), 'status', 'phase'), 'Pending');
  }));

test('a static volume that fits is bound instead of provisioning one', () =>
  run(async (h) => {
    await volumes(h).create('', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'static' }, spec: { storageClassName: 'local-path', capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/static' } } });
    await claims(h).create('default', pvc('pre', 'local-path', { annotations: { 'volume.kubernetes.io/selected-node': 'n1' } }));
    await h.waitFor(async () => field(await claims(h).get('default', 'pre'), 'status', 'phase') === 'Bound', 'claim Bound');
    assert.equal(field(await claims(h).get('default', 'pre'), 'spec', 'volumeName'), 'static');
    assert.equal((await volumes(h).list('')).items.length, 1);
  }));
