/** Which PersistentVolumeClaims a pod uses, and in what state they are (upstream's podHasPVCs / getPodVolumeClaims). */
import { arr, objAt, str } from '../../../api/object.js';
import { storageClassOf } from '../../../api/resources/core/core_volumes.js';
import { claimRequest } from '../../../api/resources/core/pv_matching.js';
import type { KubeObject } from '../../../api/types.js';
import type { PodInfo } from '../../framework/pod_info.js';

/** ANN_BIND_COMPLETED marks a claim whose binding the PV binder finished. */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
/** ANN_SELECTED_NODE is the node the scheduler chose for a WaitForFirstConsumer claim. */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';

/** PodClaimRef names one claim a pod volume refers to. */
export interface PodClaimRef {
  name: string;
  /** ephemeral: a generic ephemeral volume, whose claim `<pod>-<volume>` the pod must own. */
  ephemeral: boolean;
}

/**
 * podClaimRefs lists the claims of a pod's persistentVolumeClaim and ephemeral volumes; it is
 * called for every pod, so a pod without such volumes costs one pass over spec.volumes.
 */
export function podClaimRefs(pod: PodInfo): PodClaimRef[] {
  let out: PodClaimRef[] | undefined;
  for (const v of arr(pod.pod, 'spec', 'volumes')) {
    const claimName = str(v, 'persistentVolumeClaim', 'claimName');
    let ref: PodClaimRef | undefined;
    if (claimName !== undefined) ref = { name: claimName, ephemeral: false };
    else if (objAt(v, 'ephemeral')) ref = { name: `${pod.name}-${str(v, 'name') ?? ''}`, ephemeral: true };
    if (ref) (out ??= []).push(ref);
  }
  return out ?? [];
}

/** isFullyBound is upstream's isPVCFullyBound: a volume name and the binder's bind-completed mark. */
export function isFullyBound(claim: KubeObject): boolean {
  return !!str(claim, 'spec', 'volumeName') && claim.metadata.annotations?.[ANN_BIND_COMPLETED] !== undefined;
}

/** PodClaims sorts a pod's claims the way the plugin treats them. */
export interface PodClaims {
  bound: KubeObject[];
  /** delayed: unbound claims of a WaitForFirstConsumer class, smallest request first. */
  delayed: KubeObject[];
  /** immediate: unbound claims that the PV binder, not the scheduler, must bind. */
  immediate: KubeObject[];
}

/** ClaimLookups are the caches claim resolution reads. */
export interface ClaimLookups {
  claim(namespace: string, name: string): KubeObject | undefined;
  storageClass(name: string): KubeObject | undefined;
}

/** isDelayBinding is IsDelayBindingMode: the claim's class exists and binds on first consumer. */
export function isDelayBinding(claim: KubeObject, lookups: ClaimLookups): boolean {
  const className = storageClassOf(claim);
  if (!className) return false;
  return str(lookups.storageClass(className), 'volumeBindingMode') === 'WaitForFirstConsumer';
}

/** ownedByPod is VolumeIsForPod: the ephemeral claim's controller is this pod. */
function ownedByPod(claim: KubeObject, pod: PodInfo): boolean {
  return (claim.metadata.ownerReferences ?? []).some((o) => o.controller === true && o.uid === pod.uid);
}

/**
 * resolveClaims looks up a pod's claims; a string is the reason the pod cannot be scheduled now
 * (claim missing, lost, being deleted, or an ephemeral claim that is not the pod's), worded as upstream.
 */
export function resolveClaims(pod: PodInfo, refs: PodClaimRef[], lookups: ClaimLookups): PodClaims | string {
  const out: PodClaims = { bound: [], delayed: [], immediate: [] };
  for (const ref of refs) {
    const claim = lookups.claim(pod.namespace, ref.name);
    if (!claim) {
      return ref.ephemeral ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${ref.name}"` : `persistentvolumeclaim "${ref.name}" not found`;
    }
    if (str(claim, 'status', 'phase') === 'Lost') {
      return `persistentvolumeclaim "${ref.name}" bound to non-existent persistentvolume "${str(claim, 'spec', 'volumeName') ?? ''}"`;
    }
    if (claim.metadata.deletionTimestamp) return `persistentvolumeclaim "${ref.name}" is being deleted`;
    if (ref.ephemeral && !ownedByPod(claim, pod)) return `PVC ${pod.namespace}/${ref.name} was not created for pod ${pod.namespace}/${pod.name} (pod is not owner)`;
    if (isFullyBound(claim)) out.bound.push(claim);
    // A claim naming its volume is the PV binder's to finish, as an immediate one.
    else if (isDelayBinding(claim, lookups) && !str(claim, 'spec', 'volumeName')) out.delayed.push(claim);
    else out.immediate.push(claim);
  }
  out.delayed.sort((a, b) => claimRequest(a) - claimRequest(b));
  return out;
}
