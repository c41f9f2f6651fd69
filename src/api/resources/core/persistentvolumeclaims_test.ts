import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldError } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { persistentvolumeclaims } from './persistentvolumeclaims.js';

const NOW = Date.parse('2024-01-01T01:00:00Z');
const at = (errs: FieldError[]): string[] => errs.map((e) => `${e.type} ${e.field}`);
const pvc = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'data', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, ...spec },
  ...extra,
});

test('persistentvolumeclaims defaults and create', () => {
  const o = pvc({});
  persistentvolumeclaims.defaults(o);
  persistentvolumeclaims.prepareForCreate?.(o);
  assert.equal((o.spec as Record<string, unknown>).volumeMode, 'Filesystem');
  assert.deepEqual(o.status, { phase: 'Pending' });
  assert.deepEqual(persistentvolumeclaims.validate(o), []);
});

test('persistentvolumeclaims validation', () => {
  const cases: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
    { name: 'access modes', spec: { accessModes: [] }, want: ['FieldValueRequired spec.accessModes'] },
    { name: 'storage required', spec: { resources: {} }, want: ['FieldValueRequired spec.resources[storage]'] },
    { name: 'storage positive', spec: { resources: { requests: { storage: '0' } } }, want: ['FieldValueInvalid spec.resources[storage]'] },
    { name: 'volume mode', spec: { volumeMode: 'Raw' }, want: ['FieldValueNotSupported spec.volumeMode'] },
    { name: 'class name', spec: { storageClassName: 'Local_Path' }, want: ['FieldValueInvalid spec.storageClassName'] },
  ];
  for (const c of cases) assert.deepEqual(at(persistentvolumeclaims.validate(pvc(c.spec))), c.want, c.name);
});

test('persistentvolumeclaims update: only requests (and binding) may change', () => {
  const old = pvc({ volumeMode: 'Filesystem' });
  assert.deepEqual(persistentvolumeclaims.validate(pvc({ volumeMode: 'Filesystem', volumeName: 'pv1', resources: { requests: { storage: '5Gi' } } }), old), []);
  assert.deepEqual(at(persistentvolumeclaims.validate(pvc({ volumeMode: 'Filesystem', accessModes: ['ReadWriteMany'] }), old)), ['FieldValueForbidden spec']);
});

test('persistentvolumeclaims rows', () => {
  assert.deepEqual(persistentvolumeclaims.row(pvc({ storageClassName: 'local-path' }, { status: { phase: 'Pending' } }), NOW), ['data', 'Pending', '', '', '', 'local-path', '<unset>', '60m', '<unset>']);
  const bound = pvc({ volumeName: 'pv1', volumeMode: 'Filesystem' }, { status: { phase: 'Bound', capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOnce'] } });
  bound.metadata.annotations = { 'volume.beta.kubernetes.io/storage-class': 'fast' };
  assert.deepEqual(persistentvolumeclaims.row(bound, NOW), ['data', 'Bound', 'pv1', '2Gi', 'RWO', 'fast', '<unset>', '60m', 'Filesystem']);
});
