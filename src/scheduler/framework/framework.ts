import type { NodeInfo } from './node_info.js';
import type { PodInfo } from './pod_info.js';
import { CycleState, type FilterPlugin, type PreBindPlugin, type ReservePlugin, type WeightedScorePlugin } from './plugin.js';
import { SKIP, SUCCESS, asError, type Status } from './status.js';

/** MIN_FEASIBLE_NODES_TO_FIND is upstream's floor on nodes searched per pod (100). */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;

/**
 * numFeasibleNodesToFind is upstream's adaptive percentageOfNodesToScore: every node below 100,
 * else 50% shrinking by 1% per 125 nodes to a 5% floor, but never fewer than 100 nodes.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(5, 50 - Math.floor(numAllNodes / 125));
  if (pct >= 100) return numAllNodes;
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.floor((numAllNodes * pct) / 100));
}

/** FilterResult is what the filter phase found: feasible nodes and why the others failed. */
export interface FilterResult {
  feasible: NodeInfo[];
  /** statuses maps node name → the first failing plugin's Status. */
  statuses: Map<string, Status>;
  /** processed is how many nodes were examined (the next cycle starts after them). */
  processed: number;
  /** preFilter is the PreFilter rejection that ruled out every node, if one did (statuses is empty then). */
  preFilter?: Status;
}

/** PreFilterResult is the filters that apply to a pod, or the PreFilter status that rejected it. */
export interface PreFilterResult {
  filters: FilterPlugin[];
  rejected: Status | undefined;
}

/** FrameworkOptions lists the plugins in run order, and a random source for tie-breaking. */
export interface FrameworkOptions {
  filters: FilterPlugin[];
  scores: WeightedScorePlugin[];
  reserves?: ReservePlugin[];
  preBinds?: PreBindPlugin[];
  random?: () => number;
}

/**
 * Framework runs a pod through the Filter plugins (the first failure per node decides, as
 * upstream) and the Score plugins (normalised, weighted, summed), then picks a best node at
 * random among equals so identical nodes share the load.
 */
export class Framework {
  private readonly random: () => number;

  constructor(private readonly opts: FrameworkOptions) {
    this.random = opts.random ?? Math.random;
  }

  /**
   * runPreFilter runs every PreFilter in order: SKIP leaves a filter out for this pod, any other
   * failure rejects the pod on every node at once (upstream's PreFilter rejection).
   */
  runPreFilter(pod: PodInfo, state: CycleState): PreFilterResult {
    const filters: FilterPlugin[] = [];
    for (const f of this.opts.filters) {
      const s = f.preFilter?.(pod, state);
      if (s === SKIP) continue;
      if (s !== undefined && s !== SUCCESS && s.code !== 'Success') return { filters: [], rejected: s };
      filters.push(f);
    }
    return { filters, rejected: undefined };
  }

  /** runFilters returns SUCCESS or the first failing plugin's Status for one node (may throw). */
  runFilters(pod: PodInfo, node: NodeInfo, state: CycleState, filters = this.opts.filters): Status {
    for (let i = 0; i < filters.length; i++) {
      const s = (filters[i] as FilterPlugin).filter(pod, node, state);
      if (s !== SUCCESS && s.code !== 'Success') return s;
    }
    return SUCCESS;
  }

  /** findFeasible examines nodes from start (wrapping) until `limit` feasible nodes are found. */
  findFeasible(pod: PodInfo, nodes: readonly NodeInfo[], start: number, limit: number, state: CycleState): FilterResult {
    const feasible: NodeInfo[] = [];
    const statuses = new Map<string, Status>();
    const n = nodes.length;
    const pre = this.runPreFilter(pod, state);
    if (pre.rejected) return { feasible, statuses, processed: 0, preFilter: pre.rejected };
    const filters = pre.filters;
    let processed = 0;
    while (processed < n && feasible.length < limit) {
      const node = nodes[(start + processed) % n];
      processed++;
      if (!node) continue;
      let s: Status;
      try {
        s = this.runFilters(pod, node, state, filters);
      } catch (e) {
        s = asError(e);
      }
      if (s.code === 'Success') feasible.push(node);
      else statuses.set(node.name, s);
    }
    return { feasible, statuses, processed };
  }

