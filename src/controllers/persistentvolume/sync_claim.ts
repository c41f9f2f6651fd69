/** syncClaim: upstream's syncUnboundClaim / syncBoundClaim for one PersistentVolumeClaim. */
import { objAt, str } from '../../api/object.js';
import { STORAGE_CLASS_ANNOTATION, storageClassOf } from '../../api/resources/core/core_volumes.js';
import { defaultStorageClassOf } from '../../api/resources/storage/storageclasses.js';
import type { KubeObject } from '../../api/types.js';
import { findBestMatch, isPreBoundTo, mismatch } from './matching.js';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  bind,
  setClaimPhase,
  type BinderDeps,
} from './binder_writes.js';

/** isDelayBinding: the claim's class binds on first consumer and the scheduler has not chosen a node yet. */
function isDelayBinding(d: BinderDeps, claim: KubeObject): boolean {
  const className = storageClassOf(claim);
  if (!className) return false;
  const cls = d.classes.get(className);
  return str(cls, 'volumeBindingMode') === 'WaitForFirstConsumer' && claim.metadata.annotations?.[ANN_SELECTED_NODE] === undefined;
}

/** selectedNode is the node the scheduler chose for the claim (a bare name when not cached), if any. */
function selectedNode(d: BinderDeps, claim: KubeObject): KubeObject | undefined {
  const name = claim.metadata.annotations?.[ANN_SELECTED_NODE];
  if (name === undefined) return undefined;
  return d.nodes.get(name) ?? { metadata: { name } };
}

/** provisionClaim hands a claim that no volume fits to its class's provisioner (provisionClaimOperationExternal). */
async function provisionClaim(d: BinderDeps, claim: KubeObject, className: string): Promise<void> {
  const cls = d.classes.get(className);
  if (!cls) return d.recorder.event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
  const provisioner = str(cls, 'provisioner') ?? '';
  // kubernetes.io/ names are in-tree plugins; skiff has none that provision.
  if (provisioner.startsWith('kubernetes.io/')) return d.recorder.event(claim, 'Warning', 'ProvisioningFailed', `no volume plugin matched name: ${provisioner}`);
  const annotations = claim.metadata.annotations ?? {};
  if (annotations[ANN_STORAGE_PROVISIONER] !== provisioner || annotations[ANN_BETA_STORAGE_PROVISIONER] !== provisioner) {
    const copy = { ...claim, metadata: { ...claim.metadata, annotations: { ...annotations, [ANN_STORAGE_PROVISIONER]: provisioner, [ANN_BETA_STORAGE_PROVISIONER]: provisioner } } };
    await d.pvcClient.update(copy);
  }
  d.recorder.event(
    claim,
    'Normal',
    'ExternalProvisioning',
    `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
  );
}

/**
 * assignDefaultClass gives a claim created before any default StorageClass existed (spec.storageClassName
 * unset, no beta annotation) the current default, as upstream's retroactive default class assignment;
 * true when the claim was updated (its next sync continues from the new object).
 */
async function assignDefaultClass(d: BinderDeps, claim: KubeObject): Promise<boolean> {
  const spec = objAt(claim, 'spec');
  if (!spec || (spec.storageClassName !== undefined && spec.storageClassName !== null)) return false;
  if (claim.metadata.annotations?.[STORAGE_CLASS_ANNOTATION] !== undefined) return false;
  const def = defaultStorageClassOf(d.classes.list());
  if (!def?.metadata.name) return false;
  await d.pvcClient.update({ ...claim, spec: { ...spec, storageClassName: def.metadata.name } });
  return true;
}

async function syncUnboundClaim(d: BinderDeps, claim: KubeObject): Promise<void> {
  const volumeName = str(claim, 'spec', 'volumeName') ?? '';
  if (volumeName === '') {
    if (await assignDefaultClass(d, claim)) return;
    const delay = isDelayBinding(d, claim);
    const pv = findBestMatch(claim, d.volumes.list(), delay, selectedNode(d, claim));
    if (pv) return bind(d, pv, claim);
    const className = storageClassOf(claim);
    if (delay) d.recorder.event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    else if (className) return provisionClaim(d, claim, className);
    else d.recorder.event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
    await setClaimPhase(d, claim, 'Pending');
    return;
  }
  // The user asked for a volume by name.
  const pv = d.volumes.get(volumeName);
  if (!pv) {
    await setClaimPhase(d, claim, 'Pending');
    return;
  }
  if (!objAt(pv, 'spec', 'claimRef')) {
    const why = mismatch(pv, claim);
    if (why === undefined) return bind(d, pv, claim);
    d.recorder.event(claim, 'Warning', 'FailedBinding', `Cannot bind to requested volume "${volumeName}": ${why}`);
  } else if (isPreBoundTo(pv, claim)) {
    return bind(d, pv, claim);
  } else if (claim.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined) {
    d.recorder.event(claim, 'Warning', 'FailedBinding', `volume "${volumeName}" already bound to a different claim.`);
  }
  await setClaimPhase(d, claim, 'Pending');
}

async function claimLost(d: BinderDeps, claim: KubeObject, message: string): Promise<void> {
  if (str(claim, 'status', 'phase') === 'Lost') return;
  d.recorder.event(claim, 'Warning', 'ClaimLost', message);
  await setClaimPhase(d, claim, 'Lost');
}

async function syncBoundClaim(d: BinderDeps, claim: KubeObject): Promise<void> {
  const volumeName = str(claim, 'spec', 'volumeName') ?? '';
  if (volumeName === '') return claimLost(d, claim, 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
  const pv = d.volumes.get(volumeName);
  if (!pv) return claimLost(d, claim, 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
  const ref = objAt(pv, 'spec', 'claimRef');
  // A missing claimRef (the user removed it) is put back: the claim still points at the volume.
  if (!ref || str(ref, 'uid') === claim.metadata.uid) return bind(d, pv, claim);
  return claimLost(d, claim, 'Two claims are bound to the same volume, this one is bound incorrectly');
}

/** syncClaim brings one claim (key `namespace/name`) towards Bound. */
export async function syncClaim(d: BinderDeps, key: string): Promise<void> {
  const claim = d.claims.get(key);
  if (!claim) return;
  if (claim.metadata.annotations?.[ANN_BIND_COMPLETED] === undefined) return syncUnboundClaim(d, claim);
  return syncBoundClaim(d, claim);
}
