import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { exists, startHarness } from '../namespace/harness_test_helper.js';
import { startPersistentVolumeBinder, startPVCProtectionController, startPVProtectionController } from './index.js';
import { claimNamesOf, PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from './protection.js';
import { PERSISTENT_VOLUMES, PERSISTENT_VOLUME_CLAIMS, PODS } from './resources.js';

const claim: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { storageClassName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
const volume: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'vol' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/vol' } } };
const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'user', namespace: 'default' },
  spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] },
};

test('claimNamesOf reads claim sources and generic ephemeral volumes', () => {
  const p: KubeObject = { metadata: { name: 'p' }, spec: { volumes: [{ name: 'a', persistentVolumeClaim: { claimName: 'x' } }, { name: 'b', ephemeral: { volumeClaimTemplate: {} } }, { name: 'c', emptyDir: {} }] } };
  assert.deepEqual(claimNamesOf(p), ['x', 'p-b']);
});

test('a deleted claim waits for the pod using it; a deleted volume waits until it is no longer bound', async () => {
  const h = await startHarness([startPersistentVolumeBinder, startPVCProtectionController, startPVProtectionController]);
  const pvcs = h.client.resource(PERSISTENT_VOLUME_CLAIMS);
  const pvs = h.client.resource(PERSISTENT_VOLUMES);
  const pods = h.client.resource(PODS);
  try {
    await pvs.create('', volume);
    await pvcs.create('default', claim);
    await h.waitFor(async () => ((await pvcs.get('default', 'data')).metadata.finalizers ?? []).includes(PVC_PROTECTION_FINALIZER), 'pvc-protection finalizer');
    await h.waitFor(async () => ((await pvs.get('', 'vol')).metadata.finalizers ?? []).includes(PV_PROTECTION_FINALIZER), 'pv-protection finalizer');
    await h.waitFor(async () => ((await pvs.get('', 'vol')).status as { phase?: string }).phase === 'Bound', 'volume Bound');
    await pods.create('default', pod);
    await pvs.delete('', 'vol');
    await pvcs.delete('default', 'data');
    await new Promise((r) => setTimeout(r, 200));
    assert.ok((await pvcs.get('default', 'data')).metadata.deletionTimestamp, 'claim Terminating while the pod runs');
    assert.ok(await exists(pvs.get('', 'vol')), 'bound volume kept');
    await pods.delete('default', 'user', { gracePeriodSeconds: 0 });
    await h.waitFor(async () => !(await exists(pvcs.get('default', 'data'))), 'claim removed after the pod');
    // Retain: the volume is Released, no longer bound, so its deletion completes.
    await h.waitFor(async () => !(await exists(pvs.get('', 'vol'))), 'volume removed once Released');
  } finally {
    await h.stop();
  }
});
