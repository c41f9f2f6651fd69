import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldError } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { limitranges } from './limitranges.js';

const at = (errs: FieldError[]): string[] => errs.map((e) => `${e.type} ${e.field}`);
const lr = (limits: unknown[]): KubeObject => ({ metadata: { name: 'limits', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: { limits } });

test('limitranges container defaults come from max and min', () => {
  const o = lr([{ type: 'Container', max: { cpu: '1', memory: '1Gi' }, min: { cpu: '100m' }, defaultRequest: { memory: '256Mi' } }]);
  limitranges.defaults(o);
  assert.deepEqual(o.spec, {
    limits: [{ type: 'Container', max: { cpu: '1', memory: '1Gi' }, min: { cpu: '100m' }, default: { cpu: '1', memory: '1Gi' }, defaultRequest: { memory: '256Mi', cpu: '1' } }],
  });
  assert.deepEqual(limitranges.validate(o), []);
});

test('limitranges validation', () => {
  const cases: { name: string; limits: unknown[]; want: string[] }[] = [
    { name: 'type', limits: [{ type: 'Thing' }], want: ['FieldValueInvalid spec.limits[0].type'] },
    { name: 'duplicate type', limits: [{ type: 'Pod' }, { type: 'Pod' }], want: ['FieldValueDuplicate spec.limits[1].type'] },
    { name: 'pod default', limits: [{ type: 'Pod', default: { cpu: '1' } }], want: ['FieldValueForbidden spec.limits[0].default'] },
    { name: 'min > max', limits: [{ type: 'Pod', min: { cpu: '2' }, max: { cpu: '1' } }], want: ['FieldValueInvalid spec.limits[0].min[cpu]'] },
    { name: 'resource name', limits: [{ type: 'Container', max: { gpus: '1' }, default: { gpus: '1' }, defaultRequest: { gpus: '1' } }], want: ['FieldValueInvalid spec.limits[0].max[gpus]', 'FieldValueInvalid spec.limits[0].default[gpus]', 'FieldValueInvalid spec.limits[0].defaultRequest[gpus]'] },
    { name: 'pvc needs storage', limits: [{ type: 'PersistentVolumeClaim', max: { cpu: '1' } }], want: ['FieldValueRequired spec.limits[0].limits'] },
    { name: 'ratio', limits: [{ type: 'Pod', maxLimitRequestRatio: { cpu: '0.5' } }], want: ['FieldValueInvalid spec.limits[0].maxLimitRequestRatio[cpu]'] },
  ];
  for (const c of cases) assert.deepEqual(at(limitranges.validate(lr(c.limits))), c.want, c.name);
});

test('limitranges print the generic Name / Created At table', () => {
  assert.deepEqual(limitranges.columns.map((c) => `${c.name}:${c.type}`), ['Name:string', 'Created At:date']);
  assert.deepEqual(limitranges.row(lr([]), 0), ['limits', '2024-01-01T00:00:00Z']);
});
