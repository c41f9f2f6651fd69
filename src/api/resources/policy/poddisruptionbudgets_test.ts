import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { poddisruptionbudgets } from './poddisruptionbudgets.js';

function pdb(spec: Record<string, unknown>): KubeObject {
  return { metadata: { name: 'db', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: { selector: { matchLabels: { app: 'db' } }, ...spec } };
}

test('pdb validation', () => {
  const cases: { spec: Record<string, unknown>; want: string[] }[] = [
    { spec: { minAvailable: 1 }, want: [] },
    { spec: { maxUnavailable: '50%' }, want: [] },
    { spec: { minAvailable: 1, maxUnavailable: 1 }, want: ['spec: Invalid value: map[string]interface {}{"selector":map[string]interface {}{"matchLabels":map[string]string{"app":"db"}}, "minAvailable":1, "maxUnavailable":1}: minAvailable and maxUnavailable cannot be both set'] },
    { spec: { minAvailable: -1 }, want: ['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0'] },
    { spec: { maxUnavailable: '150%' }, want: ['spec.maxUnavailable: Invalid value: "150%": must not be greater than 100%'] },
    { spec: { minAvailable: 1, unhealthyPodEvictionPolicy: 'Never' }, want: ['spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"'] },
  ];
  for (const c of cases) assert.deepEqual(poddisruptionbudgets.validate(pdb(c.spec)).map((e) => fieldErrorMessage(e)), c.want);
});

test('pdb row and status handling', () => {
  const now = Date.parse('2024-01-01T00:02:00Z');
  const p = pdb({ minAvailable: '50%' });
  p.status = { disruptionsAllowed: 2 };
  assert.deepEqual(poddisruptionbudgets.row(p, now), ['db', '50%', 'N/A', 2, '2m']);
  poddisruptionbudgets.prepareForCreate?.(p);
  assert.deepEqual(p.status, {});
  assert.deepEqual(poddisruptionbudgets.shortNames, ['pdb']);
});
