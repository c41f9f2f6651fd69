// Node resource usage for the kubelet API (/stats/summary, /metrics/resource, /metrics/cadvisor); see README.md.
export { HOUSEKEEPING_MS, NodeStatsCollector, type NodeStatsOptions } from './collector.js';
export { serveStats, STATS_PATHS } from './http.js';
export { goFloat, parsePromText, PROM_TEXT_CONTENT_TYPE, renderFamilies, type MetricFamily, type Sample } from './prom_text.js';
export { renderResourceMetrics } from './resource_metrics.js';
export { renderCadvisorMetrics, type CadvisorMachine } from './cadvisor_metrics.js';
export { renderSummary } from './summary.js';
export { readHostUsage } from './host.js';
export { machineOf } from './machine.js';
export type { ContainerUsage, CpuUsage, MemoryUsage, NodeStatsSnapshot, NodeUsage, PodUsage, RuntimeStats } from './types.js';
