import { CycleState, StateKey, defaultNormalize, type FilterPlugin, type ScorePlugin } from '../../framework/plugin.js';
import type { NodeInfo } from '../../framework/node_info.js';
import type { PodInfo } from '../../framework/pod_info.js';
import { SUCCESS, unresolvable, type Status } from '../../framework/status.js';
import { firstUntolerated, tolerates, type Toleration } from '../../framework/taints.js';

const hardEffects = ['NoSchedule', 'NoExecute'];
const preferKey = new StateKey<Toleration[]>('TaintToleration/prefer');

/** untoleratedTaintReason formats upstream's reason: "node(s) had untolerated taint {key: value}". */
export function untoleratedTaintReason(key: string, value: string): string {
  return `node(s) had untolerated taint {${key}: ${value}}`;
}

/**
 * TaintToleration filters out nodes with a NoSchedule/NoExecute taint the pod does not tolerate
 * (reporting the first such taint) and scores nodes by how few PreferNoSchedule taints the pod
 * does not tolerate.
 */
export class TaintToleration implements FilterPlugin, ScorePlugin {
  readonly name = 'TaintToleration';

  /** filter rejects a node with an untolerated hard taint. */
  filter(pod: PodInfo, node: NodeInfo): Status {
    if (node.taints.length === 0) return SUCCESS;
    const taint = firstUntolerated(node.taints, pod.tolerations, hardEffects);
    return taint ? unresolvable(untoleratedTaintReason(taint.key, taint.value)) : SUCCESS;
  }

  /** preScore keeps the tolerations that apply to PreferNoSchedule (effect empty or PreferNoSchedule). */
  preScore(pod: PodInfo, _nodes: readonly NodeInfo[], state: CycleState): Status {
    state.write(preferKey, pod.tolerations.filter((t) => t.effect === '' || t.effect === 'PreferNoSchedule'));
    return SUCCESS;
  }

  /** score counts the node's untolerated PreferNoSchedule taints (normalised in reverse). */
  score(pod: PodInfo, node: NodeInfo, state: CycleState): number {
    const tolerations = state.read(preferKey) ?? pod.tolerations;
    let n = 0;
    for (const t of node.taints) if (t.effect === 'PreferNoSchedule' && !tolerates(tolerations, t)) n++;
    return n;
  }

  /** normalize maps counts so the node with fewest untolerated taints gets 100. */
  normalize(scores: number[]): void {
    defaultNormalize(scores, true);
  }
}
