import type { NodeInfo } from './node_info.js';
import type { PodInfo } from './pod_info.js';
import { unresolvable, type Status } from './status.js';

/** NO_NODES_MESSAGE is upstream's error when the cluster has no nodes at all. */
export const NO_NODES_MESSAGE = 'no nodes available to schedule pods';

/**
 * fitErrorMessage formats upstream's FitError: "0/N nodes are available: <count reason>, ….",
 * with one "count reason" per distinct reason, sorted as strings, then the PostFilter message.
 */
export function fitErrorMessage(numAllNodes: number, statuses: ReadonlyMap<string, Status>, postFilterMsg = ''): string {
  if (numAllNodes === 0) return NO_NODES_MESSAGE;
  const histogram = new Map<string, number>();
  for (const s of statuses.values()) for (const r of s.reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
  const parts = [...histogram].map(([reason, n]) => `${n} ${reason}`).sort();
  let msg = `0/${numAllNodes} nodes are available:`;
  if (parts.length) msg += ` ${parts.join(', ')}.`;
  if (postFilterMsg) msg += ` ${postFilterMsg}`;
  return msg;
}

/**
 * preFilterErrorMessage is FitError's wording when a PreFilter plugin rejected the pod outright:
 * "0/N nodes are available: <its message>." then the PostFilter message.
 */
export function preFilterErrorMessage(numAllNodes: number, rejected: Status, postFilterMsg = ''): string {
  if (numAllNodes === 0) return NO_NODES_MESSAGE;
  let msg = `0/${numAllNodes} nodes are available: ${rejected.reasons.join(', ')}.`;
  if (postFilterMsg) msg += ` ${postFilterMsg}`;
  return msg;
}

const notHelpful = unresolvable('Preemption is not helpful for scheduling');
const noVictims = unresolvable('No preemption victims found for incoming pod');

function hasLowerPriorityPod(pod: PodInfo, node: NodeInfo | undefined): boolean {
  if (!node) return false;
  for (const p of node.pods.values()) if (p.priority < pod.priority) return true;
  return false;
}

/**
 * preemptionMessage is the DefaultPreemption PostFilter's verdict, phrased as upstream's. skiff
 * does not preempt: nodes failing for unresolvable reasons are "not helpful", nodes failing only
 * for resources count as having no victims; a pod that could evict lower-priority pods is told
 * so (preemption itself is not implemented).
 */
export function preemptionMessage(pod: PodInfo, statuses: ReadonlyMap<string, Status>, numAllNodes: number, nodeInfo: (name: string) => NodeInfo | undefined): string {
  if (pod.preemptionNever) return 'preemption: not eligible due to preemptionPolicy=Never.';
  const verdicts = new Map<string, Status>();
  for (const [name, s] of statuses) {
    if (s.code !== 'Unschedulable') verdicts.set(name, notHelpful);
    else verdicts.set(name, hasLowerPriorityPod(pod, nodeInfo(name)) ? unresolvable('Preemption is not implemented') : noVictims);
  }
  return `preemption: ${fitErrorMessage(numAllNodes, verdicts)}`;
}