  /** prioritize returns the weighted total score of each feasible node (same order). */
  prioritize(pod: PodInfo, nodes: readonly NodeInfo[], state: CycleState): number[] {
    const totals = new Array<number>(nodes.length).fill(0);
    const scores = new Array<number>(nodes.length);
    for (const { plugin, weight } of this.opts.scores) {
      if (plugin.preScore?.(pod, nodes, state) === SKIP) continue;
      for (let i = 0; i < nodes.length; i++) scores[i] = plugin.score(pod, nodes[i] as NodeInfo, state);
      plugin.normalize?.(scores, state);
      for (let i = 0; i < nodes.length; i++) totals[i] = (totals[i] ?? 0) + (scores[i] ?? 0) * weight;
    }
    return totals;
  }

  /** runReserve reserves the node for the pod in every Reserve plugin; on a failure it unreserves them all. */
  runReserve(pod: PodInfo, nodeName: string, state: CycleState): Status {
    for (const r of this.opts.reserves ?? []) {
      let s: Status;
      try {
        s = r.reserve(pod, nodeName, state);
      } catch (e) {
        s = asError(e);
      }
      if (s.code !== 'Success') {
        this.runUnreserve(pod, nodeName, state);
        return s.code === 'Error' ? { code: 'Error', reasons: [`running Reserve plugin "${r.name}": ${s.reasons.join(', ')}`] } : s;
      }
    }
    return SUCCESS;
  }

  /** runUnreserve undoes every Reserve plugin, in reverse order (upstream's RunReservePluginsUnreserve). */
  runUnreserve(pod: PodInfo, nodeName: string, state: CycleState): void {
    const reserves = this.opts.reserves ?? [];
    for (let i = reserves.length - 1; i >= 0; i--) reserves[i]?.unreserve(pod, nodeName, state);
  }

  /**
   * runPreBind runs the PreBind plugins in order; it stays synchronous while they answer
   * synchronously. A failure comes back as an Error status worded as upstream's
   * ("running PreBind plugin "X": …").
   */
  runPreBind(pod: PodInfo, nodeName: string, state: CycleState, from = 0): Status | Promise<Status> {
    const plugins = this.opts.preBinds ?? [];
    for (let i = from; i < plugins.length; i++) {
      const plugin = plugins[i] as PreBindPlugin;
      let s: Status | Promise<Status>;
      try {
        s = plugin.preBind(pod, nodeName, state);
      } catch (e) {
        s = asError(e);
      }
      if (s instanceof Promise) {
        return s.then(
          (r) => (r.code === 'Success' ? this.runPreBind(pod, nodeName, state, i + 1) : preBindFailure(plugin, r)),
          (e: unknown) => preBindFailure(plugin, asError(e)),
        );
      }
      if (s.code !== 'Success') return preBindFailure(plugin, s);
    }
    return SUCCESS;
  }

  /** selectHost returns a node with the highest total, uniformly at random among ties. */
  selectHost(nodes: readonly NodeInfo[], totals: readonly number[]): NodeInfo | undefined {
    let best: NodeInfo | undefined;
    let bestScore = -Infinity;
    let ties = 0;
    for (let i = 0; i < nodes.length; i++) {
      const s = totals[i] ?? 0;
      if (s > bestScore) {
        bestScore = s;
        best = nodes[i];
        ties = 1;
      } else if (s === bestScore && this.random() * ++ties < 1) {
        best = nodes[i];
      }
    }
    return best;
  }
}

function preBindFailure(plugin: PreBindPlugin, s: Status): Status {
  return { code: 'Error', reasons: [`running PreBind plugin "${plugin.name}": ${s.reasons.join(', ')}`] };
}
