import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { buildLocalPathVolume, provisionRefusal, shouldProvision, storageBase } from './volume.js';

const LP = 'skiff.io/local-path';

function claim(spec: Record<string, unknown> = {}, annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'apps', uid: 'u-1', resourceVersion: '7', annotations: { 'volume.kubernetes.io/storage-provisioner': LP, ...annotations } },
    spec: { storageClassName: 'local-path', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, ...spec },
  };
}

const wffc: KubeObject = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local-path' }, provisioner: LP, volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Delete' } as KubeObject;
const immediate: KubeObject = { ...wffc, volumeBindingMode: 'Immediate', reclaimPolicy: 'Retain' } as KubeObject;
const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1-host' }, annotations: { 'skiff.io/local-storage-path': '/data/n1/storage' } } };

test('shouldProvision: only unbound claims handed to skiff.io/local-path, WaitForFirstConsumer ones once a node is chosen', () => {
  const cases: [string, KubeObject, KubeObject | undefined, boolean][] = [
    ['WFFC without a node', claim(), wffc, false],
    ['WFFC with a node', claim({}, { 'volume.kubernetes.io/selected-node': 'n1' }), wffc, true],
    ['Immediate (refused later: no node)', claim(), immediate, true],
    ['already has a volume', claim({ volumeName: 'pv-x' }, { 'volume.kubernetes.io/selected-node': 'n1' }), wffc, false],
    ['no class', claim(), undefined, false],
    ['another provisioner', claim(), { ...wffc, provisioner: 'rancher.io/local-path' } as KubeObject, false],
    ['not handed over by the binder', { ...claim(), metadata: { ...claim().metadata, annotations: { 'volume.kubernetes.io/selected-node': 'n1' } } }, wffc, false],
    ['beta annotation', { ...claim(), metadata: { ...claim().metadata, annotations: { 'volume.beta.kubernetes.io/storage-provisioner': LP } } }, immediate, true],
  ];
  for (const [name, c, cls, want] of cases) assert.equal(shouldProvision(c, cls), want, name);
});

test('provisionRefusal: selector, access modes other than RWO/RWOP, no node', () => {
  assert.equal(provisionRefusal(claim(), 'n1'), undefined);
  assert.equal(provisionRefusal(claim({ accessModes: ['ReadWriteOncePod'] }), 'n1'), undefined);
  assert.equal(provisionRefusal(claim({ accessModes: ['ReadWriteMany'] }), 'n1'), 'NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes');
  assert.equal(provisionRefusal(claim({ accessModes: ['ReadWriteOnce', 'ReadOnlyMany'] }), 'n1'), 'NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes');
  assert.equal(provisionRefusal(claim({ selector: { matchLabels: { a: 'b' } } }), 'n1'), 'claim.Spec.Selector is not supported');
  assert.equal(provisionRefusal(claim(), undefined), 'configuration error, no node was specified');
});

test('storageBase: the server flag, then the node annotation, then the server fallback', () => {
  const bare: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } };
  assert.equal(storageBase(node, { defaultPath: '/srv/volumes', fallbackPath: '/var/lib/skiff/storage' }), '/srv/volumes');
  assert.equal(storageBase(node, { defaultPath: '', fallbackPath: '/var/lib/skiff/storage' }), '/data/n1/storage');
  assert.equal(storageBase(bare, { defaultPath: '', fallbackPath: '/var/lib/skiff/storage' }), '/var/lib/skiff/storage');
});

test('buildLocalPathVolume: hostPath folder, node affinity, capacity, modes, claimRef and reclaim policy', () => {
  const pv = buildLocalPathVolume(claim({ accessModes: ['ReadWriteOncePod'] }), immediate, node, '/data/n1/storage');
  assert.deepEqual(pv, {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'pvc-u-1', annotations: { 'pv.kubernetes.io/provisioned-by': LP } },
    spec: {
      capacity: { storage: '2Gi' },
      accessModes: ['ReadWriteOncePod'],
      persistentVolumeReclaimPolicy: 'Retain',
      volumeMode: 'Filesystem',
      storageClassName: 'local-path',
      hostPath: { path: '/data/n1/storage/pvc-u-1_apps_data', type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1-host'] }] }] } },
      claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: 'apps', name: 'data', uid: 'u-1', resourceVersion: '7' },
    },
  });
  const withOptions = buildLocalPathVolume(claim(), { ...wffc, mountOptions: ['noatime'] } as KubeObject, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n3' } }, '/s');
  assert.deepEqual((withOptions.spec as Record<string, unknown>).mountOptions, ['noatime']);
  assert.equal((withOptions.spec as { persistentVolumeReclaimPolicy: string }).persistentVolumeReclaimPolicy, 'Delete');
  assert.deepEqual((withOptions.spec as { nodeAffinity: unknown }).nodeAffinity, { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n3'] }] }] } });
});
