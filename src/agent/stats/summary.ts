import type { JsonObject } from '../../api/types.js';
import { rfc3339 } from '../time.js';
import type { CpuUsage, MemoryUsage, NodeStatsSnapshot } from './types.js';

// Field order and names of k8s.io/kubelet/pkg/apis/stats/v1alpha1; unset values are left out as
// the kubelet's omitempty pointers are.
function cpuJson(c: CpuUsage | undefined): JsonObject | undefined {
  if (!c) return undefined;
  return { time: rfc3339(c.time), ...(c.usageNanoCores !== undefined ? { usageNanoCores: Math.round(c.usageNanoCores) } : {}), usageCoreNanoSeconds: Math.round(c.usageCoreNanoSeconds) };
}

function memoryJson(m: MemoryUsage | undefined): JsonObject | undefined {
  if (!m) return undefined;
  const o: JsonObject = { time: rfc3339(m.time) };
  if (m.availableBytes !== undefined) o['availableBytes'] = Math.round(m.availableBytes);
  if (m.usageBytes !== undefined) o['usageBytes'] = Math.round(m.usageBytes);
  o['workingSetBytes'] = Math.round(m.workingSetBytes);
  if (m.rssBytes !== undefined) o['rssBytes'] = Math.round(m.rssBytes);
  if (m.pageFaults !== undefined) o['pageFaults'] = Math.round(m.pageFaults);
  if (m.majorPageFaults !== undefined) o['majorPageFaults'] = Math.round(m.majorPageFaults);
  return o;
}

function withUsage(o: JsonObject, cpu: CpuUsage | undefined, memory: MemoryUsage | undefined): JsonObject {
  const c = cpuJson(cpu);
  const m = memoryJson(memory);
  if (c) o['cpu'] = c;
  if (m) o['memory'] = m;
  return o;
}

/**
 * renderSummary is the kubelet's GET /stats/summary (stats/v1alpha1 Summary) for CPU and memory:
 * node {nodeName, startTime, cpu, memory} and pods [{podRef, startTime, containers, cpu, memory}].
 */
export function renderSummary(s: NodeStatsSnapshot): JsonObject {
  const node = withUsage({ nodeName: s.nodeName, startTime: rfc3339(s.nodeStartTime) }, s.node.cpu, s.node.memory);
  const pods = s.pods.map((p) => {
    const containers = p.containers.map((c) => withUsage({ name: c.name, startTime: rfc3339(c.startTime) }, c.cpu, c.memory));
    return withUsage({ podRef: { name: p.name, namespace: p.namespace, uid: p.uid }, startTime: rfc3339(p.startTime), containers }, p.cpu, p.memory);
  });
  return { node, pods };
}
