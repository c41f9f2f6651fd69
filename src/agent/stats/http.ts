import type { ServerResponse } from 'node:http';
import type { CadvisorMachine } from './cadvisor_metrics.js';
import { renderCadvisorMetrics } from './cadvisor_metrics.js';
import type { NodeStatsCollector } from './collector.js';
import { PROM_TEXT_CONTENT_TYPE } from './prom_text.js';
import { renderResourceMetrics } from './resource_metrics.js';
import { renderSummary } from './summary.js';

/** STATS_PATHS are the kubelet API paths served from a NodeStatsCollector. */
export const STATS_PATHS = new Set(['/stats/summary', '/stats/summary/', '/metrics/resource', '/metrics/cadvisor']);

function send(res: ServerResponse, code: number, contentType: string, body: string): void {
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * serveStats answers one of STATS_PATHS from the collector's current snapshot: the Summary API as
 * JSON (500 with the error text when the runtime's stats failed, as the kubelet does), the
 * resource and cAdvisor metrics in the Prometheus text format.
 */
export async function serveStats(pathname: string, collector: NodeStatsCollector, res: ServerResponse, machine?: CadvisorMachine): Promise<void> {
  const snap = await collector.snapshot();
  if (pathname.startsWith('/stats/summary')) {
    if (snap.error !== undefined) return send(res, 500, 'text/plain; charset=utf-8', `Internal Error: failed to get node info: ${snap.error}`);
    return send(res, 200, 'application/json', JSON.stringify(renderSummary(snap)));
  }
  if (pathname === '/metrics/resource') return send(res, 200, PROM_TEXT_CONTENT_TYPE, renderResourceMetrics(snap));
  return send(res, 200, PROM_TEXT_CONTENT_TYPE, renderCadvisorMetrics(snap, machine));
}
