import { CycleState, MAX_NODE_SCORE, StateKey, type ClusterView, type ScorePlugin } from '../../framework/plugin.js';
import type { NodeInfo } from '../../framework/node_info.js';
import type { PodInfo } from '../../framework/pod_info.js';
import { SKIP, SUCCESS, type Status } from '../../framework/status.js';

/** HOSTNAME_MAX_SKEW and ZONE_MAX_SKEW are upstream's system default constraints (ScheduleAnyway). */
export const HOSTNAME_MAX_SKEW = 3;
export const ZONE_MAX_SKEW = 5;

interface SpreadState {
  /** counts maps node name → pods of the same group there. */
  counts: ReadonlyMap<string, number>;
  zoneCounts: Map<string, number>;
  hostWeight: number;
  zoneWeight: number;
}

const stateKey = new StateKey<SpreadState>('PodTopologySpread');

/** countMatching counts, per node, the pods of the namespace matched by every selector. */
function countMatching(pod: PodInfo, nodes: readonly NodeInfo[], matches: (p: PodInfo) => boolean): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of nodes) {
    let c = 0;
    for (const p of n.pods.values()) if (p.namespace === pod.namespace && matches(p)) c++;
    if (c) counts.set(n.name, c);
  }
  return counts;
}

/**
 * PodTopologySpread scores with upstream's system default constraints (hostname maxSkew 3, zone
 * maxSkew 5, ScheduleAnyway) so that pods of one group spread over nodes and zones. The group is
 * the pod's controlling owner (ReplicaSet, StatefulSet, ...), or else the Services selecting it,
 * as upstream's default selector. Explicit topologySpreadConstraints are not implemented: such
 * pods are not scored by this plugin.
 */
export class PodTopologySpread implements ScorePlugin {
  readonly name = 'PodTopologySpread';

  constructor(private readonly view: ClusterView) {}

  /** preScore finds the group's placement and the per-zone totals; SKIP for pods without a group. */
  preScore(pod: PodInfo, nodes: readonly NodeInfo[], state: CycleState): Status {
    if (pod.hasSpreadConstraints) return SKIP;
    let counts: ReadonlyMap<string, number>;
    if (pod.ownerUID) {
      counts = this.view.ownerPlacement(pod.ownerUID);
    } else {
      const selectors = this.view.serviceSelectors(pod);
      if (selectors.length === 0) return SKIP;
      counts = countMatching(pod, nodes, (p) => selectors.every((s) => s.matches(p.labels)));
    }
    const zones = new Set<string>();
    for (const n of nodes) if (n.zone !== undefined) zones.add(n.zone);
    const zoneCounts = new Map<string, number>();
    if (zones.size > 0) {
      for (const [name, c] of counts) {
        const zone = this.view.nodeInfo(name)?.zone;
        if (zone !== undefined) zoneCounts.set(zone, (zoneCounts.get(zone) ?? 0) + c);
      }
    }
    state.write(stateKey, { counts, zoneCounts, hostWeight: Math.log(nodes.length + 2), zoneWeight: Math.log(zones.size + 2) });
    return SUCCESS;
  }

  /** score grows with the group's pods on the node and in its zone (fewer is better after normalize). */
  score(_pod: PodInfo, node: NodeInfo, state: CycleState): number {
    const s = state.read(stateKey);
    if (!s) return 0;
    let score = (s.counts.get(node.name) ?? 0) * s.hostWeight + (HOSTNAME_MAX_SKEW - 1);
    if (node.zone !== undefined) score += (s.zoneCounts.get(node.zone) ?? 0) * s.zoneWeight + (ZONE_MAX_SKEW - 1);
    return Math.round(score);
  }

  /** normalize is upstream's: MAX × (max + min − s) / max, so the emptiest node gets the most. */
  normalize(scores: number[], state: CycleState): void {
    if (!state.read(stateKey)) {
      scores.fill(0);
      return;
    }
    let min = Infinity;
    let max = 0;
    for (const s of scores) {
      if (s < min) min = s;
      if (s > max) max = s;
    }
    for (let i = 0; i < scores.length; i++) {
      scores[i] = max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - (scores[i] ?? 0))) / max);
    }
  }
}
