// metrics.k8s.io inside the API server (what metrics-server does): a scrape loop over every
// kubelet's /metrics/resource and NodeMetrics / PodMetrics answered from what it stored.
import type { Logger } from '../../lib/log.js';
import type { ApiCore } from '../core.js';
import type { KubeletClientOptions } from '../node_proxy/kubelet_client.js';
import { keyPrefix } from '../object_store.js';
import { nodeMetricsReader, podMetricsReader } from './readers.js';
import { Scraper } from './scraper.js';
import { MetricsStore } from './store.js';
import { nodeMetricsType, podMetricsType } from './types.js';

export { resourceMetricsTypes, nodeMetricsType, podMetricsType, METRICS_GROUP, METRICS_VERSION } from './types.js';
export { MetricsStore } from './store.js';
export { Scraper } from './scraper.js';
export { parseResourceMetrics } from './resource_text.js';
export { aggregatedMetricsReader } from './cluster_role.js';

/** DEFAULT_METRIC_RESOLUTION_MS is metrics-server's default --metric-resolution. */
export const DEFAULT_METRIC_RESOLUTION_MS = 15_000;

/** ResourceMetricsOptions wire the metrics API to the core it serves from and the kubelets it scrapes. */
export interface ResourceMetricsOptions {
  /** core must serve resourceMetricsTypes() (they are in its registry). */
  core: ApiCore;
  kubelet: KubeletClientOptions;
  logger: Logger;
  resolutionMs?: number;
  concurrency?: number;
}

/** ResourceMetrics is the running metrics API: its store, and stop(). */
export interface ResourceMetrics {
  store: MetricsStore;
  stop(): Promise<void>;
}

/**
 * startResourceMetrics registers the NodeMetrics and PodMetrics readers on core and starts
 * scraping every node (first round at once, then every resolution) until stop().
 */
export function startResourceMetrics(o: ResourceMetricsOptions): ResourceMetrics {
  const resolutionMs = o.resolutionMs ?? DEFAULT_METRIC_RESOLUTION_MS;
  const store = new MetricsStore(resolutionMs);
  const nodes = o.core.registry.lookup('', 'v1', 'nodes')?.type;
  const pods = o.core.registry.lookup('', 'v1', 'pods')?.type;
  if (!nodes || !pods) throw new Error('resource metrics need nodes and pods served');
  const readerOpts = { core: o.core, store, nodes, pods, now: Date.now };
  o.core.readers.set(nodeMetricsType, nodeMetricsReader(readerOpts));
  o.core.readers.set(podMetricsType, podMetricsReader(readerOpts));
  const scraper = new Scraper({
    store,
    nodes: () => o.core.cache(nodes).list(keyPrefix(nodes)).map((x) => x.obj),
    kubelet: o.kubelet,
    logger: o.logger,
    resolutionMs,
    ...(o.concurrency ? { concurrency: o.concurrency } : {}),
  });
  const abort = new AbortController();
  const running = scraper.run(abort.signal).catch((e: Error) => o.logger.error('metrics scraping stopped', { err: e.message }));
  return {
    store,
    async stop() {
      abort.abort();
      await running;
    },
  };
}
