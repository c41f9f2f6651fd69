import type { FilterPlugin, ScorePlugin } from '../../framework/plugin.js';
import { MAX_NODE_SCORE } from '../../framework/plugin.js';
import type { NodeInfo } from '../../framework/node_info.js';
import type { PodInfo } from '../../framework/pod_info.js';
import { SUCCESS, type Status } from '../../framework/status.js';

const tooManyPods: Status = Object.freeze({ code: 'Unschedulable', reasons: Object.freeze(['Too many pods']) });

/** short tells whether want (> 0) exceeds what is left of a resource. */
const short = (want: number, allocatable: number, requested: number): boolean => want > 0 && want > allocatable - requested;

/** leastAllocated is upstream's leastRequestedScore: the free share of one resource, 0–100. */
function leastAllocated(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** shortfall lists every insufficient resource; beyond the whole node preemption cannot help. */
function shortfall(pod: PodInfo, node: NodeInfo, full: boolean): Status {
  const r = pod.requests;
  const a = node.allocatable;
  const used = node.requested;
  const reasons: string[] = full ? ['Too many pods'] : [];
  let unresolvable = false;
  const check = (name: string, want: number, alloc: number, req: number): void => {
    if (!short(want, alloc, req)) return;
    reasons.push(`Insufficient ${name}`);
    if (want > alloc) unresolvable = true;
  };
  check('cpu', r.milliCPU, a.milliCPU, used.milliCPU);
  check('memory', r.memory, a.memory, used.memory);
  check('ephemeral-storage', r.ephemeralStorage, a.ephemeralStorage, used.ephemeralStorage);
  for (const name of pod.scalarNames) check(name, r.scalar[name] ?? 0, a.scalar[name] ?? 0, used.scalar[name] ?? 0);
  return { code: unresolvable ? 'UnschedulableAndUnresolvable' : 'Unschedulable', reasons };
}

/**
 * NodeResourcesFit filters nodes by what is left of status.allocatable (cpu, memory,
 * ephemeral-storage, extended resources and the pod count) after the pods bound or assumed there,
 * reporting every shortfall ("Insufficient cpu", "Too many pods"). Requests larger than the whole
 * node are unresolvable (preemption cannot help). Its score is LeastAllocated over cpu and memory
 * (weights 1), counting 100m/200Mi for containers without requests.
 */
export class NodeResourcesFit implements FilterPlugin, ScorePlugin {
  readonly name = 'NodeResourcesFit';

  /** filter reports all insufficient resources of the node for the pod (allocating only on failure). */
  filter(pod: PodInfo, node: NodeInfo): Status {
    const full = node.pods.size + 1 > node.allowedPods;
    const r = pod.requests;
    const a = node.allocatable;
    const used = node.requested;
    let fits = !short(r.milliCPU, a.milliCPU, used.milliCPU) && !short(r.memory, a.memory, used.memory) && !short(r.ephemeralStorage, a.ephemeralStorage, used.ephemeralStorage);
    for (const name of pod.scalarNames) if (short(r.scalar[name] ?? 0, a.scalar[name] ?? 0, used.scalar[name] ?? 0)) fits = false;
    if (fits) return full ? tooManyPods : SUCCESS;
    return shortfall(pod, node, full);
  }

  /** score is the mean of the free cpu and memory shares after placing the pod. */
  score(pod: PodInfo, node: NodeInfo): number {
    const cpu = leastAllocated(node.nonZeroRequested.milliCPU + pod.nonZero.milliCPU, node.allocatable.milliCPU);
    const mem = leastAllocated(node.nonZeroRequested.memory + pod.nonZero.memory, node.allocatable.memory);
    return Math.floor((cpu + mem) / 2);
  }
}
