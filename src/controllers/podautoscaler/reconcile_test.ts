import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClock } from '../../lib/clock.js';
import { createLogger } from '../../lib/log.js';
import type { HpaCondition } from './conditions.js';
import { DEFAULT_HPA_SETTINGS, type HpaDeps, type PodMetricsInfo, type Scale } from './deps.js';
import { newHpaState, reconcileAutoscaler, type HpaState } from './reconcile.js';

interface World {
  clock: FakeClock;
  replicas: number;
  usagePerPod: number | undefined;
  events: string[];
  hpa: KubeObject;
  deps: HpaDeps;
  state: HpaState;
  sync(): Promise<void>;
  condition(type: string): HpaCondition | undefined;
}

function pods(w: { replicas: number; clock: FakeClock }): KubeObject[] {
  return Array.from({ length: w.replicas }, (_, i) => ({
    metadata: { name: `web-${i}`, namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', resources: { requests: { cpu: '100m' } } }] },
    status: { phase: 'Running', startTime: '2020-01-01T00:00:00Z', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2020-01-01T00:00:10Z' }] },
  }));
}

function world(spec: Record<string, unknown> = {}, replicas = 1): World {
  const clock = new FakeClock(Date.parse('2024-01-01T00:00:00Z'));
  const w = { clock, replicas, usagePerPod: 50 as number | undefined, events: [] as string[] } as World;
  w.hpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default', uid: 'u1' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }], ...spec },
    status: {},
  };
  w.deps = {
    scales: {
      get: async (_ns, ref): Promise<Scale> => {
        if (ref.kind !== 'Deployment') throw new Error(`no matches for kind "${ref.kind}" in group "apps"`);
        return { specReplicas: w.replicas, statusReplicas: w.replicas, selector: 'app=web', raw: {} as KubeObject };
      },
      update: async (_ns, _ref, _scale, n) => {
        w.replicas = n;
      },
    },
    metrics: {
      getResourceMetric: async () => {
        if (w.usagePerPod === undefined) throw new Error('no metrics returned from resource metrics API');
        const m: PodMetricsInfo = new Map(pods(w).map((p) => [p.metadata.name!, { timestampMs: clock.now(), windowMs: 15_000, value: w.usagePerPod! }]));
        return { metrics: m, timestampMs: clock.now() };
      },
    },
    listPods: () => pods(w),
    updateStatus: async (next) => {
      w.hpa = next;
    },
    recorder: { event: (_o, type, reason, message) => w.events.push(`${type} ${reason} ${message}`) },
    clock,
    logger: createLogger({ level: 'error' }),
    settings: DEFAULT_HPA_SETTINGS,
  };
  w.state = newHpaState();
  w.sync = async () => {
    await reconcileAutoscaler(w.deps, w.state, 'default/web', w.hpa).catch(() => undefined);
  };
  w.condition = (type) => ((w.hpa.status as { conditions?: HpaCondition[] }).conditions ?? []).find((c) => c.type === type);
  return w;
}

test('scale up is limited to max(2x, 4) without behavior; status and events as upstream', async () => {
  const w = world();
  w.usagePerPod = 500; // 500% of a 100m request against a 50% target: 10 pods wanted
  await w.sync();
  assert.equal(w.replicas, 4);
  assert.deepEqual(w.events, ['Normal SuccessfulRescale New size: 4; reason: cpu resource utilization (percentage of request) above target']);
  const status = w.hpa.status as Record<string, unknown>;
  assert.equal(status.currentReplicas, 1);
  assert.equal(status.desiredReplicas, 4);
  assert.equal(status.lastScaleTime, '2024-01-01T00:00:00Z');
  assert.deepEqual(status.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageValue: '500m', averageUtilization: 500 } } }]);
  assert.deepEqual(w.condition('AbleToScale'), { type: 'AbleToScale', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z', reason: 'SucceededRescale', message: 'the HPA controller was able to update the target scale to 4' });
  assert.equal(w.condition('ScalingActive')?.reason, 'ValidMetricFound');
  assert.equal(w.condition('ScalingActive')?.message, 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)');
  assert.equal(w.condition('ScalingLimited')?.status, 'True');
  assert.equal(w.condition('ScalingLimited')?.reason, 'ScaleUpLimit');
  w.clock.advance(15_000);
  await w.sync();
  assert.equal(w.replicas, 8);
  w.clock.advance(15_000);
  await w.sync();
  assert.equal(w.replicas, 10);
  assert.equal(w.condition('ScalingLimited')?.reason, 'TooManyReplicas');
});

