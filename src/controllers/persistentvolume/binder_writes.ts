/** The writes of the PersistentVolume binder: phases, and both halves of a bind (upstream's bind / unbindVolume). */
import { deepCopy, objAt, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import type { ResourceClient } from '../../client/client.js';
import type { EventRecorder } from '../../client/events.js';
import type { Informer } from '../../client/informer.js';
import type { Clock } from '../../lib/clock.js';

/** ANN_BIND_COMPLETED on a claim says the controller finished binding it ("yes"). */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
/** ANN_BOUND_BY_CONTROLLER on either side says the controller, not the user, set that side's reference. */
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** ANN_PROVISIONED_BY on a volume names the provisioner that created it (and deletes it). */
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
/** ANN_SELECTED_NODE on a claim names the node the scheduler chose for its first consumer. */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** ANN_STORAGE_PROVISIONER (and its beta spelling) on a claim asks that provisioner for a volume. */
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';

/** BinderDeps is what the binder's syncs read and write through. */
export interface BinderDeps {
  volumes: Informer;
  claims: Informer;
  classes: Informer;
  nodes: Informer;
  pvClient: ResourceClient;
  pvcClient: ResourceClient;
  recorder: EventRecorder;
  clock: Clock;
  enqueueClaim(key: string): void;
}

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** setVolumePhase writes status.phase (and message for Failed) when it differs; returns the stored volume. */
export async function setVolumePhase(d: BinderDeps, pv: KubeObject, phase: string, message?: string): Promise<KubeObject> {
  if (str(pv, 'status', 'phase') === phase && str(pv, 'status', 'message') === message) return pv;
  const copy = deepCopy(pv);
  const status: Record<string, unknown> = { phase };
  if (message !== undefined) status.message = message;
  status.lastPhaseTransitionTime = str(pv, 'status', 'phase') === phase ? str(pv, 'status', 'lastPhaseTransitionTime') : rfc3339(d.clock.now());
  copy.status = status;
  return d.pvClient.updateStatus(copy);
}

/** setClaimPhase writes a claim's phase; Bound carries the volume's capacity and access modes, other phases none. */
export async function setClaimPhase(d: BinderDeps, claim: KubeObject, phase: string, pv?: KubeObject): Promise<KubeObject> {
  const status: Record<string, unknown> = { ...(objAt(claim, 'status') ?? {}), phase };
  if (pv) {
    status.capacity = deepCopy(objAt(pv, 'spec', 'capacity') ?? {});
    status.accessModes = deepCopy((pv.spec as { accessModes?: unknown } | undefined)?.accessModes ?? []);
  } else if (phase !== 'Bound') {
    delete status.capacity;
    delete status.accessModes;
  }
  if (JSON.stringify(status) === JSON.stringify(claim.status ?? {})) return claim;
  return d.pvcClient.updateStatus({ ...deepCopy(claim), status } as KubeObject);
}

function claimRefOf(claim: KubeObject): Record<string, unknown> {
  return { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, resourceVersion: claim.metadata.resourceVersion };
}

/** bindVolumeToClaim sets the volume's claimRef to the claim (bound-by-controller unless the user pre-bound it). */
async function bindVolumeToClaim(d: BinderDeps, pv: KubeObject, claim: KubeObject): Promise<KubeObject> {
  const ref = objAt(pv, 'spec', 'claimRef');
  if (ref && str(ref, 'uid') === claim.metadata.uid) return pv;
  const copy = deepCopy(pv);
  const spec = (copy.spec ?? {}) as Record<string, unknown>;
  spec.claimRef = claimRefOf(claim);
  copy.spec = spec;
  if (!ref) copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: 'yes' };
  return d.pvClient.update(copy);
}

/** bindClaimToVolume sets the claim's volumeName and the bind-completed annotation. */
async function bindClaimToVolume(d: BinderDeps, claim: KubeObject, pv: KubeObject): Promise<KubeObject> {
  const name = pv.metadata.name ?? '';
  const current = str(claim, 'spec', 'volumeName');
  const annotations = claim.metadata.annotations ?? {};
  if (current === name && annotations[ANN_BIND_COMPLETED] === 'yes') return claim;
  const copy = deepCopy(claim);
  const added: Record<string, string> = { [ANN_BIND_COMPLETED]: 'yes' };
  if (current !== name) added[ANN_BOUND_BY_CONTROLLER] = 'yes';
  copy.metadata.annotations = { ...annotations, ...added };
  copy.spec = { ...((copy.spec ?? {}) as Record<string, unknown>), volumeName: name };
  return d.pvcClient.update(copy);
}

/** bind is upstream's bind: volume claimRef, volume Bound, claim volumeName, claim Bound; each step skipped when done. */
export async function bind(d: BinderDeps, pv: KubeObject, claim: KubeObject): Promise<void> {
  const boundPV = await setVolumePhase(d, await bindVolumeToClaim(d, pv, claim), 'Bound');
  const boundClaim = await bindClaimToVolume(d, claim, boundPV);
  await setClaimPhase(d, boundClaim, 'Bound', boundPV);
}

/**
 * unbindVolume is upstream's unbindVolume: a controller-made claimRef is removed with its
 * annotation; a user's pre-binding keeps the claim's name and loses only the uid. Then Available.
 */
export async function unbindVolume(d: BinderDeps, pv: KubeObject): Promise<void> {
  const copy = deepCopy(pv);
  const spec = (copy.spec ?? {}) as Record<string, unknown>;
  const annotations = { ...(copy.metadata.annotations ?? {}) };
  if (annotations[ANN_BOUND_BY_CONTROLLER] !== undefined) {
    delete spec.claimRef;
    delete annotations[ANN_BOUND_BY_CONTROLLER];
  } else if (objAt(spec, 'claimRef')) {
    const ref = { ...objAt(spec, 'claimRef') };
    delete ref.uid;
    delete ref.resourceVersion;
    spec.claimRef = ref;
  }
  copy.metadata.annotations = annotations;
  await setVolumePhase(d, await d.pvClient.update(copy), 'Available');
}
