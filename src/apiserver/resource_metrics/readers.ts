// The get and list answers of NodeMetrics and PodMetrics, from the store and the API server's own
// node and pod caches (metrics-server's listers): no scraping per request.
import { errors } from '../../api/errors.js';
import { str } from '../../api/object.js';
import type { ResourceType } from '../../api/resource.js';
import type { KubeObject } from '../../api/types.js';
import type { ApiCore, ListResult, Reader } from '../core.js';
import { keyPrefix, objectKey } from '../object_store.js';
import type { ListOptions, Scope } from '../scope.js';
import { rfc3339, type MetricsStore, type NodeUsage, type PodUsage } from './store.js';
import { METRICS_GROUP, METRICS_VERSION } from './types.js';

const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;
const NODE_METRICS = { group: METRICS_GROUP, resource: 'nodemetrics' };
const POD_METRICS = { group: METRICS_GROUP, resource: 'podmetrics' };


function metadataOf(obj: KubeObject, now: string): KubeObject['metadata'] {
  const m: KubeObject['metadata'] = { name: obj.metadata.name ?? '' };
  if (obj.metadata.namespace) m.namespace = obj.metadata.namespace;
  m.creationTimestamp = now;
  if (obj.metadata.labels) m.labels = obj.metadata.labels;
  return m;
}

/** nodeMetrics is a NodeMetrics object for a Node and its usage. */
export function nodeMetrics(node: KubeObject, u: NodeUsage, now: string): KubeObject {
  return { kind: 'NodeMetrics', apiVersion: API_VERSION, metadata: metadataOf(node, now), timestamp: u.timestamp, window: u.window, usage: u.usage };
}

/** podMetrics is a PodMetrics object for a Pod and its usage. */
export function podMetrics(pod: KubeObject, u: PodUsage, now: string): KubeObject {
  return { kind: 'PodMetrics', apiVersion: API_VERSION, metadata: metadataOf(pod, now), timestamp: u.timestamp, window: u.window, containers: u.containers };
}

/** MetricsReaderOptions: the store, the core whose caches hold Nodes and Pods, and the clock. */
export interface MetricsReaderOptions {
  core: ApiCore;
  store: MetricsStore;
  nodes: ResourceType;
  pods: ResourceType;
  now: () => number;
}

/**
 * nodeMetricsReader answers NodeMetrics: a Node that does not exist is `nodes "x" not found`, one
 * without two samples yet `nodemetrics.metrics.k8s.io "x" not found` (metrics-server's errors);
 * lists filter Nodes by label and field selector and leave out those without usage.
 */
export function nodeMetricsReader(o: MetricsReaderOptions): Reader {
  const cache = () => o.core.cache(o.nodes);
  return {
    get(_scope: Scope, name: string): KubeObject {
      const node = cache().get(objectKey(o.nodes, '', name))?.obj;
      if (!node) throw errors.notFound({ group: '', resource: 'nodes' }, name);
      const u = o.store.node(name);
      if (!u) throw errors.notFound(NODE_METRICS, name);
      return nodeMetrics(node, u, rfc3339(o.now()));
    },
    list(scope: Scope, opts: ListOptions): ListResult {
      const filter = o.core.filterFor(scope.served.type, opts);
      const now = rfc3339(o.now());
      const items: KubeObject[] = [];
      for (const { obj } of cache().list(keyPrefix(o.nodes))) {
        if (!filter(obj)) continue;
        const u = o.store.node(obj.metadata.name ?? '');
        if (u) items.push(nodeMetrics(obj, u, now));
      }
      return { items, resourceVersion: '' };
    },
  };
}

/** isRunning: metrics-server watches Running pods only (its pod informer's status.phase=Running). */
function isRunning(pod: KubeObject): boolean {
  return str(pod, 'status', 'phase') === 'Running';
}

/**
 * podMetricsReader answers PodMetrics in a namespace (all namespaces for a list without one):
 * `pods "x" not found` for a pod that does not exist or is not Running,
 * `podmetrics.metrics.k8s.io "ns/x" not found` for one without usage yet.
 */
export function podMetricsReader(o: MetricsReaderOptions): Reader {
  const cache = () => o.core.cache(o.pods);
  return {
    get(scope: Scope, name: string): KubeObject {
      const pod = cache().get(objectKey(o.pods, scope.namespace, name))?.obj;
      if (!pod || !isRunning(pod)) throw errors.notFound({ group: '', resource: 'pods' }, name);
      const u = o.store.pod(scope.namespace, name);
      if (!u) throw errors.notFound(POD_METRICS, `${scope.namespace}/${name}`);
      return podMetrics(pod, u, rfc3339(o.now()));
    },
    list(scope: Scope, opts: ListOptions): ListResult {
      const filter = o.core.filterFor(scope.served.type, opts);
      const now = rfc3339(o.now());
      const items: KubeObject[] = [];
      for (const { obj } of cache().list(keyPrefix(o.pods, scope.namespace))) {
        if (!isRunning(obj) || !filter(obj)) continue;
        const u = o.store.pod(obj.metadata.namespace ?? '', obj.metadata.name ?? '');
        if (u) items.push(podMetrics(obj, u, now));
      }
      return { items, resourceVersion: '' };
    },
  };
}
