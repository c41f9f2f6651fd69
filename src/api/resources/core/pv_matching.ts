/**
 * Which PersistentVolume a claim may bind to, shared by the PV binder and the scheduler's volume
 * binding: the checks of upstream's FindMatchingVolume / CheckVolumeSatisfyClaim / CheckNodeAffinity.
 */
import { labelSelectorFromObject } from '../../labels/selector.js';
import { nodeSelectorRequirementMatches } from '../../labels/node_selector.js';
import { arr, field, objAt, str } from '../../object.js';
import type { KubeObject } from '../../types.js';
import { storageClassOf } from './core_volumes.js';
import { parseQuantity } from './quantity.js';

/** quantityOf parses a storage quantity (0 when unset or malformed). */
export function quantityOf(v: unknown): number {
  return (typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : undefined) ?? 0;
}

/** claimRequest is the claim's storage request in bytes. */
export function claimRequest(claim: KubeObject): number {
  return quantityOf(field(claim, 'spec', 'resources', 'requests', 'storage'));
}

/** volumeCapacity is the volume's storage capacity in bytes. */
export function volumeCapacity(pv: KubeObject): number {
  return quantityOf(field(pv, 'spec', 'capacity', 'storage'));
}

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

/** isPreBoundTo tells whether the volume's claimRef names this claim (and, when it has a uid, the same uid). */
export function isPreBoundTo(pv: KubeObject, claim: KubeObject): boolean {
  const ref = objAt(pv, 'spec', 'claimRef');
  if (!ref) return false;
  if (str(ref, 'namespace') !== claim.metadata.namespace || str(ref, 'name') !== claim.metadata.name) return false;
  const uid = str(ref, 'uid');
  return !uid || uid === claim.metadata.uid;
}

const volumeModeOf = (obj: KubeObject): string => str(obj, 'spec', 'volumeMode') ?? 'Filesystem';

/**
 * mismatch returns why the volume cannot satisfy the claim, or undefined when it can: capacity at
 * least the request, the claim's access modes all offered, the same class and volume mode, and
 * the claim's label selector matching the volume's labels.
 */
export function mismatch(pv: KubeObject, claim: KubeObject): string | undefined {
  if (volumeCapacity(pv) < claimRequest(claim)) return 'requested PV is too small';
  if (storageClassOf(pv) !== storageClassOf(claim)) return 'storageClassName does not match';
  if (volumeModeOf(pv) !== volumeModeOf(claim)) return 'incompatible volumeMode';
  const offered = arr(pv, 'spec', 'accessModes');
  if (!arr(claim, 'spec', 'accessModes').every((m) => offered.includes(m))) return 'incompatible accessMode';
  const selector = field(claim, 'spec', 'selector');
  if (selector != null && !labelSelectorFromObject(selector).matches(pv.metadata.labels ?? {})) return 'volume labels do not match the claim selector';
  return undefined;
}

/**
 * findBestMatch is findMatchingVolume: a volume pre-bound to the claim wins when it fits; otherwise
 * the smallest fitting volume that is free (no claimRef), not being deleted and Available. With
 * delayBinding (WaitForFirstConsumer and no node chosen yet) only pre-bound volumes are taken;
 * with `node` (the claim's selected node, or the node the scheduler tries) only volumes whose
 * node affinity admits it.
 */
export function findBestMatch(claim: KubeObject, volumes: readonly KubeObject[], delayBinding: boolean, node?: KubeObject): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const pv of volumes) {
    if (pv.metadata.deletionTimestamp || mismatch(pv, claim) !== undefined) continue;
    if (node && !volumeFitsNode(pv, node)) continue;
    if (isPreBoundTo(pv, claim)) return pv;
    if (delayBinding || objAt(pv, 'spec', 'claimRef') || str(pv, 'status', 'phase') !== 'Available') continue;
    if (!best || volumeCapacity(pv) < volumeCapacity(best)) best = pv;
  }
  return best;
}
