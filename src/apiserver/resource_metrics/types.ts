// metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics: served from memory (get and list only),
// never stored, as metrics-server serves them behind kube-apiserver.
import type { ResourceType, TableColumn } from '../../api/resource.js';
import type { KubeObject } from '../../api/types.js';
import { parseQuantity, cpuQuantity, memoryQuantity } from './quantity.js';

/** METRICS_GROUP is the resource metrics API group. */
export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';

const column = (name: string, format: string): TableColumn => ({ name, type: 'string', format, description: '', priority: 0 });
// metrics-server's Table: name, one column per resource (sorted), the window.
const COLUMNS: TableColumn[] = [{ ...column('Name', 'name'), description: 'Name of the resource' }, column('cpu', 'quantity'), column('memory', 'quantity'), column('Window', 'duration')];

interface UsageLike {
  cpu?: string;
  memory?: string;
}

function usageOf(obj: KubeObject): UsageLike {
  const o = obj as { usage?: UsageLike; containers?: { usage?: UsageLike }[] };
  if (o.usage) return o.usage;
  // A pod's cells are its containers' sums.
  let cpu = 0;
  let memory = 0;
  for (const c of o.containers ?? []) {
    cpu += parseQuantity(c.usage?.cpu ?? '0');
    memory += parseQuantity(c.usage?.memory ?? '0');
  }
  return { cpu: cpuQuantity(Math.round(cpu * 1e9)), memory: memoryQuantity(memory) };
}

function metricsType(kind: string, plural: string, singular: string, namespaced: boolean): ResourceType {
  return {
    group: METRICS_GROUP,
    version: METRICS_VERSION,
    kind,
    plural,
    singular,
    namespaced,
    shortNames: [],
    categories: [],
    nameRule: 'subdomain',
    hasStatus: false,
    tracksGeneration: false,
    subresources: [],
    verbs: ['get', 'list'],
    defaults: () => {},
    validate: () => [],
    columns: COLUMNS,
    row: (obj) => {
      const u = usageOf(obj);
      const window = (obj as { window?: string }).window ?? '';
      return [obj.metadata.name ?? '', u.cpu ?? '', u.memory ?? '', window];
    },
  };
}

/** nodeMetricsType is `nodes` in metrics.k8s.io/v1beta1 (kind NodeMetrics, cluster-scoped). */
export const nodeMetricsType: ResourceType = metricsType('NodeMetrics', 'nodes', 'node', false);
/** podMetricsType is `pods` in metrics.k8s.io/v1beta1 (kind PodMetrics, namespaced). */
export const podMetricsType: ResourceType = metricsType('PodMetrics', 'pods', 'pod', true);

/** resourceMetricsTypes lists the two types, to add to the served resources when metrics-server is on. */
export function resourceMetricsTypes(): ResourceType[] {
  return [nodeMetricsType, podMetricsType];
}
