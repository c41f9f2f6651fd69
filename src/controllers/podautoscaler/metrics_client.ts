/**
 * The resource metrics client: PodMetrics from metrics.k8s.io/v1beta1 (what metrics-server, or
 * skiff's API server, serves) summed per pod, as upstream's resourceMetricsClient does.
 */
import { arr, field, str } from '../../api/object.js';
import type { Client } from '../../client/client.js';
import type { PodMetricsInfo, ResourceMetricsClient } from './deps.js';
import { milliValue, parseGoDuration, parseTime } from './quantity.js';

/** POD_METRICS is the PodMetrics collection. */
export const POD_METRICS = { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods' };

/**
 * podMetricsInfo sums each pod's containers (or takes the one named container); a pod missing a
 * value is left out. A named container absent from a pod's metrics is an error, as upstream.
 */
export function podMetricsInfo(items: unknown[], resource: string, container: string): PodMetricsInfo {
  const out: PodMetricsInfo = new Map();
  for (const item of items) {
    const name = str(item, 'metadata', 'name');
    if (name === undefined) continue;
    const containers = arr(item, 'containers').filter((c) => container === '' || str(c, 'name') === container);
    if (container !== '' && containers.length === 0) throw new Error(`container ${container} not present in metrics for pod ${str(item, 'metadata', 'namespace') ?? ''}/${name}`);
    let sum = 0;
    let missing = containers.length === 0;
    for (const c of containers) {
      const v = milliValue(field(c, 'usage', resource));
      if (v === undefined) {
        missing = true;
        break;
      }
      sum += v;
    }
    if (!missing) out.set(name, { timestampMs: parseTime(field(item, 'timestamp')) ?? 0, windowMs: parseGoDuration(field(item, 'window')), value: sum });
  }
  return out;
}

/** restResourceMetricsClient lists PodMetrics through the API client. */
export function restResourceMetricsClient(client: Client): ResourceMetricsClient {
  const podMetrics = client.resource(POD_METRICS);
  return {
    async getResourceMetric(resource, namespace, selector, container) {
      let items: unknown[];
      try {
        items = (await podMetrics.list(namespace, selector ? { labelSelector: selector } : {})).items;
      } catch (e) {
        throw new Error(`unable to fetch metrics from resource metrics API: ${(e as Error).message}`);
      }
      if (items.length === 0) throw new Error('no metrics returned from resource metrics API');
      const metrics = podMetricsInfo(items, resource, container);
      return { metrics, timestampMs: parseTime(field(items[0], 'timestamp')) ?? 0 };
    },
  };
}