test('scale-down waits for the downscale stabilization window', async () => {
  const w = world({}, 4);
  w.usagePerPod = 50;
  await w.sync();
  assert.equal(w.replicas, 4);
  assert.equal(w.condition('AbleToScale')?.reason, 'ReadyForNewScale');
  w.usagePerPod = 10; // 10% against 50%: 1 pod wanted
  for (let t = 0; t < 20; t++) {
    w.clock.advance(15_000);
    await w.sync();
  }
  assert.equal(w.replicas, 4, 'still within 300 s of the recommendation of 4');
  assert.equal(w.condition('AbleToScale')?.reason, 'ScaleDownStabilized');
  w.clock.advance(15_000);
  await w.sync();
  assert.equal(w.replicas, 1);
  assert.equal(w.events.at(-1), 'Normal SuccessfulRescale New size: 1; reason: All metrics below target');
  assert.equal(w.condition('ScalingLimited')?.reason, 'DesiredWithinRange');
});

test('a shortened stabilization flag scales down sooner', async () => {
  const w = world({}, 4);
  w.deps.settings = { ...DEFAULT_HPA_SETTINGS, downscaleStabilizationMs: 20_000 };
  w.usagePerPod = 50;
  await w.sync();
  w.usagePerPod = 10;
  w.clock.advance(15_000);
  await w.sync();
  assert.equal(w.replicas, 4);
  w.clock.advance(15_000);
  await w.sync();
  assert.equal(w.replicas, 1);
});

test('behavior policies limit the rate per period and the scale-up window stabilizes', async () => {
  const behavior = {
    scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
    scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
  };
  const w = world({ behavior }, 2);
  w.usagePerPod = 200; // 4x the target: 8 wanted
  await w.sync();
  assert.equal(w.replicas, 3);
  assert.equal(w.condition('ScalingLimited')?.reason, 'ScaleUpLimit');
  w.clock.advance(15_000);
  await w.sync();
  assert.equal(w.replicas, 3, 'one pod per 60 s');
  w.clock.advance(60_000);
  await w.sync();
  assert.equal(w.replicas, 4);
  w.usagePerPod = 5; // 10% of target: 1 wanted; down by 50% per 60 s
  w.clock.advance(60_000);
  await w.sync();
  assert.equal(w.replicas, 2);
  assert.equal(w.condition('ScalingLimited')?.reason, 'ScaleDownLimit');
  assert.equal(w.condition('ScalingLimited')?.message, 'the desired replica count is decreasing faster than the maximum scale rate');
});

test('selectPolicy Disabled never scales that way', async () => {
  const w = world({ behavior: { scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] }, scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } } }, 2);
  w.usagePerPod = 500;
  await w.sync();
  assert.equal(w.replicas, 2);
  assert.equal(w.condition('ScalingLimited')?.reason, 'ScaleUpLimit');
});

test('missing metrics: FailedGetResourceMetric, ScalingActive False, empty metric status', async () => {
  const w = world({}, 2);
  w.usagePerPod = undefined;
  await w.sync();
  assert.equal(w.replicas, 2);
  assert.deepEqual(w.events, [
    'Warning FailedGetResourceMetric failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    'Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
  ]);
  assert.deepEqual(w.condition('ScalingActive'), {
    type: 'ScalingActive',
    status: 'False',
    lastTransitionTime: '2024-01-01T00:00:00Z',
    reason: 'FailedGetResourceMetric',
    message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
  });
  assert.deepEqual((w.hpa.status as Record<string, unknown>).currentMetrics, [{ type: '' }]);
  assert.equal((w.hpa.status as Record<string, unknown>).currentReplicas, 2);
});

test('bounds, a zero target and a scale target that cannot be resolved', async () => {
  const over = world({ maxReplicas: 3 }, 5);
  await over.sync();
  assert.equal(over.replicas, 3);
  assert.deepEqual(over.events, ['Normal SuccessfulRescale New size: 3; reason: Current number of replicas above Spec.MaxReplicas']);
  const zero = world({}, 0);
  await zero.sync();
  assert.equal(zero.replicas, 0);
  assert.equal(zero.condition('ScalingActive')?.reason, 'ScalingDisabled');
  assert.equal(zero.condition('ScalingActive')?.message, 'scaling is disabled since the replica count of the target is zero');
  const bad = world({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Nope', name: 'web' } });
  await bad.sync();
  assert.deepEqual(bad.events, ['Warning FailedGetScale no matches for kind "Nope" in group "apps"']);
  assert.equal(bad.condition('AbleToScale')?.message, 'the HPA controller was unable to get the target\'s current scale: no matches for kind "Nope" in group "apps"');
  await assert.rejects(reconcileAutoscaler(bad.deps, bad.state, 'default/web', bad.hpa), /unable to determine resource for scale target reference: no matches for kind "Nope" in group "apps"/);
});

test('an unchanged status is not written again', async () => {
  const w = world({}, 2);
  let writes = 0;
  const update = w.deps.updateStatus;
  w.deps.updateStatus = async (h) => {
    writes++;
    await update(h);
  };
  await w.sync();
  w.clock.advance(15_000);
  await w.sync();
  assert.equal(writes, 1);
});
