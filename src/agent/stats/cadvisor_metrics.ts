import { renderFamilies, type MetricFamily } from './prom_text.js';
import type { CpuUsage, MemoryUsage, NodeStatsSnapshot } from './types.js';

/** CadvisorMachine labels the machine_* metrics as cAdvisor does. */
export interface CadvisorMachine {
  bootID?: string;
  machineID?: string;
  systemUUID?: string;
}

const family = (name: string, type: 'counter' | 'gauge', help: string): MetricFamily => ({ name, type, help, samples: [] });

/** Row is one cgroup cAdvisor reports: the root ("/"), a pod's cgroup (container "") or a container's. */
interface Row {
  labels: Record<string, string>;
  cpu?: CpuUsage | undefined;
  memory?: MemoryUsage | undefined;
  memoryLimitBytes?: number;
  startTime?: number;
}

/**
 * renderCadvisorMetrics writes a collection as the kubelet's /metrics/cadvisor: one row per cgroup
 * (the root `/`, each pod's cgroup with container="", each container with its image and runtime
 * id as `name`), labels container, id, image, name, namespace, pod (and cpu="total" on CPU), sample
 * timestamps in ms; machine_cpu_cores and machine_memory_bytes.
 */
export function renderCadvisorMetrics(s: NodeStatsSnapshot, machine: CadvisorMachine = {}): string {
  const cpu = family('container_cpu_usage_seconds_total', 'counter', 'Cumulative cpu time consumed in seconds.');
  const ws = family('container_memory_working_set_bytes', 'gauge', 'Current working set in bytes.');
  const rss = family('container_memory_rss', 'gauge', 'Size of RSS in bytes.');
  const usage = family('container_memory_usage_bytes', 'gauge', 'Current memory usage in bytes, including all memory regardless of when it was accessed');
  const limit = family('container_spec_memory_limit_bytes', 'gauge', 'Memory limit for the container.');
  const start = family('container_start_time_seconds', 'gauge', 'Start time of the container since unix epoch in seconds.');
  const cores = family('machine_cpu_cores', 'gauge', 'Number of logical CPU cores.');
  const memBytes = family('machine_memory_bytes', 'gauge', 'Amount of memory installed on the machine.');
  const rows: Row[] = [{ labels: { container: '', id: '/', image: '', name: '', namespace: '', pod: '' }, cpu: s.node.cpu, memory: s.node.memory, startTime: s.nodeStartTime }];
  for (const p of s.pods) {
    const podCgroup = p.cgroup ?? `/kubepods/pod${p.uid}`;
    rows.push({ labels: { container: '', id: podCgroup, image: '', name: '', namespace: p.namespace, pod: p.name }, cpu: p.cpu, memory: p.memory, startTime: p.startTime });
    for (const c of p.containers) {
      rows.push({ labels: { container: c.name, id: `${podCgroup}/${c.id}`, image: c.image, name: c.id, namespace: p.namespace, pod: p.name }, cpu: c.cpu, memory: c.memory, memoryLimitBytes: c.memoryLimitBytes, startTime: c.startTime });
    }
  }
  for (const r of rows) {
    if (r.cpu) cpu.samples.push({ labels: { ...r.labels, cpu: 'total' }, value: r.cpu.usageCoreNanoSeconds / 1e9, timestampMs: r.cpu.time });
    const m = r.memory;
    if (m) {
      ws.samples.push({ labels: r.labels, value: m.workingSetBytes, timestampMs: m.time });
      if (m.rssBytes !== undefined) rss.samples.push({ labels: r.labels, value: m.rssBytes, timestampMs: m.time });
      if (m.usageBytes !== undefined) usage.samples.push({ labels: r.labels, value: m.usageBytes, timestampMs: m.time });
    }
    const at = m?.time ?? r.cpu?.time;
    limit.samples.push({ labels: r.labels, value: r.memoryLimitBytes ?? 0, ...(at !== undefined ? { timestampMs: at } : {}) });
    if (r.startTime !== undefined && r.startTime > 0) start.samples.push({ labels: r.labels, value: r.startTime / 1000, ...(at !== undefined ? { timestampMs: at } : {}) });
  }
  const machineLabels = { boot_id: machine.bootID ?? '', machine_id: machine.machineID ?? '', system_uuid: machine.systemUUID ?? '' };
  cores.samples.push({ labels: machineLabels, value: s.machine.cpuCores });
  memBytes.samples.push({ labels: machineLabels, value: s.machine.memoryBytes });
  return renderFamilies([cpu, ws, rss, usage, limit, start, cores, memBytes]);
}
