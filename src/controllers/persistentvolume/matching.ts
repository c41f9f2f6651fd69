/** Which PersistentVolume a claim may bind to: the checks of upstream's findMatchingVolume / checkVolumeSatisfyClaim. */
import { labelSelectorFromObject } from '../../api/labels/selector.js';
import { arr, field, objAt, str } from '../../api/object.js';
import { storageClassOf } from '../../api/resources/core/core_volumes.js';
import { parseQuantity } from '../../api/resources/core/quantity.js';
import type { KubeObject } from '../../api/types.js';
import { volumeFitsNode } from './node_affinity.js';

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
 * with `node` (the claim's selected node) only volumes whose node affinity admits it.
 */
export function findBestMatch(claim: KubeObject, volumes: KubeObject[], delayBinding: boolean, node?: KubeObject): KubeObject | undefined {
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
