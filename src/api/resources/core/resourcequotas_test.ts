import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldError } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { resourcequotas } from './resourcequotas.js';

const at = (errs: FieldError[]): string[] => errs.map((e) => `${e.type} ${e.field}`);
const rq = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
  metadata: { name: 'quota', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec,
  ...(status ? { status } : {}),
});

test('resourcequotas create resets status', () => {
  const o = rq({ hard: { pods: '10' } }, { used: { pods: '99' } });
  resourcequotas.prepareForCreate?.(o);
  assert.deepEqual(o.status, {});
});

test('resourcequotas validation', () => {
  const cases: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
    { name: 'valid', spec: { hard: { pods: '10', 'requests.cpu': '2', 'limits.memory': '4Gi', 'count/deployments.apps': '5' } }, want: [] },
    { name: 'unknown resource', spec: { hard: { widgets: '1' } }, want: ['FieldValueInvalid spec.hard[widgets]'] },
    { name: 'negative', spec: { hard: { 'requests.cpu': '-1' } }, want: ['FieldValueInvalid spec.hard[requests.cpu]'] },
    { name: 'integer', spec: { hard: { pods: '1.5' } }, want: ['FieldValueInvalid spec.hard[pods]'] },
    { name: 'scopes', spec: { scopes: ['Terminating', 'NotTerminating', 'Sometimes'] }, want: ['FieldValueNotSupported spec.scopes[2]', 'FieldValueInvalid spec.scopes'] },
  ];
  for (const c of cases) assert.deepEqual(at(resourcequotas.validate(rq(c.spec))), c.want, c.name);
});

test('resourcequotas rows split requests and limits', () => {
  const o = rq({}, { hard: { 'requests.cpu': '1', pods: '10', 'limits.memory': '2Gi', 'limits.cpu': '2' }, used: { pods: '3', 'limits.cpu': '500m' } });
  assert.deepEqual(resourcequotas.row(o, Date.parse('2024-01-01T00:00:05Z')), ['quota', 'pods: 3/10, requests.cpu: 0/1', 'limits.cpu: 500m/2, limits.memory: 0/2Gi', '5s']);
  assert.deepEqual(resourcequotas.row(rq({}), Date.parse('2024-01-01T00:00:05Z')), ['quota', '', '', '5s']);
});
