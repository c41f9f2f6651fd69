import { objAt, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import { runController } from '../../client/controller.js';
import { objectKeyOf } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';
import type { BinderDeps } from './binder_writes.js';
import { NODES, PERSISTENT_VOLUMES, PERSISTENT_VOLUME_CLAIMS, STORAGE_CLASSES } from './resources.js';
import { syncClaim } from './sync_claim.js';
import { syncVolume } from './sync_volume.js';

export { startPVCProtectionController, startPVProtectionController } from './protection.js';

const CLAIM = 'claim:';
const VOLUME = 'volume:';
/** RESYNC is the queue key of the periodic resync (on the injected clock, like every delay in the queue). */
const RESYNC = 'resync';
/** RESYNC_MS: upstream re-syncs every claim and volume each 15 s (--pvclaimbinder-sync-period), which retries Pending claims. */
const RESYNC_MS = 15_000;

/**
 * startPersistentVolumeBinder is kube-controller-manager's persistentvolume-binder: it binds claims
 * to matching volumes (statically; dynamic volumes come from external provisioners, which it asks
 * through the claim's storage-provisioner annotation), keeps both sides' phases, and applies the
 * reclaim policy when a bound claim goes away.
 */
export const startPersistentVolumeBinder: ControllerStarter = async (ctx) => {
  const volumes = ctx.informers.forResource(PERSISTENT_VOLUMES);
  const claims = ctx.informers.forResource(PERSISTENT_VOLUME_CLAIMS);
  const classes = ctx.informers.forResource(STORAGE_CLASSES);
  const nodes = ctx.informers.forResource(NODES);
  const queue = new WorkQueue(ctx.clock);
  const enqueueClaim = (key: string): void => queue.add(CLAIM + key);
  const onClaim = (c: KubeObject): void => {
    enqueueClaim(objectKeyOf(c));
    // A claim's change (or deletion) can release, bind or unbind its volume.
    const volumeName = str(c, 'spec', 'volumeName');
    if (volumeName) queue.add(VOLUME + volumeName);
  };
  const onVolume = (pv: KubeObject): void => {
    queue.add(VOLUME + (pv.metadata.name ?? ''));
    const ref = objAt(pv, 'spec', 'claimRef');
    if (ref) enqueueClaim(`${str(ref, 'namespace') ?? ''}/${str(ref, 'name') ?? ''}`);
    // A volume that frees up or appears may fit a Pending claim.
    else for (const c of claims.list()) if (str(c, 'status', 'phase') === 'Pending') enqueueClaim(objectKeyOf(c));
  };
  claims.addHandlers({ onAdd: onClaim, onUpdate: (_, c) => onClaim(c), onDelete: onClaim });
  volumes.addHandlers({ onAdd: onVolume, onUpdate: (_, pv) => onVolume(pv), onDelete: onVolume });
  // A new or changed class (a default appearing, a provisioner set) may move Pending claims on.
  const onClass = (): void => {
    for (const c of claims.list()) if (str(c, 'status', 'phase') === 'Pending') enqueueClaim(objectKeyOf(c));
  };
  classes.addHandlers({ onAdd: onClass, onUpdate: onClass });
  await ctx.informers.waitForSync();
  const d: BinderDeps = {
    volumes,
    claims,
    classes,
    nodes,
    pvClient: ctx.client.resource(PERSISTENT_VOLUMES),
    pvcClient: ctx.client.resource(PERSISTENT_VOLUME_CLAIMS),
    recorder: ctx.recorder('persistentvolume-controller'),
    clock: ctx.clock,
    enqueueClaim,
  };
  const resync = (): void => {
    for (const c of claims.list()) if (str(c, 'status', 'phase') === 'Pending') enqueueClaim(objectKeyOf(c));
    for (const pv of volumes.list()) queue.add(VOLUME + (pv.metadata.name ?? ''));
  };
  queue.addAfter(RESYNC, RESYNC_MS);
  const sync = async (key: string): Promise<void> => {
    if (key === RESYNC) {
      resync();
      return queue.addAfter(RESYNC, RESYNC_MS);
    }
    try {
      if (key.startsWith(CLAIM)) await syncClaim(d, key.slice(CLAIM.length));
      else await syncVolume(d, key.slice(VOLUME.length));
    } catch (e) {
      // 409: the cache was behind; the event that follows our own write syncs again.
      if ((e as { code?: number }).code === 409) return queue.addRateLimited(key);
      throw e;
    }
  };
  await runController({ name: 'persistentvolume-binder', queue, sync, workers: 1, logger: ctx.logger, signal: ctx.signal });
};
