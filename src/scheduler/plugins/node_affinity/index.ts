import { defaultNormalize, type FilterPlugin, type ScorePlugin } from '../../framework/plugin.js';
import type { NodeInfo } from '../../framework/node_info.js';
import type { PodInfo } from '../../framework/pod_info.js';
import { SKIP, SUCCESS, unresolvable, type Status } from '../../framework/status.js';
import { termMatches, termsMatch } from '../../framework/node_selector.js';

/** ERR_REASON_NODE_AFFINITY is upstream's NodeAffinity failure reason. */
export const ERR_REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

const failure = unresolvable(ERR_REASON_NODE_AFFINITY);

/**
 * NodeAffinity filters on spec.nodeSelector and required node affinity (matchExpressions and
 * matchFields; terms ORed, requirements ANDed) and scores the sum of the weights of the matching
 * preferred terms, normalised so the best node gets 100.
 */
export class NodeAffinity implements FilterPlugin, ScorePlugin {
  readonly name = 'NodeAffinity';

  /** preFilter skips pods without nodeSelector or required affinity. */
  preFilter(pod: PodInfo): Status {
    return pod.nodeSelectorEntries.length === 0 && !pod.requiredTerms ? SKIP : SUCCESS;
  }

  /** preScore skips pods without preferred terms. */
  preScore(pod: PodInfo): Status {
    return pod.preferredTerms.length === 0 ? SKIP : SUCCESS;
  }

  /** filter rejects nodes that miss a nodeSelector label or match no required term. */
  filter(pod: PodInfo, node: NodeInfo): Status {
    for (const [k, v] of pod.nodeSelectorEntries) if (node.labels[k] !== v) return failure;
    if (pod.requiredTerms && !termsMatch(pod.requiredTerms, node.labels, node.name)) return failure;
    return SUCCESS;
  }

  /** score sums the weights of the preferred terms the node matches. */
  score(pod: PodInfo, node: NodeInfo): number {
    let sum = 0;
    for (const p of pod.preferredTerms) if (termMatches(p.term, node.labels, node.name)) sum += p.weight;
    return sum;
  }

  /** normalize scales so the highest sum becomes 100. */
  normalize(scores: number[]): void {
    defaultNormalize(scores, false);
  }
}
