import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import type { PodMetricsInfo } from './deps.js';
import { rawResourceReplicas, resourceReplicas } from './replica_calculator.js';
import { podMetricsInfo } from './metrics_client.js';
import { milliQuantity, milliValue, parseGoDuration } from './quantity.js';

const NOW = Date.parse('2024-01-01T12:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();
const settings = { tolerance: 0.1, cpuInitializationPeriodMs: 300_000, initialReadinessDelayMs: 30_000 };

interface PodOpts {
  phase?: string;
  ready?: 'True' | 'False';
  startedAgoMs?: number;
  readySinceAgoMs?: number;
  request?: string;
  deleting?: boolean;
}

function pod(name: string, o: PodOpts = {}): KubeObject {
  const start = NOW - (o.startedAgoMs ?? 3_600_000);
  const p: KubeObject = {
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', resources: { requests: { cpu: o.request ?? '1', memory: '100Mi' } } }] },
    status: { phase: o.phase ?? 'Running', startTime: iso(start), conditions: [{ type: 'Ready', status: o.ready ?? 'True', lastTransitionTime: iso(NOW - (o.readySinceAgoMs ?? 3_500_000)) }] },
  };
  if (o.deleting) p.metadata.deletionTimestamp = iso(NOW);
  return p;
}

function metrics(values: Record<string, number>): PodMetricsInfo {
  return new Map(Object.entries(values).map(([k, v]) => [k, { timestampMs: NOW - 5000, windowMs: 30_000, value: v }]));
}

const cases: { name: string; current: number; target: number; pods: KubeObject[]; usage: Record<string, number>; want: number; utilization?: number }[] = [
  { name: 'scale up: 50% average against 30%', current: 3, target: 30, pods: [pod('a'), pod('b'), pod('c')], usage: { a: 300, b: 500, c: 700 }, want: 5, utilization: 50 },
  { name: 'scale down: 28% against 50%', current: 5, target: 50, pods: ['a', 'b', 'c', 'd', 'e'].map((n) => pod(n)), usage: { a: 100, b: 300, c: 500, d: 250, e: 250 }, want: 3, utilization: 28 },
  { name: 'within tolerance: 54% against 50%', current: 2, target: 50, pods: [pod('a'), pod('b')], usage: { a: 540, b: 540 }, want: 2, utilization: 54 },
  { name: 'unready pod counts as 0 on a scale-up', current: 3, target: 50, pods: [pod('a'), pod('b'), pod('c', { ready: 'False', startedAgoMs: 10_000, readySinceAgoMs: 10_000 })], usage: { a: 1000, b: 1000, c: 1000 }, want: 4, utilization: 100 },
  { name: 'pending pod counts as 0 on a scale-up', current: 2, target: 50, pods: [pod('a'), pod('b', { phase: 'Pending' })], usage: { a: 1000 }, want: 2, utilization: 100 },
  { name: 'missing pod counts as 100% of its request on a scale-down', current: 3, target: 50, pods: [pod('a'), pod('b'), pod('c')], usage: { a: 100, b: 100 }, want: 3, utilization: 10 },
  { name: 'missing pods count as 0 on a scale-up', current: 4, target: 50, pods: ['a', 'b', 'c', 'd'].map((n) => pod(n)), usage: { a: 1000, b: 1000 }, want: 4, utilization: 100 },
  { name: 'deleted and failed pods are ignored', current: 3, target: 50, pods: [pod('a'), pod('b', { deleting: true }), pod('c', { phase: 'Failed' })], usage: { a: 1000, b: 0, c: 0 }, want: 2, utilization: 100 },
  { name: 'a pod in its cpu initialization period without a full metric window since ready is unready', current: 2, target: 50, pods: [pod('a'), pod('b', { startedAgoMs: 60_000, readySinceAgoMs: 10_000 })], usage: { a: 1000, b: 1000 }, want: 2, utilization: 100 },
];

for (const c of cases) {
  test(`resource utilization: ${c.name}`, () => {
    const r = resourceReplicas(c.current, c.target, 'cpu', '', c.pods, metrics(c.usage), settings, NOW);
    assert.equal(r.replicas, c.want);
    if (c.utilization !== undefined) assert.equal(r.utilization, c.utilization);
  });
}

test('resource utilization errors as upstream', () => {
  assert.throws(() => resourceReplicas(1, 50, 'cpu', '', [], metrics({}), settings, NOW), /no pods returned by selector while calculating replica count/);
  assert.throws(() => resourceReplicas(1, 50, 'cpu', '', [pod('a', { phase: 'Pending' })], metrics({ a: 1 }), settings, NOW), /did not receive metrics for targeted pods \(pods might be unready\)/);
  const noRequest = pod('a');
  (noRequest.spec as { containers: { resources: object }[] }).containers[0]!.resources = {};
  assert.throws(() => resourceReplicas(1, 50, 'cpu', '', [noRequest], metrics({ a: 1 }), settings, NOW), /missing request for cpu in container app of Pod a/);
  assert.throws(() => resourceReplicas(1, 50, 'cpu', '', [pod('a')], metrics({ other: 1 }), settings, NOW), /did not receive metrics|no metrics returned matched known pods/);
});

test('average value targets (memory)', () => {
  const pods = [pod('a'), pod('b')];
  const mi = 1024 * 1024 * 1000;
  assert.deepEqual(rawResourceReplicas(2, 100 * mi, 'memory', pods, metrics({ a: 150 * mi, b: 250 * mi }), settings, NOW), { replicas: 4, usage: 200 * mi });
  assert.equal(rawResourceReplicas(2, 100 * mi, 'memory', pods, metrics({ a: 100 * mi, b: 105 * mi }), settings, NOW).replicas, 2);
  // Memory readiness does not matter: an unready pod still counts.
  assert.equal(rawResourceReplicas(2, 100 * mi, 'memory', [pod('a'), pod('b', { ready: 'False' })], metrics({ a: 50 * mi, b: 50 * mi }), settings, NOW).replicas, 1);
});

test('pod metrics are summed per pod; a pod missing a container value is left out', () => {
  const items = [
    { metadata: { name: 'a' }, timestamp: '2024-01-01T12:00:00Z', window: '10.5s', containers: [{ name: 'app', usage: { cpu: '250m', memory: '10Mi' } }, { name: 'side', usage: { cpu: '12500000n', memory: '1Mi' } }] },
    { metadata: { name: 'b' }, timestamp: '2024-01-01T12:00:00Z', window: '10s', containers: [{ name: 'app', usage: { memory: '5Mi' } }] },
  ];
  const m = podMetricsInfo(items, 'cpu', '');
  assert.deepEqual([...m.keys()], ['a']);
  assert.equal(m.get('a')!.value, 263);
  assert.equal(m.get('a')!.windowMs, 10_500);
  assert.equal(podMetricsInfo(items, 'cpu', 'app').get('a')!.value, 250);
  assert.throws(() => podMetricsInfo(items, 'cpu', 'nope'), /container nope not present in metrics for pod \/a/);
});

test('quantities in milli-units', () => {
  assert.equal(milliValue('100m'), 100);
  assert.equal(milliValue('1.5'), 1500);
  assert.equal(milliValue('1n'), 1);
  assert.equal(milliQuantity(250), '250m');
  assert.equal(milliQuantity(2000), '2');
  assert.equal(milliQuantity(104857600000), '104857600');
  assert.equal(parseGoDuration('1m0s'), 60_000);
});
