import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../types.js';
import { BEHAVIOR_ANNOTATION, CONDITIONS_ANNOTATION, hpaV1ToV2, hpaV2ToV1, METRIC_SPECS_ANNOTATION, METRIC_STATUSES_ANNOTATION } from './hpa_convert.js';
import { horizontalpodautoscalers as hpas } from './horizontalpodautoscalers.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const cpu = (pct: number): unknown => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: pct } } });

function v2(spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default', annotations: { team: 'a' } }, spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, ...spec }, status };
}

test('a v1 HPA from kubectl autoscale becomes one v2 cpu metric', () => {
  const v1: KubeObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 } };
  const out = hpaV1ToV2(v1);
  assert.equal(out.apiVersion, 'autoscaling/v2');
  assert.deepEqual(out.spec, { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, metrics: [cpu(50)] });
  assert.deepEqual(out.status, { desiredReplicas: 0 });
});

test('a v1 HPA without a target gets the implied 80% cpu target', () => {
  const out = hpaV1ToV2({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: ref, maxReplicas: 3 } });
  assert.deepEqual((out.spec as Record<string, unknown>).metrics, [cpu(80)]);
});

test('v2 cpu utilization reads as v1 target and current percentages, raw statuses kept in an annotation', () => {
  const status = { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 70, averageValue: '350m' } } }] };
  const out = hpaV2ToV1(v2({ metrics: [cpu(50)] }, status));
  assert.deepEqual(out.spec, { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 });
  assert.deepEqual(out.status, { currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 70 });
  assert.deepEqual(JSON.parse(out.metadata.annotations![METRIC_STATUSES_ANNOTATION]!), [{ type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 70, currentAverageValue: '350m' } }]);
  assert.equal(out.metadata.annotations![METRIC_SPECS_ANNOTATION], undefined);
  assert.equal(out.metadata.annotations!.team, 'a');
  const back = hpaV1ToV2(out);
  assert.deepEqual(back.status, status);
  assert.deepEqual(back.metadata.annotations, { team: 'a' });
});

test('v2-only fields survive a v1 round trip: other metrics, behavior, conditions', () => {
  const metrics = [
    { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
    { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } },
    { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'a' } } }, target: { type: 'Value', value: '30' } } },
    { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } },
    cpu(50),
  ];
  const behavior = {
    scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
    scaleDown: { selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
  };
  const conditions = [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z', reason: 'ReadyForNewScale', message: 'recommended size matches current size' }];
  const obj = v2({ metrics, behavior }, { desiredReplicas: 1, conditions });
  const v1 = hpaV2ToV1(obj);
  const ann = v1.metadata.annotations!;
  assert.equal(JSON.parse(ann[METRIC_SPECS_ANNOTATION]!).length, 4);
  assert.deepEqual(JSON.parse(ann[METRIC_SPECS_ANNOTATION]!)[0], { type: 'Resource', resource: { name: 'memory', targetAverageValue: '100Mi' } });
  // The internal behavior type has no json tags: Go field names, nil as null.
  assert.deepEqual(JSON.parse(ann[BEHAVIOR_ANNOTATION]!).ScaleDown, { StabilizationWindowSeconds: null, SelectPolicy: 'Min', Policies: [{ Type: 'Percent', Value: 10, PeriodSeconds: 60 }] });
  assert.deepEqual(JSON.parse(ann[CONDITIONS_ANNOTATION]!), conditions);
  const back = hpaV1ToV2(v1);
  assert.deepEqual((back.spec as Record<string, unknown>).metrics, metrics);
  assert.deepEqual((back.spec as Record<string, unknown>).behavior, behavior);
  assert.deepEqual((back.status as Record<string, unknown>).conditions, conditions);
  assert.deepEqual(back.metadata.annotations, { team: 'a' });
});

test('stale round-trip annotations on a stored object are not served, malformed ones are ignored', () => {
  const obj = v2({ metrics: [cpu(50)] });
  obj.metadata.annotations = { [METRIC_SPECS_ANNOTATION]: 'not json' };
  assert.equal(hpaV2ToV1(obj).metadata.annotations, undefined);
  const back = hpaV1ToV2({ ...hpaV2ToV1(v2({ metrics: [cpu(40)] })), metadata: { name: 'web', annotations: { [METRIC_SPECS_ANNOTATION]: 'not json', [BEHAVIOR_ANNOTATION]: '{}' } } });
  assert.deepEqual((back.spec as Record<string, unknown>).metrics, [cpu(40)]);
  assert.equal((back.spec as Record<string, unknown>).behavior, undefined);
  assert.equal(back.metadata.annotations, undefined);
});

test('hpa rows print the same for v1 and v2', () => {
  const obj = v2({ metrics: [cpu(50)] }, { currentReplicas: 2, desiredReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '45m' } } }] });
  obj.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
  const now = Date.parse('2024-01-01T00:01:00Z');
  const row = ['web', 'Deployment/web', 'cpu: 45%/50%', '1', 5, 2, '60s'];
  assert.deepEqual(hpas.row(obj, now), row);
  assert.deepEqual(hpas.row(hpaV2ToV1(obj), now), row);
});
