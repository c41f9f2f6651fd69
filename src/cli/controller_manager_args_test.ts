import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseControllerManagerArgs } from './controller_manager_args.js';

test('--kube-controller-manager-arg sets the horizontal pod autoscaler flags', () => {
  const s = parseControllerManagerArgs([
    'horizontal-pod-autoscaler-sync-period=1s',
    '--horizontal-pod-autoscaler-downscale-stabilization=1m30s',
    'horizontal-pod-autoscaler-tolerance=0.2',
    'horizontal-pod-autoscaler-cpu-initialization-period=10s',
    'horizontal-pod-autoscaler-initial-readiness-delay=5s',
  ]);
  assert.deepEqual(s.horizontalPodAutoscaler, { syncPeriodMs: 1000, downscaleStabilizationMs: 90_000, tolerance: 0.2, cpuInitializationPeriodMs: 10_000, initialReadinessDelayMs: 5000 });
  assert.deepEqual(parseControllerManagerArgs([]).horizontalPodAutoscaler, {});
});

test('--kube-controller-manager-arg rejects what skiff does not act on', () => {
  assert.throws(() => parseControllerManagerArgs(['node-cidr-mask-size=24']), /unsupported --kube-controller-manager-arg "node-cidr-mask-size=24"/);
  assert.throws(() => parseControllerManagerArgs(['horizontal-pod-autoscaler-sync-period']), /want horizontal-pod-autoscaler-sync-period=VALUE/);
  assert.throws(() => parseControllerManagerArgs(['horizontal-pod-autoscaler-sync-period=soon']), /invalid duration "soon" for --kube-controller-manager-arg horizontal-pod-autoscaler-sync-period/);
  assert.throws(() => parseControllerManagerArgs(['horizontal-pod-autoscaler-tolerance=-1']), /want a non-negative number/);
});
