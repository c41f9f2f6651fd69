import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { horizontalpodautoscalers as hpas } from './horizontalpodautoscalers.js';

function hpa(spec: Record<string, unknown>): KubeObject {
  return { metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, ...spec } };
}

test('hpa defaults', () => {
  const h = hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } });
  hpas.defaults(h);
  const spec = h.spec as Record<string, unknown>;
  assert.equal(spec.minReplicas, 1);
  assert.deepEqual(spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  assert.deepEqual(spec.behavior, {
    scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
  });
  assert.deepEqual(hpas.validate(h), []);
});

test('hpa validation', () => {
  const h = hpa({ minReplicas: 3, maxReplicas: 2, scaleTargetRef: { kind: 'Deployment' } });
  assert.deepEqual(hpas.validate(h).map((e) => fieldErrorMessage(e)), [
    'spec.scaleTargetRef.name: Required value',
    'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
  ]);
});

test('hpa row', () => {
  const h = hpa({});
  hpas.defaults(h);
  const now = Date.parse('2024-01-01T00:00:30Z');
  assert.deepEqual(hpas.row(h, now), ['web', 'Deployment/web', 'cpu: <unknown>/80%', '1', 5, 0, '30s']);
  h.status = { currentReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 41 } } }] };
  assert.equal(hpas.row(h, now)[2], 'cpu: 41%/80%');
});
