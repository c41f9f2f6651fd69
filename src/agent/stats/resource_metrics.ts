import { escapeLabel, goFloat } from './prom_text.js';
import type { NodeStatsSnapshot } from './types.js';

// The kubelet's /metrics/resource (pkg/kubelet/metrics/collectors): stable metrics carry a
// "[STABLE] " help prefix, samples carry the stats' own timestamps (ms), start times do not.
// Written straight from the snapshot, families in name order, labels sorted (container, namespace,
// pod): this is the endpoint metrics-server scrapes from every node, so it makes no per-sample objects.

function section(name: string, type: 'counter' | 'gauge', help: string, body: string): string {
  return body ? `# HELP ${name} [STABLE] ${help}\n# TYPE ${name} ${type}\n${body}` : '';
}

const at = (ms: number): string => String(Math.round(ms));

/**
 * renderResourceMetrics writes a collection as the kubelet 1.32 /metrics/resource: node, pod and
 * container CPU (core-seconds, counters) and working set (bytes), container start times and
 * resource_scrape_error (1 when the runtime's stats failed). scrape_error, deprecated in 1.29,
 * is hidden in 1.32 and left out.
 */
export function renderResourceMetrics(s: NodeStatsSnapshot): string {
  let cCpu = '';
  let cMem = '';
  let cStart = '';
  let pCpu = '';
  let pMem = '';
  for (const p of s.pods) {
    const podLabels = `namespace="${escapeLabel(p.namespace)}",pod="${escapeLabel(p.name)}"}`;
    for (const c of p.containers) {
      const labels = `{container="${escapeLabel(c.name)}",${podLabels}`;
      if (c.cpu) cCpu += `container_cpu_usage_seconds_total${labels} ${goFloat(c.cpu.usageCoreNanoSeconds / 1e9)} ${at(c.cpu.time)}\n`;
      if (c.memory) cMem += `container_memory_working_set_bytes${labels} ${goFloat(c.memory.workingSetBytes)} ${at(c.memory.time)}\n`;
      if (c.startTime > 0) cStart += `container_start_time_seconds${labels} ${goFloat(c.startTime / 1000)}\n`;
    }
    if (p.cpu) pCpu += `pod_cpu_usage_seconds_total{${podLabels} ${goFloat(p.cpu.usageCoreNanoSeconds / 1e9)} ${at(p.cpu.time)}\n`;
    if (p.memory) pMem += `pod_memory_working_set_bytes{${podLabels} ${goFloat(p.memory.workingSetBytes)} ${at(p.memory.time)}\n`;
  }
  const n = s.node;
  return (
    section('container_cpu_usage_seconds_total', 'counter', 'Cumulative cpu time consumed by the container in core-seconds', cCpu) +
    section('container_memory_working_set_bytes', 'gauge', 'Current working set of the container in bytes', cMem) +
    section('container_start_time_seconds', 'gauge', 'Start time of the container since unix epoch in seconds', cStart) +
    section('node_cpu_usage_seconds_total', 'counter', 'Cumulative cpu time consumed by the node in core-seconds', n.cpu ? `node_cpu_usage_seconds_total ${goFloat(n.cpu.usageCoreNanoSeconds / 1e9)} ${at(n.cpu.time)}\n` : '') +
    section('node_memory_working_set_bytes', 'gauge', 'Current working set of the node in bytes', n.memory ? `node_memory_working_set_bytes ${goFloat(n.memory.workingSetBytes)} ${at(n.memory.time)}\n` : '') +
    section('pod_cpu_usage_seconds_total', 'counter', 'Cumulative cpu time consumed by the pod in core-seconds', pCpu) +
    section('pod_memory_working_set_bytes', 'gauge', 'Current working set of the pod in bytes', pMem) +
    section('resource_scrape_error', 'gauge', '1 if there was an error while getting container metrics, 0 otherwise', `resource_scrape_error ${s.error === undefined ? 0 : 1}\n`)
  );
}
