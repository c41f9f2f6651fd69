import type { Selector } from '../../api/labels/selector.js';
import type { NodeInfo } from './node_info.js';
import type { PodInfo } from './pod_info.js';
import type { Status } from './status.js';

/** MAX_NODE_SCORE is the top of the normalised score range (0–100), as upstream. */
export const MAX_NODE_SCORE = 100;

/** StateKey names one typed entry of a CycleState. */
export class StateKey<T> {
  /** phantom ties the key to its value type. */
  declare readonly phantom?: T;
  constructor(readonly name: string) {}
}

/** CycleState carries per-pod data between a plugin's PreScore, Score and NormalizeScore. */
export class CycleState {
  private readonly data = new Map<StateKey<unknown>, unknown>();

  /** write stores a value for the rest of this scheduling cycle. */
  write<T>(key: StateKey<T>, value: T): void {
    this.data.set(key, value);
  }

  /** read returns what write stored, or undefined. */
  read<T>(key: StateKey<T>): T | undefined {
    return this.data.get(key) as T | undefined;
  }
}

/**
 * ClusterView is the read-only view of the scheduler cache plugins may consult beyond the node
 * at hand (upstream's framework Handle / snapshot lister).
 */
export interface ClusterView {
  /** nodeCount is the number of nodes known. */
  nodeCount(): number;
  /** nodeInfo returns a node's info by name. */
  nodeInfo(name: string): NodeInfo | undefined;
  /** ownerPlacement maps node name → number of pods of that controlling owner on the node. */
  ownerPlacement(ownerUID: string): ReadonlyMap<string, number>;
  /** imageNodeCount is how many nodes report the (normalised) image. */
  imageNodeCount(image: string): number;
  /** anyImages tells whether any node reports images at all. */
  anyImages(): boolean;
  /** serviceSelectors returns the selectors of Services in the pod's namespace that select it. */
  serviceSelectors(pod: PodInfo): Selector[];
}

/**
 * FilterPlugin decides whether a pod may run on a node; it must be cheap and side-effect free.
 * preFilter, once per pod, may return SKIP when the pod asks nothing of this plugin (no host
 * ports, no affinity), so filter is not called for each node.
 */
export interface FilterPlugin {
  readonly name: string;
  preFilter?(pod: PodInfo, state: CycleState): Status;
  filter(pod: PodInfo, node: NodeInfo, state: CycleState): Status;
}

/**
 * ScorePlugin ranks feasible nodes: preScore once per pod (over the feasible nodes; SKIP leaves
 * the plugin out for this pod), score per node, then normalize rewrites the raw scores into
 * 0–MAX_NODE_SCORE in place.
 */
export interface ScorePlugin {
  readonly name: string;
  preScore?(pod: PodInfo, nodes: readonly NodeInfo[], state: CycleState): Status;
  score(pod: PodInfo, node: NodeInfo, state: CycleState): number;
  normalize?(scores: number[], state: CycleState): void;
}

/** WeightedScorePlugin is a score plugin with its weight in the sum. */
export interface WeightedScorePlugin {
  plugin: ScorePlugin;
  weight: number;
}

/**
 * defaultNormalize is upstream's DefaultNormalizeScore: scale so the highest is MAX_NODE_SCORE;
 * with reverse, subtract from MAX_NODE_SCORE (fewer is better). All zero → 0 (MAX when reversed).
 */
export function defaultNormalize(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  for (let i = 0; i < scores.length; i++) {
    if (max === 0) {
      scores[i] = reverse ? MAX_NODE_SCORE : 0;
      continue;
    }
    const s = Math.floor((MAX_NODE_SCORE * (scores[i] ?? 0)) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}

/**
 * ReservePlugin holds what a pod will use on its chosen node before the pod is bound (upstream's
 * Reserve / Unreserve): reserve runs in the scheduling cycle right after the node is chosen;
 * unreserve undoes it when reserving, pre-binding or binding fails, and must be idempotent.
 */
export interface ReservePlugin {
  readonly name: string;
  reserve(pod: PodInfo, nodeName: string, state: CycleState): Status;
  unreserve(pod: PodInfo, nodeName: string, state: CycleState): void;
}

/**
 * PreBindPlugin does the API work a pod needs before its binding (upstream's PreBind), in the
 * binding cycle, off the scheduling loop. It returns a plain Status when it has nothing to wait
 * for, so pods it does not concern stay on the synchronous path.
 */
export interface PreBindPlugin {
  readonly name: string;
  preBind(pod: PodInfo, nodeName: string, state: CycleState): Status | Promise<Status>;
}
