import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../lib/clock.js';
import { renderCadvisorMetrics } from './cadvisor_metrics.js';
import { NodeStatsCollector } from './collector.js';
import { cpuFromProcStat, parseMeminfo } from './host.js';
import { parsePromText } from './prom_text.js';
import { renderResourceMetrics } from './resource_metrics.js';
import { renderSummary } from './summary.js';
import type { NodeStatsSnapshot } from './types.js';

const T = 1_700_000_000_000;

function snapshot(): NodeStatsSnapshot {
  return {
    nodeName: 'node-1',
    nodeStartTime: T - 3_600_000,
    machine: { cpuCores: 2, memoryBytes: 4 * 2 ** 30 },
    node: { cpu: { time: T, usageCoreNanoSeconds: 357_354_910_000, usageNanoCores: 250_000_000 }, memory: { time: T, workingSetBytes: 1_073_741_824, usageBytes: 2e9, rssBytes: 5e8, availableBytes: 3_221_225_472 } },
    pods: [{
      namespace: 'default', name: 'web', uid: 'u1', startTime: T - 60_000, cgroup: '/kubepods/burstable/podu1',
      containers: [{ name: 'app', startTime: T - 59_000, id: 'abc', image: 'docker.io/library/nginx:1.25', memoryLimitBytes: 134_217_728, cpu: { time: T, usageCoreNanoSeconds: 1_500_000_000, usageNanoCores: 25_000_000 }, memory: { time: T, workingSetBytes: 16_777_216, rssBytes: 12_000_000, usageBytes: 20_000_000 } }],
      cpu: { time: T, usageCoreNanoSeconds: 1_500_000_000, usageNanoCores: 25_000_000 },
      memory: { time: T, workingSetBytes: 16_777_216 },
    }],
  };
}

test('/metrics/resource is the kubelet 1.32 text', () => {
  assert.equal(renderResourceMetrics(snapshot()), [
    '# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds',
    '# TYPE container_cpu_usage_seconds_total counter',
    'container_cpu_usage_seconds_total{container="app",namespace="default",pod="web"} 1.5 1700000000000',
    '# HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes',
    '# TYPE container_memory_working_set_bytes gauge',
    'container_memory_working_set_bytes{container="app",namespace="default",pod="web"} 1.6777216e+07 1700000000000',
    '# HELP container_start_time_seconds [STABLE] Start time of the container since unix epoch in seconds',
    '# TYPE container_start_time_seconds gauge',
    'container_start_time_seconds{container="app",namespace="default",pod="web"} 1.699999941e+09',
    '# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds',
    '# TYPE node_cpu_usage_seconds_total counter',
    'node_cpu_usage_seconds_total 357.35491 1700000000000',
    '# HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes',
    '# TYPE node_memory_working_set_bytes gauge',
    'node_memory_working_set_bytes 1.073741824e+09 1700000000000',
    '# HELP pod_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the pod in core-seconds',
    '# TYPE pod_cpu_usage_seconds_total counter',
    'pod_cpu_usage_seconds_total{namespace="default",pod="web"} 1.5 1700000000000',
    '# HELP pod_memory_working_set_bytes [STABLE] Current working set of the pod in bytes',
    '# TYPE pod_memory_working_set_bytes gauge',
    'pod_memory_working_set_bytes{namespace="default",pod="web"} 1.6777216e+07 1700000000000',
    '# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise',
    '# TYPE resource_scrape_error gauge',
    'resource_scrape_error 0',
    '',
  ].join('\n'));
  const failed = renderResourceMetrics({ ...snapshot(), node: {}, pods: [], error: 'runtime down' });
  assert.equal(failed.split('\n').filter((l) => !l.startsWith('#')).join('\n'), 'resource_scrape_error 1\n');
});

test('/stats/summary is the stats/v1alpha1 Summary for CPU and memory', () => {
  assert.deepEqual(renderSummary(snapshot()), {
    node: {
      nodeName: 'node-1', startTime: '2023-11-14T21:13:20Z',
      cpu: { time: '2023-11-14T22:13:20Z', usageNanoCores: 250_000_000, usageCoreNanoSeconds: 357_354_910_000 },
      memory: { time: '2023-11-14T22:13:20Z', availableBytes: 3_221_225_472, usageBytes: 2e9, workingSetBytes: 1_073_741_824, rssBytes: 5e8 },
    },
    pods: [{
      podRef: { name: 'web', namespace: 'default', uid: 'u1' }, startTime: '2023-11-14T22:12:20Z',
      containers: [{ name: 'app', startTime: '2023-11-14T22:12:21Z', cpu: { time: '2023-11-14T22:13:20Z', usageNanoCores: 25_000_000, usageCoreNanoSeconds: 1_500_000_000 }, memory: { time: '2023-11-14T22:13:20Z', usageBytes: 20_000_000, workingSetBytes: 16_777_216, rssBytes: 12_000_000 } }],
      cpu: { time: '2023-11-14T22:13:20Z', usageNanoCores: 25_000_000, usageCoreNanoSeconds: 1_500_000_000 },
      memory: { time: '2023-11-14T22:13:20Z', workingSetBytes: 16_777_216 },
    }],
  });
});

