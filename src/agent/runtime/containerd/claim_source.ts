import type { KubeObject } from '../../../api/types.js';
import { arr, field, objAt, str } from '../../../api/object.js';
import type { ObjectLookup } from './env.js';

/** ClusterObjectLookup fetches one cluster-scoped object by name (undefined when it does not exist). */
export type ClusterObjectLookup = (name: string) => Promise<KubeObject | undefined>;

/** ClaimLookups are the reads a claim-backed volume needs: the claim (pod's namespace), its volume and this node. */
export interface ClaimLookups {
  getPersistentVolumeClaim: ObjectLookup;
  getPersistentVolume: ClusterObjectLookup;
  /** getNode reads this node, for the PV's nodeAffinity; without it (or without a Node) the check is skipped. */
  getNode?: () => Promise<KubeObject | undefined>;
}

/**
 * ClaimedVolume is where a persistentVolumeClaim or generic ephemeral volume lives on the node:
 * the bound PersistentVolume's `hostPath` (with its type) or `local` path.
 */
export interface ClaimedVolume {
  /** pvName names the volume in mount messages, as the kubelet's volume spec name does. */
  pvName: string;
  pv: KubeObject;
  source: 'hostPath' | 'local';
  path: string;
  /** hostPathType is the PV's `spec.hostPath.type` ('' when unset). */
  hostPathType: string;
  readOnly: boolean;
}

/** ClaimError is a claim-backed volume that cannot be processed yet (unbound claim, missing PV, foreign claim). */
export class ClaimError extends Error {
  override name = 'ClaimError';
}

/** claimNameOf returns the claim a pod volume uses (`<pod>-<volume>` for generic ephemeral ones), or undefined. */
export function claimNameOf(pod: KubeObject, volume: unknown): { claimName: string; ephemeral: boolean; readOnly: boolean } | undefined {
  const src = objAt(volume, 'persistentVolumeClaim');
  if (src) return { claimName: str(src, 'claimName') ?? '', ephemeral: false, readOnly: field(src, 'readOnly') === true };
  if (objAt(volume, 'ephemeral')) return { claimName: `${pod.metadata.name ?? ''}-${str(volume, 'name') ?? ''}`, ephemeral: true, readOnly: false };
  return undefined;
}

/** boundClaim reads the claim and checks it can be used: live, Bound, naming its volume. */
async function boundClaim(lookups: ClaimLookups, ns: string, name: string): Promise<KubeObject> {
  const fetchError = (why: string): Error => new Error(`failed to fetch PVC from API server: ${why}`);
  // A refused or failed read (the node authorizer not yet knowing the pod) is retried like a missing claim.
  const pvc = await lookups.getPersistentVolumeClaim(ns, name).catch((e: unknown) => Promise.reject(fetchError((e as Error).message)));
  if (!pvc) throw fetchError(`persistentvolumeclaims "${name}" not found`);
  if (pvc.metadata.deletionTimestamp) throw new Error('PVC is being deleted');
  if (str(pvc, 'status', 'phase') !== 'Bound') throw new Error('PVC is not bound');
  if (!str(pvc, 'spec', 'volumeName')) throw new Error('PVC has empty pvc.Spec.VolumeName');
  return pvc;
}

/** boundVolume reads the claim's PersistentVolume and checks it points back at the claim. */
async function boundVolume(lookups: ClaimLookups, name: string, claimUID: string): Promise<KubeObject> {
  const fetchError = (why: string): Error => new Error(`failed to fetch PV ${name} from API server: ${why}`);
  const pv = await lookups.getPersistentVolume(name).catch((e: unknown) => Promise.reject(fetchError((e as Error).message)));
  if (!pv) throw fetchError(`persistentvolumes "${name}" not found`);
  const ref = objAt(pv, 'spec', 'claimRef');
  if (!ref) throw new Error(`found PV object ${name} but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim`);
  const uid = str(ref, 'uid') ?? '';
  if (uid !== claimUID) throw new Error(`found PV object ${name} but its pv.Spec.ClaimRef.UID ${uid} does not point to claim.UID ${claimUID}`);
  return pv;
}

/** ownedByPod reports whether the pod is the claim's controller (generic ephemeral volumes). */
function ownedByPod(pod: KubeObject, pvc: KubeObject): boolean {
  if (pvc.metadata.namespace !== pod.metadata.namespace) return false;
  return (pvc.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === pod.metadata.uid);
}

/**
 * resolveClaim follows a pod volume to the node path of its PersistentVolume. It throws ClaimError
 * with the kubelet's wording (`error processing PVC ns/name: PVC is not bound`, …). readOnly comes
 * from the pod's volume source or a claim whose only access mode is ReadOnlyMany.
 */
export async function resolveClaim(pod: KubeObject, volume: unknown, lookups: ClaimLookups): Promise<ClaimedVolume | undefined> {
  const ref = claimNameOf(pod, volume);
  if (!ref) return undefined;
  const ns = pod.metadata.namespace ?? '';
  const processing = (e: unknown): ClaimError => new ClaimError(`error processing PVC ${ns}/${ref.claimName}: ${(e as Error).message}`);
  const pvc = await boundClaim(lookups, ns, ref.claimName).catch((e: unknown) => Promise.reject(processing(e)));
  if (ref.ephemeral && !ownedByPod(pod, pvc)) throw new ClaimError(`PVC ${ns}/${ref.claimName} was not created for pod ${ns}/${pod.metadata.name ?? ''} (pod is not owner)`);
  const pvName = str(pvc, 'spec', 'volumeName') ?? '';
  const pv = await boundVolume(lookups, pvName, pvc.metadata.uid ?? '').catch((e: unknown) => Promise.reject(processing(e)));
  const modes = arr(pvc, 'spec', 'accessModes');
  const readOnly = ref.readOnly || (modes.length > 0 && modes.every((m) => m === 'ReadOnlyMany'));
  const hostPath = objAt(pv, 'spec', 'hostPath');
  if (hostPath) return { pvName, pv, source: 'hostPath', path: str(hostPath, 'path') ?? '', hostPathType: str(hostPath, 'type') ?? '', readOnly };
  const local = objAt(pv, 'spec', 'local');
  if (local) return { pvName, pv, source: 'local', path: str(local, 'path') ?? '', hostPathType: '', readOnly };
  throw new ClaimError(`failed to get Plugin from volumeSpec for volume "${pvName}" err=no volume plugin matched`);
}
