import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldError } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { namespaces } from './namespaces.js';

const NOW = Date.parse('2024-01-01T01:00:00Z');
const at = (errs: FieldError[]): string[] => errs.map((e) => `${e.type} ${e.field}`);
const ns = (extra: Record<string, unknown> = {}): KubeObject => ({ metadata: { name: 'dev', creationTimestamp: '2024-01-01T00:00:00Z' }, ...extra });

test('namespaces create: finalizer, phase and name label', () => {
  const o = ns({ status: { phase: 'Terminating' } });
  namespaces.defaults(o);
  namespaces.prepareForCreate?.(o);
  assert.deepEqual(o.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(o.status, { phase: 'Active' });
  assert.equal(o.metadata.labels?.['kubernetes.io/metadata.name'], 'dev');
  assert.deepEqual(namespaces.validate(o), []);
});

test('namespaces update keeps the stored finalizers', () => {
  const old = ns({ spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  const next = ns({ spec: { finalizers: [] } });
  namespaces.prepareForUpdate?.(next, old);
  assert.deepEqual(next.spec, { finalizers: ['kubernetes'] });
});

test('namespaces validation of finalizers', () => {
  const cases: { finalizers: unknown[]; want: string[] }[] = [
    { finalizers: ['kubernetes'], want: [] },
    { finalizers: ['example.com/cleanup'], want: [] },
    { finalizers: ['custom'], want: ['FieldValueInvalid spec.finalizers'] },
  ];
  for (const c of cases) assert.deepEqual(at(namespaces.validate(ns({ spec: { finalizers: c.finalizers } }))), c.want, String(c.finalizers));
});

test('namespaces row and field labels', () => {
  const o = ns({ status: { phase: 'Active' } });
  assert.deepEqual(namespaces.row(o, NOW), ['dev', 'Active', '60m']);
  assert.deepEqual(namespaces.fieldLabels?.(o), { 'status.phase': 'Active' });
  assert.deepEqual(namespaces.columns.map((c) => c.name), ['Name', 'Status', 'Age']);
  assert.equal(namespaces.namespaced, false);
});
