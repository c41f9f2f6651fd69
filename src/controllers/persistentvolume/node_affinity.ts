/** Whether a PersistentVolume's spec.nodeAffinity admits a node (upstream's CheckNodeAffinity). */
import { arr, objAt, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';

function requirementMatches(req: unknown, value: string | undefined): boolean {
  const values = arr(req, 'values').map(String);
  switch (str(req, 'operator')) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const n = Number(value);
      const bound = Number(values[0]);
      if (value === undefined || !Number.isInteger(n) || !Number.isInteger(bound)) return false;
      return str(req, 'operator') === 'Gt' ? n > bound : n < bound;
    }
    default:
      return false;
  }
}

/** termMatches: every label expression and field (metadata.name) requirement of one NodeSelectorTerm holds. */
function termMatches(term: unknown, node: KubeObject): boolean {
  const exprs = arr(term, 'matchExpressions');
  const fields = arr(term, 'matchFields');
  // An empty term matches nothing, as upstream's node selector does.
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  return exprs.every((r) => requirementMatches(r, labels[str(r, 'key') ?? ''])) && fields.every((r) => str(r, 'key') === 'metadata.name' && requirementMatches(r, node.metadata.name));
}

/** volumeFitsNode: a volume without required node affinity fits every node; otherwise one of its terms must match. */
export function volumeFitsNode(pv: KubeObject, node: KubeObject): boolean {
  const required = objAt(pv, 'spec', 'nodeAffinity', 'required');
  if (!required) return true;
  return arr(required, 'nodeSelectorTerms').some((t) => termMatches(t, node));
}
