import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { horizontalpodautoscalers as hpas } from './horizontalpodautoscalers.js';

function errors(spec: Record<string, unknown>): string[] {
  const h: KubeObject = { metadata: { name: 'web', namespace: 'default' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, ...spec } };
  hpas.defaults(h);
  return hpas.validate(h).map((e) => fieldErrorMessage(e));
}

test('metric sources are validated as upstream', () => {
  assert.deepEqual(errors({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } }] }), [
    'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
  ]);
  assert.deepEqual(errors({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Value' } } }] }), [
    'spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
  ]);
  assert.deepEqual(errors({ metrics: [{ type: 'Pods', pods: { metric: { name: '' }, target: { type: 'AverageValue', averageValue: '-1' } } }] }), [
    'spec.metrics[0].pods.metric.name: Required value: must specify a metric name',
    'spec.metrics[0].pods.target.averageValue: Invalid value: "-1": must be positive',
  ]);
  assert.deepEqual(errors({ metrics: [{ type: 'Resource' }] }), ['spec.metrics[0].resource: Required value: must populate information for the given metric source']);
  assert.deepEqual(errors({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } }, pods: { metric: { name: 'x' } } }] }).at(-1), 'spec.metrics[0].pods: Forbidden: must populate the given metric source only');
});

test('behavior rules are validated as upstream', () => {
  assert.deepEqual(errors({ behavior: { scaleDown: { stabilizationWindowSeconds: 4000, selectPolicy: 'Sometimes', policies: [{ type: 'Pods', value: 0, periodSeconds: 2000 }] } } }), [
    'spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600',
    'spec.behavior.scaleDown.selectPolicy: Unsupported value: "Sometimes": supported values: "Disabled", "Max", "Min"',
    'spec.behavior.scaleDown.policies[0].value: Invalid value: 0: must be greater than zero',
    'spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 2000: must be less than or equal to 1800',
  ]);
  assert.deepEqual(errors({ behavior: { scaleUp: { stabilizationWindowSeconds: 60 } } }), []);
});
