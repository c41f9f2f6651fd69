import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { leases } from './leases.js';

function lease(spec: Record<string, unknown>): KubeObject {
  return { metadata: { name: 'node-1', namespace: 'kube-node-lease', creationTimestamp: '2024-01-01T00:00:00Z' }, spec };
}

test('lease validation', () => {
  const cases: { spec: Record<string, unknown>; want: string[] }[] = [
    { spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2024-01-01T00:00:00.000000Z' }, want: [] },
    { spec: { leaseDurationSeconds: 0 }, want: ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0'] },
    { spec: { leaseTransitions: -1 }, want: ['spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0'] },
    { spec: { preferredHolder: 'a' }, want: ['spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined'] },
  ];
  for (const c of cases) assert.deepEqual(leases.validate(lease(c.spec)).map((e) => fieldErrorMessage(e)), c.want);
});

test('lease row', () => {
  const now = Date.parse('2024-01-01T00:00:05Z');
  assert.deepEqual(leases.row(lease({ holderIdentity: 'node-1' }), now), ['node-1', 'node-1', '5s']);
  assert.deepEqual(leases.row(lease({}), now), ['node-1', '', '5s']);
  assert.deepEqual(leases.columns.map((c) => c.name), ['Name', 'Holder', 'Age']);
});
