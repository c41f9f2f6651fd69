/** Whether a PersistentVolume's spec.nodeAffinity admits a node (upstream's CheckNodeAffinity). */
import { arr, objAt, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import { nodeSelectorRequirementMatches } from '../../api/labels/node_selector.js';

/** termMatches: every label expression and field (metadata.name) requirement of one NodeSelectorTerm holds. */
function termMatches(term: unknown, node: KubeObject): boolean {
  const exprs = arr(term, 'matchExpressions');
  const fields = arr(term, 'matchFields');
  // An empty term matches nothing, as upstream's node selector does.
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  return exprs.every((r) => nodeSelectorRequirementMatches(r, labels[str(r, 'key') ?? ''])) && fields.every((r) => str(r, 'key') === 'metadata.name' && nodeSelectorRequirementMatches(r, node.metadata.name));
}

/** volumeFitsNode: a volume without required node affinity fits every node; otherwise one of its terms must match. */
export function volumeFitsNode(pv: KubeObject, node: KubeObject): boolean {
  const required = objAt(pv, 'spec', 'nodeAffinity', 'required');
  if (!required) return true;
  return arr(required, 'nodeSelectorTerms').some((t) => termMatches(t, node));
}
