import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldError } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { persistentvolumes } from './persistentvolumes.js';

const NOW = Date.parse('2024-01-01T01:00:00Z');
const at = (errs: FieldError[]): string[] => errs.map((e) => `${e.type} ${e.field}`);
const pv = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'pv1', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' }, ...spec },
  ...extra,
});

test('persistentvolumes defaults and create', () => {
  const o = pv({});
  persistentvolumes.defaults(o);
  persistentvolumes.prepareForCreate?.(o);
  assert.equal((o.spec as Record<string, unknown>).persistentVolumeReclaimPolicy, 'Retain');
  assert.equal((o.spec as Record<string, unknown>).volumeMode, 'Filesystem');
  assert.deepEqual(o.status, { phase: 'Pending' });
  assert.deepEqual(persistentvolumes.validate(o), []);
});

test('persistentvolumes validation', () => {
  const cases: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
    { name: 'access modes required', spec: { accessModes: [] }, want: ['FieldValueRequired spec.accessModes'] },
    { name: 'bad access mode', spec: { accessModes: ['ReadWriteSometimes'] }, want: ['FieldValueNotSupported spec.accessModes'] },
    { name: 'rwop alone', spec: { accessModes: ['ReadWriteOncePod', 'ReadWriteOnce'] }, want: ['FieldValueForbidden spec.accessModes'] },
    { name: 'capacity required', spec: { capacity: {} }, want: ['FieldValueRequired spec.capacity', 'FieldValueNotSupported spec.capacity'] },
    { name: 'capacity quantity', spec: { capacity: { storage: 'lots' } }, want: ['FieldValueInvalid spec.capacity[storage]'] },
    { name: 'capacity zero', spec: { capacity: { storage: '0' } }, want: ['FieldValueInvalid spec.capacity[storage]'] },
    { name: 'no source', spec: { hostPath: undefined }, want: ['FieldValueRequired spec'] },
    { name: 'two sources', spec: { nfs: { server: 'nfs', path: '/x' } }, want: ['FieldValueForbidden spec.nfs'] },
    { name: 'local needs affinity', spec: { hostPath: undefined, local: { path: '/mnt' } }, want: ['FieldValueRequired spec.nodeAffinity'] },
    { name: 'reclaim policy', spec: { persistentVolumeReclaimPolicy: 'Keep' }, want: ['FieldValueNotSupported spec.persistentVolumeReclaimPolicy'] },
  ];
  for (const c of cases) assert.deepEqual(at(persistentvolumes.validate(pv(c.spec))), c.want, c.name);
  assert.deepEqual(at(persistentvolumes.validate(pv({ hostPath: { path: '/other' } }), pv({}))), ['FieldValueForbidden spec.persistentvolumesource']);
});

test('persistentvolumes rows', () => {
  const bound = pv(
    { accessModes: ['ReadWriteMany', 'ReadWriteOnce'], claimRef: { namespace: 'default', name: 'data' }, storageClassName: 'local-path', persistentVolumeReclaimPolicy: 'Delete', volumeMode: 'Filesystem' },
    { status: { phase: 'Bound' } },
  );
  assert.deepEqual(persistentvolumes.row(bound, NOW), ['pv1', '1Gi', 'RWO,RWX', 'Delete', 'Bound', 'default/data', 'local-path', '<unset>', '', '60m', 'Filesystem']);
  const gone = pv({}, { status: { phase: 'Released', reason: 'Gone' } });
  gone.metadata.deletionTimestamp = '2024-01-01T00:30:00Z';
  assert.deepEqual(persistentvolumes.row(gone, NOW), ['pv1', '1Gi', 'RWO', '', 'Terminating', '', '', '<unset>', 'Gone', '60m', '<unset>']);
  assert.equal(persistentvolumes.columns.length, 11);
});
