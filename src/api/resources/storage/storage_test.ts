import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { csidrivers } from './csidrivers.js';
import { storageclasses } from './storageclasses.js';
import { volumeattachments } from './volumeattachments.js';

const msgs = (errs: ReturnType<typeof storageclasses.validate>): string[] => errs.map((e) => fieldErrorMessage(e));

function sc(extra: Record<string, unknown> = {}, annotations: Record<string, string> = {}): KubeObject {
  const obj: KubeObject = { metadata: { name: 'local', creationTimestamp: '2024-01-01T00:00:00Z', annotations }, provisioner: 'rancher.io/local-path', ...extra };
  storageclasses.defaults(obj);
  return obj;
}

test('storageclass defaults, validation and immutable fields', () => {
  const s = sc();
  assert.deepEqual([s.reclaimPolicy, s.volumeBindingMode], ['Delete', 'Immediate']);
  assert.deepEqual(msgs(storageclasses.validate(s)), []);
  assert.deepEqual(msgs(storageclasses.validate(sc({ provisioner: '' }))), ['provisioner: Required value']);
  assert.deepEqual(msgs(storageclasses.validate(sc({ reclaimPolicy: 'Recycle' }))), ['reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"']);
  assert.deepEqual(msgs(storageclasses.validate(sc({ volumeBindingMode: 'Later' }))), ['volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"']);
  const changed = sc({ provisioner: 'other.io/p', parameters: { a: 'b' }, reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' });
  assert.deepEqual(msgs(storageclasses.validate(changed, s)), [
    'parameters: Forbidden: updates to parameters are forbidden.',
    'provisioner: Forbidden: updates to provisioner are forbidden.',
    'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.',
    'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
  ]);
  assert.deepEqual(msgs(storageclasses.validate(sc({ allowVolumeExpansion: true }), s)), []);
});

test('storageclass row marks the default class', () => {
  const now = Date.parse('2024-01-03T00:00:00Z');
  assert.deepEqual(storageclasses.row(sc({}, { 'storageclass.kubernetes.io/is-default-class': 'true' }), now), ['local (default)', 'rancher.io/local-path', 'Delete', 'Immediate', 'false', '2d']);
  assert.deepEqual(storageclasses.row(sc({ allowVolumeExpansion: true }), now)[0], 'local');
  assert.deepEqual(storageclasses.columns.map((c) => c.name), ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age']);
});

test('csidriver defaults and volumeattachment validation', () => {
  const d: KubeObject = { metadata: { name: 'hostpath.csi.k8s.io' }, spec: {} };
  csidrivers.defaults(d);
  assert.deepEqual(msgs(csidrivers.validate(d)), []);
  assert.deepEqual(csidrivers.row(d, 0).slice(0, 7), ['hostpath.csi.k8s.io', true, false, false, '<unset>', false, 'Persistent']);
  const va: KubeObject = { metadata: { name: 'va' }, spec: { attacher: 'hostpath.csi.k8s.io', nodeName: 'n1', source: {} } };
  assert.deepEqual(msgs(volumeattachments.validate(va)), ['spec.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName']);
  const ok: KubeObject = { metadata: { name: 'va' }, spec: { attacher: 'hostpath.csi.k8s.io', nodeName: 'n1', source: { persistentVolumeName: 'pv1' } } };
  assert.deepEqual(msgs(volumeattachments.validate(ok)), []);
});
