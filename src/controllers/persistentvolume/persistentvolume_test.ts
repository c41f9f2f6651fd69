import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { exists, startHarness, type Harness } from '../namespace/harness_test_helper.js';
import { startPersistentVolumeBinder } from './index.js';
import { PERSISTENT_VOLUMES, PERSISTENT_VOLUME_CLAIMS, STORAGE_CLASSES } from './resources.js';

function pv(name: string, size: string, extra: { spec?: Record<string, unknown>; labels?: Record<string, string>; annotations?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}), ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/tmp/${name}` }, ...(extra.spec ?? {}) },
  };
}

function pvc(name: string, size: string, spec: Record<string, unknown> = {}, annotations?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...spec } };
}

const field = (o: KubeObject, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

async function run(body: (h: Harness) => Promise<void>): Promise<void> {
  const h = await startHarness([startPersistentVolumeBinder]);
  try {
    await body(h);
  } finally {
    await h.stop();
  }
}

const pvs = (h: Harness) => h.client.resource(PERSISTENT_VOLUMES);
const pvcs = (h: Harness) => h.client.resource(PERSISTENT_VOLUME_CLAIMS);
const claimPhase = async (h: Harness, name: string): Promise<unknown> => field(await pvcs(h).get('default', name), 'status', 'phase');
const volumePhase = async (h: Harness, name: string): Promise<unknown> => field(await pvs(h).get('', name), 'status', 'phase');

test('a claim binds to the smallest matching volume, both sides annotated and Bound', () =>
  run(async (h) => {
    await pvs(h).create('', pv('big', '5Gi'));
    await pvs(h).create('', pv('small', '1Gi'));
    await pvs(h).create('', pv('tiny', '100Mi'));
    await pvs(h).create('', pv('rox', '1Gi', { spec: { accessModes: ['ReadOnlyMany'] } }));
    await h.waitFor(async () => (await volumePhase(h, 'big')) === 'Available', 'volumes Available');
    await pvcs(h).create('default', pvc('data', '500Mi'));
    await h.waitFor(async () => (await claimPhase(h, 'data')) === 'Bound', 'claim Bound');
    const claim = await pvcs(h).get('default', 'data');
    assert.equal(field(claim, 'spec', 'volumeName'), 'small');
    assert.deepEqual(field(claim, 'status', 'capacity'), { storage: '1Gi' });
    assert.deepEqual(field(claim, 'status', 'accessModes'), ['ReadWriteOnce']);
    assert.equal(claim.metadata.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
    assert.equal(claim.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    await h.waitFor(async () => (await volumePhase(h, 'small')) === 'Bound', 'volume Bound');
    const vol = await pvs(h).get('', 'small');
    assert.equal(field(vol, 'spec', 'claimRef', 'uid'), claim.metadata.uid);
    assert.equal(vol.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.equal(await volumePhase(h, 'big'), 'Available');
  }));

test('class, selector and no-match cases stay Pending; no class set gives FailedBinding', () =>
  run(async (h) => {
    await pvs(h).create('', pv('fast', '1Gi', { spec: { storageClassName: 'fast' }, labels: { tier: 'gold' } }));
    await pvcs(h).create('default', pvc('nomatch', '1Gi', { storageClassName: '', selector: { matchLabels: { tier: 'gold' } } }));
    await pvcs(h).create('default', pvc('wrongsel', '1Gi', { storageClassName: 'fast', selector: { matchLabels: { tier: 'silver' } } }));
    await h.waitFor(() => h.events.some((e) => e.reason === 'FailedBinding' && e.obj.metadata.name === 'nomatch'), 'FailedBinding event');
    assert.equal(h.events.find((e) => e.obj.metadata.name === 'nomatch')?.message, 'no persistent volumes available for this claim and no storage class is set');
    await pvcs(h).create('default', pvc('gold', '1Gi', { storageClassName: 'fast', selector: { matchLabels: { tier: 'gold' } } }));
    await h.waitFor(async () => (await claimPhase(h, 'gold')) === 'Bound', 'class+selector claim Bound');
    assert.equal(await claimPhase(h, 'wrongsel'), 'Pending');
    assert.equal(await claimPhase(h, 'nomatch'), 'Pending');
  }));

test('volumeName and claimRef pre-binding', () =>
  run(async (h) => {
    await pvs(h).create('', pv('a', '1Gi'));
    await pvs(h).create('', pv('b', '10Gi'));
    await pvs(h).create('', pv('c', '1Gi', { spec: { claimRef: { namespace: 'default', name: 'wants-c' } } }));
    await pvcs(h).create('default', pvc('wants-b', '1Gi', { volumeName: 'b' }));
    await pvcs(h).create('default', pvc('wants-c', '1Gi'));
    await h.waitFor(async () => (await claimPhase(h, 'wants-b')) === 'Bound' && (await claimPhase(h, 'wants-c')) === 'Bound', 'pre-bound claims Bound');
    assert.equal(field(await pvcs(h).get('default', 'wants-c'), 'spec', 'volumeName'), 'c');
    const b = await pvcs(h).get('default', 'wants-b');
    assert.equal(b.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined);
    assert.equal((await pvs(h).get('', 'c')).metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined);
    assert.equal(await volumePhase(h, 'a'), 'Available');
  }));

test('reclaim: Retain releases, Delete removes, a provisioner keeps its own', () =>
  run(async (h) => {
    await pvs(h).create('', pv('keep', '1Gi', { spec: { storageClassName: 'k' } }));
    await pvs(h).create('', pv('drop', '1Gi', { spec: { storageClassName: 'd', persistentVolumeReclaimPolicy: 'Delete' } }));
    await pvs(h).create('', pv('ext', '1Gi', { spec: { storageClassName: 'e', persistentVolumeReclaimPolicy: 'Delete' }, annotations: { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' } }));
    for (const c of ['k', 'd', 'e']) await pvcs(h).create('default', pvc(c, '1Gi', { storageClassName: c }));
    for (const c of ['k', 'd', 'e']) await h.waitFor(async () => (await claimPhase(h, c)) === 'Bound', `claim ${c} Bound`);
    for (const c of ['k', 'd', 'e']) await pvcs(h).delete('default', c);
    await h.waitFor(async () => (await volumePhase(h, 'keep')) === 'Released', 'Retain volume Released');
    await h.waitFor(async () => !(await exists(pvs(h).get('', 'drop'))), 'Delete volume removed');
    await h.waitFor(async () => (await volumePhase(h, 'ext')) === 'Released', 'provisioned volume Released');
    assert.ok(await exists(pvs(h).get('', 'ext')));
  }));

test('WaitForFirstConsumer claims wait until a node is selected', () =>
  run(async (h) => {
    await h.client.resource(STORAGE_CLASSES).create('', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' });
    await pvs(h).create('', pv('local-1', '1Gi', { spec: { storageClassName: 'local' } }));
    await pvcs(h).create('default', pvc('late', '1Gi', { storageClassName: 'local' }));
    await h.waitFor(() => h.events.some((e) => e.reason === 'WaitForFirstConsumer'), 'WaitForFirstConsumer event');
    assert.equal(h.events.find((e) => e.reason === 'WaitForFirstConsumer')?.message, 'waiting for first consumer to be created before binding');
    assert.equal(await claimPhase(h, 'late'), 'Pending');
    const claim = await pvcs(h).get('default', 'late');
    claim.metadata.annotations = { ...(claim.metadata.annotations ?? {}), 'volume.kubernetes.io/selected-node': 'node-1' };
    await pvcs(h).update(claim);
    await h.waitFor(async () => (await claimPhase(h, 'late')) === 'Bound', 'claim Bound after node selection');
  }));

test('a claim of an external provisioner class is annotated for it', () =>
  run(async (h) => {
    await h.client.resource(STORAGE_CLASSES).create('', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'lp' }, provisioner: 'rancher.io/local-path' });
    await pvcs(h).create('default', pvc('dyn', '1Gi', { storageClassName: 'lp' }));
    await h.waitFor(async () => (await pvcs(h).get('default', 'dyn')).metadata.annotations?.['volume.kubernetes.io/storage-provisioner'] === 'rancher.io/local-path', 'provisioner annotation');
    await h.waitFor(() => h.events.some((e) => e.reason === 'ExternalProvisioning'), 'ExternalProvisioning event');
  }));

test('a classless claim created before any default class gets the default once one exists', () =>
  run(async (h) => {
    await pvcs(h).create('default', pvc('early', '1Gi'));
    await pvcs(h).create('default', pvc('none', '1Gi', { storageClassName: '' }));
    await h.waitFor(() => h.events.some((e) => e.obj.metadata.name === 'early' && e.reason === 'FailedBinding'), 'no class yet');
    const cls = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'std', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'example.com/std' };
    await h.client.resource(STORAGE_CLASSES).create('', cls);
    await h.waitFor(async () => field(await pvcs(h).get('default', 'early'), 'spec', 'storageClassName') === 'std', 'default class assigned');
    await h.waitFor(async () => (await pvcs(h).get('default', 'early')).metadata.annotations?.['volume.kubernetes.io/storage-provisioner'] === 'example.com/std', 'handed to the provisioner');
    assert.equal(field(await pvcs(h).get('default', 'none'), 'spec', 'storageClassName'), '');
  }));