test('/metrics/cadvisor has a row for the root, the pod cgroup and each container', () => {
  const m = parsePromText(renderCadvisorMetrics(snapshot(), { machineID: 'm1' }));
  const cpu = m.get('container_cpu_usage_seconds_total');
  assert.equal(cpu?.help, 'Cumulative cpu time consumed in seconds.');
  assert.deepEqual(cpu?.samples.map((s) => s.labels), [
    { container: '', cpu: 'total', id: '/', image: '', name: '', namespace: '', pod: '' },
    { container: '', cpu: 'total', id: '/kubepods/burstable/podu1', image: '', name: '', namespace: 'default', pod: 'web' },
    { container: 'app', cpu: 'total', id: '/kubepods/burstable/podu1/abc', image: 'docker.io/library/nginx:1.25', name: 'abc', namespace: 'default', pod: 'web' },
  ]);
  assert.equal(cpu?.samples[2]?.timestampMs, T);
  assert.equal(m.get('container_memory_rss')?.samples.find((s) => s.labels['container'] === 'app')?.value, 12_000_000);
  assert.equal(m.get('container_spec_memory_limit_bytes')?.samples.find((s) => s.labels['container'] === 'app')?.value, 134_217_728);
  assert.equal(m.get('container_memory_working_set_bytes')?.samples.length, 3);
  assert.deepEqual(m.get('machine_cpu_cores')?.samples, [{ labels: { boot_id: '', machine_id: 'm1', system_uuid: '' }, value: 2 }]);
  assert.equal(m.get('machine_memory_bytes')?.samples[0]?.value, 4 * 2 ** 30);
});

test('the collector serves one collection per interval and fills rates and available memory', async () => {
  const clock = new FakeClock(T);
  let calls = 0;
  let cpuNs = 0;
  const collector = new NodeStatsCollector({
    nodeName: 'n', clock, machine: { cpuCores: 1, memoryBytes: 1000 },
    source: () => {
      calls++;
      const now = clock.now();
      return Promise.resolve({ node: { cpu: { time: now, usageCoreNanoSeconds: cpuNs }, memory: { time: now, workingSetBytes: 400 } }, pods: [] });
    },
  });
  const first = await collector.snapshot();
  assert.equal(first.node.cpu?.usageNanoCores, undefined, 'no rate before a second sample');
  assert.equal(first.node.memory?.availableBytes, 600);
  clock.advance(5_000);
  await collector.snapshot();
  assert.equal(calls, 1, 'cached within the housekeeping interval');
  clock.advance(5_000);
  cpuNs = 5e9; // half a core over 10 s
  const second = await collector.snapshot();
  assert.equal(calls, 2);
  assert.equal(second.node.cpu?.usageNanoCores, 500_000_000);
});

test('the collector reports a failing source as a scrape error', async () => {
  const collector = new NodeStatsCollector({ nodeName: 'n', clock: new FakeClock(T), machine: { cpuCores: 1, memoryBytes: 1 }, source: () => Promise.reject(new Error('CRI down')) });
  const s = await collector.snapshot();
  assert.equal(s.error, 'CRI down');
  assert.deepEqual(s.pods, []);
});

test('host figures come from /proc/stat and /proc/meminfo', () => {
  assert.equal(cpuFromProcStat('cpu  100 5 50 9000 20 1 2 3 0 0\ncpu0 1 2 3\n'), (100 + 5 + 50 + 1 + 2 + 3) * 1e7);
  const m = parseMeminfo('MemTotal:       16384 kB\nMemFree:         1024 kB\nInactive(file):   2048 kB\nHugePages_Total:       0\n');
  assert.equal(m.get('MemTotal'), 16384 * 1024);
  assert.equal(m.get('Inactive(file)'), 2048 * 1024);
  assert.equal(m.get('HugePages_Total'), 0);
});
