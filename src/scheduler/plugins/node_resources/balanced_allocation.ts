import type { ScorePlugin } from '../../framework/plugin.js';
import { MAX_NODE_SCORE } from '../../framework/plugin.js';
import type { NodeInfo } from '../../framework/node_info.js';
import type { PodInfo } from '../../framework/pod_info.js';

/**
 * NodeResourcesBalancedAllocation favours nodes whose cpu and memory would be used in similar
 * proportions with the pod placed: score = (1 − standard deviation of the used fractions) × 100,
 * over the actual requests (as upstream) and skipping resources the node does not offer.
 */
export class NodeResourcesBalancedAllocation implements ScorePlugin {
  readonly name = 'NodeResourcesBalancedAllocation';

  /** score is 100 for perfectly balanced use, lower as cpu and memory shares diverge. */
  score(pod: PodInfo, node: NodeInfo): number {
    const a = node.allocatable;
    const fractions: number[] = [];
    if (a.milliCPU > 0) fractions.push(Math.min(1, (node.requested.milliCPU + pod.requests.milliCPU) / a.milliCPU));
    if (a.memory > 0) fractions.push(Math.min(1, (node.requested.memory + pod.requests.memory) / a.memory));
    if (fractions.length < 2) return MAX_NODE_SCORE;
    const std = Math.abs((fractions[0] ?? 0) - (fractions[1] ?? 0)) / 2;
    return Math.floor((1 - std) * MAX_NODE_SCORE);
  }
}
