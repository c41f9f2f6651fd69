import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsStore, usageBetween } from './store.js';
import type { ContainerPoint, MetricsPoint } from './resource_text.js';

const point = (timestampMs: number, cpuSeconds: number, memoryBytes: number, startTimeMs = 0): MetricsPoint => ({ timestampMs, cpuSeconds, memoryBytes, startTimeMs });
const container = (name: string, p: MetricsPoint): ContainerPoint => ({ name, ...p });

test('usageBetween is the CPU rate over the window and the last working set', () => {
  const cases: { prev: MetricsPoint; last: MetricsPoint; cpu: string; memory: string; windowMs: number }[] = [
    // 1.5 core-seconds over 15 s = 0.1 core.
    { prev: point(1_000, 10, 1024), last: point(16_000, 11.5, 2 ** 20), cpu: '100m', memory: '1Mi', windowMs: 15_000 },
    // 0.001851852 core-seconds over 15 s.
    { prev: point(0, 1, 4096), last: point(15_000, 1.001851852, 12_641_280), cpu: '123456n', memory: '12345Ki', windowMs: 15_000 },
    // 2 cores for 20 s.
    { prev: point(0, 100, 1), last: point(20_000, 140, 3 * 2 ** 30), cpu: '2', memory: '3Gi', windowMs: 20_000 },
  ];
  for (const c of cases) {
    const u = usageBetween(c.prev, c.last);
    assert.deepEqual(u, { timestampMs: c.last.timestampMs, windowMs: c.windowMs, usage: { cpu: c.cpu, memory: c.memory } });
  }
  assert.equal(usageBetween(point(0, 5, 1), point(15_000, 4, 1)), undefined, 'a counter reset has no rate');
  assert.equal(usageBetween(point(15_000, 5, 1), point(15_000, 6, 1)), undefined, 'no window, no rate');
});

test('MetricsStore needs two samples, keeps only the last two, forgets what a scrape misses', () => {
  const s = new MetricsStore(15_000);
  // Container samples from 1 s on: a start time (0: unknown) before the stored sample means no restart.
  const pod = (t: number, cpu: number) => ({ namespace: 'default', name: 'web', containers: [container('app', point(t + 1_000, cpu, 2048))] });
  s.store({ nodes: new Map([['n1', point(0, 100, 2 ** 30)]]), pods: [pod(0, 1)] });
  assert.equal(s.node('n1'), undefined);
  assert.equal(s.pod('default', 'web'), undefined);
  s.store({ nodes: new Map([['n1', point(15_000, 115, 2 ** 30)]]), pods: [pod(15_000, 2.5)] });
  assert.deepEqual(s.node('n1'), { timestampMs: 15_000, windowMs: 15_000, timestamp: '1970-01-01T00:00:15Z', window: '15s', usage: { cpu: '1', memory: '1Gi' } });
  assert.deepEqual(s.pod('default', 'web'), { timestampMs: 16_000, windowMs: 15_000, timestamp: '1970-01-01T00:00:16Z', window: '15s', containers: [{ name: 'app', usage: { cpu: '100m', memory: '2Ki' } }] });
  // The same sample again (the kubelet had nothing newer): the previous one stays.
  s.store({ nodes: new Map([['n1', point(15_000, 115, 2 ** 30)]]), pods: [pod(15_000, 2.5)] });
  assert.equal(s.pod('default', 'web')?.windowMs, 15_000);
  s.store({ nodes: new Map([['n1', point(30_000, 145, 2 ** 30)]]), pods: [pod(30_000, 2.5)] });
  assert.equal(s.node('n1')?.usage.cpu, '2');
  assert.equal(s.pod('default', 'web')?.containers[0]?.usage.cpu, '0');
  s.store({ nodes: new Map(), pods: [] });
  assert.equal(s.node('n1'), undefined);
  assert.deepEqual(s.counts(), { nodes: 0, pods: 0 });
});

test('MetricsStore skips a pod until every container has two samples', () => {
  const s = new MetricsStore(15_000);
  s.store({ nodes: new Map(), pods: [{ namespace: 'd', name: 'p', containers: [container('a', point(1_000, 1, 4096))] }] });
  s.store({ nodes: new Map(), pods: [{ namespace: 'd', name: 'p', containers: [container('a', point(15_000, 2, 4096)), container('b', point(15_000, 1, 4096))] }] });
  assert.equal(s.pod('d', 'p'), undefined, 'container b is new');
  s.store({ nodes: new Map(), pods: [{ namespace: 'd', name: 'p', containers: [container('a', point(30_000, 3, 4096)), container('b', point(30_000, 1.5, 4096))] }] });
  assert.deepEqual(s.pod('d', 'p')?.containers.map((c) => c.name), ['a', 'b']);
});

test('MetricsStore measures a fresh container from its start and a restarted one anew', () => {
  const s = new MetricsStore(15_000);
  // Started 12 s before its first sample (within one period, over the 10 s minimum): usage at once.
  s.store({ nodes: new Map(), pods: [{ namespace: 'd', name: 'p', containers: [container('a', point(112_000, 1.2, 4096, 100_000))] }] });
  assert.deepEqual(s.pod('d', 'p'), { timestampMs: 112_000, windowMs: 12_000, timestamp: '1970-01-01T00:01:52Z', window: '12s', containers: [{ name: 'a', usage: { cpu: '100m', memory: '4Ki' } }] });
  // It restarts (start after the stored sample) 40 s later: no usage until a second sample.
  s.store({ nodes: new Map(), pods: [{ namespace: 'd', name: 'p', containers: [container('a', point(160_000, 0.1, 4096, 130_000))] }] });
  assert.equal(s.pod('d', 'p'), undefined);
});
