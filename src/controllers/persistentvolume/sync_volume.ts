/** syncVolume: upstream's syncVolume and reclaimVolume for one PersistentVolume. */
import { objAt, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import { ANN_PROVISIONED_BY, setVolumePhase, unbindVolume, type BinderDeps } from './binder_writes.js';

/** currentClaim returns the claim the volume's claimRef names, from the cache or else the API (a cache miss must not release a volume). */
async function currentClaim(d: BinderDeps, namespace: string, name: string): Promise<KubeObject | undefined> {
  const cached = d.claims.get(`${namespace}/${name}`);
  if (cached) return cached;
  try {
    return await d.pvcClient.get(namespace, name);
  } catch (e) {
    if ((e as { code?: number }).code === 404) return undefined;
    throw e;
  }
}

/**
 * reclaim applies the reclaim policy of a Released volume: Retain keeps it; Delete removes the
 * object unless a provisioner made it (that provisioner deletes its own volumes); Recycle, whose
 * plugins are gone upstream, fails the volume.
 */
async function reclaim(d: BinderDeps, pv: KubeObject): Promise<void> {
  const policy = str(pv, 'spec', 'persistentVolumeReclaimPolicy');
  if (policy === 'Recycle') {
    d.recorder.event(pv, 'Warning', 'VolumeFailedRecycle', 'No recycler plugin found for the volume!');
    await setVolumePhase(d, pv, 'Failed', 'No recycler plugin found for the volume!');
    return;
  }
  if (policy !== 'Delete' || pv.metadata.deletionTimestamp || pv.metadata.annotations?.[ANN_PROVISIONED_BY] !== undefined) return;
  try {
    await d.pvClient.delete('', pv.metadata.name ?? '', { preconditions: { uid: pv.metadata.uid ?? '' } });
  } catch (e) {
    if ((e as { code?: number }).code !== 404) throw e;
  }
}

/** syncVolume brings one volume's phase in line with its claim and reclaims it when the claim is gone. */
export async function syncVolume(d: BinderDeps, name: string): Promise<void> {
  const pv = d.volumes.get(name);
  if (!pv) return;
  const ref = objAt(pv, 'spec', 'claimRef');
  if (!ref || !str(ref, 'uid')) {
    // Free, or pre-bound by the user to a claim not bound yet: the claim's sync finishes the binding.
    await setVolumePhase(d, pv, 'Available');
    if (ref) d.enqueueClaim(`${str(ref, 'namespace') ?? ''}/${str(ref, 'name') ?? ''}`);
    return;
  }
  const namespace = str(ref, 'namespace') ?? '';
  const claimName = str(ref, 'name') ?? '';
  const phase = str(pv, 'status', 'phase');
  const found = await currentClaim(d, namespace, claimName);
  const claim = found && found.metadata.uid === str(ref, 'uid') ? found : undefined;
  if (!claim) {
    if (phase === 'Failed') return;
    const released = phase === 'Released' ? pv : await setVolumePhase(d, pv, 'Released');
    return reclaim(d, released);
  }
  const claimVolume = str(claim, 'spec', 'volumeName') ?? '';
  if (claimVolume === '') return d.enqueueClaim(`${namespace}/${claimName}`);
  if (claimVolume === name) {
    await setVolumePhase(d, pv, 'Bound');
    return;
  }
  // The claim is bound to another volume: this one is not needed by it.
  await unbindVolume(d, pv);
}
