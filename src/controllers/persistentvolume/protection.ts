/** The pvc-protection and pv-protection controllers: finalizers that keep in-use claims and bound volumes from vanishing. */
import { arr, deepCopy, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import type { ResourceClient } from '../../client/client.js';
import { runController, splitKey } from '../../client/controller.js';
import { objectKeyOf, type Informer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';
import { PERSISTENT_VOLUMES, PERSISTENT_VOLUME_CLAIMS, PODS } from './resources.js';

/** PVC_PROTECTION_FINALIZER holds a claim's deletion while a pod uses it. */
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
/** PV_PROTECTION_FINALIZER holds a volume's deletion while it is bound. */
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

/** claimNamesOf lists the claims a pod's volumes name: persistentVolumeClaim sources and generic ephemeral volumes (`<pod>-<volume>`). */
export function claimNamesOf(pod: KubeObject): string[] {
  const names: string[] = [];
  for (const v of arr(pod, 'spec', 'volumes')) {
    const claim = str(v, 'persistentVolumeClaim', 'claimName');
    if (claim) names.push(claim);
    else if ((v as { ephemeral?: unknown }).ephemeral) names.push(`${pod.metadata.name ?? ''}-${str(v, 'name') ?? ''}`);
  }
  return names;
}

/** podUsesClaim: a scheduled pod that has not finished and names the claim (the kubelet never starts a pod on a deleted claim). */
function podUsesClaim(pod: KubeObject, claimName: string): boolean {
  const phase = str(pod, 'status', 'phase');
  if (!str(pod, 'spec', 'nodeName') || phase === 'Succeeded' || phase === 'Failed') return false;
  return claimNamesOf(pod).includes(claimName);
}

/** setFinalizer adds or removes one finalizer with an update (a 409 re-queues through the next event). */
async function setFinalizer(client: ResourceClient, obj: KubeObject, finalizer: string, present: boolean): Promise<void> {
  const finalizers = obj.metadata.finalizers ?? [];
  if (finalizers.includes(finalizer) === present) return;
  const copy = deepCopy(obj);
  copy.metadata.finalizers = present ? [...finalizers, finalizer] : finalizers.filter((f) => f !== finalizer);
  try {
    await client.update(copy);
  } catch (e) {
    if ((e as { code?: number }).code !== 404) throw e;
  }
}

/** runFinalizerLoop runs one protection loop: alive objects get the finalizer; deleted ones lose it once `inUse` says no. */
async function runFinalizerLoop(name: string, informer: Informer, client: ResourceClient, finalizer: string, queue: WorkQueue, inUse: (obj: KubeObject) => Promise<boolean>, ctx: Parameters<ControllerStarter>[0]): Promise<void> {
  const sync = async (key: string): Promise<void> => {
    const obj = informer.get(key);
    if (!obj) return;
    if (!obj.metadata.deletionTimestamp) return setFinalizer(client, obj, finalizer, true);
    if (!(obj.metadata.finalizers ?? []).includes(finalizer) || (await inUse(obj))) return;
    await setFinalizer(client, obj, finalizer, false);
  };
  await runController({ name, queue, sync, workers: 1, logger: ctx.logger, signal: ctx.signal });
}

/**
 * startPVCProtectionController is kube-controller-manager's pvc-protection: every claim carries
 * `kubernetes.io/pvc-protection`; a deleted claim keeps it while a scheduled, unfinished pod uses
 * it (checked in the cache, then confirmed with a live list so a new pod is not missed).
 */
export const startPVCProtectionController: ControllerStarter = async (ctx) => {
  const claims = ctx.informers.forResource(PERSISTENT_VOLUME_CLAIMS);
  const pods = ctx.informers.forResource(PODS);
  const queue = new WorkQueue(ctx.clock);
  const enqueue = (c: KubeObject): void => queue.add(objectKeyOf(c));
  const ofPod = (pod: KubeObject): void => {
    for (const claim of claimNamesOf(pod)) queue.add(`${pod.metadata.namespace ?? ''}/${claim}`);
  };
  claims.addHandlers({ onAdd: enqueue, onUpdate: (_, c) => enqueue(c) });
  pods.addHandlers({ onAdd: ofPod, onUpdate: (_, p) => ofPod(p), onDelete: ofPod });
  await ctx.informers.waitForSync();
  const podClient = ctx.client.resource(PODS);
  const inUse = async (claim: KubeObject): Promise<boolean> => {
    const { namespace, name } = splitKey(objectKeyOf(claim));
    if (pods.list(namespace).some((p) => podUsesClaim(p, name))) return true;
    const live = await podClient.list(namespace);
    return live.items.some((p) => podUsesClaim(p, name));
  };
  await runFinalizerLoop('pvc-protection', claims, ctx.client.resource(PERSISTENT_VOLUME_CLAIMS), PVC_PROTECTION_FINALIZER, queue, inUse, ctx);
};

/** startPVProtectionController is kube-controller-manager's pv-protection: a deleted volume keeps `kubernetes.io/pv-protection` while Bound. */
export const startPVProtectionController: ControllerStarter = async (ctx) => {
  const volumes = ctx.informers.forResource(PERSISTENT_VOLUMES);
  const queue = new WorkQueue(ctx.clock);
  const enqueue = (pv: KubeObject): void => queue.add(pv.metadata.name ?? '');
  volumes.addHandlers({ onAdd: enqueue, onUpdate: (_, pv) => enqueue(pv) });
  await ctx.informers.waitForSync();
  const inUse = (pv: KubeObject): Promise<boolean> => Promise.resolve(str(pv, 'status', 'phase') === 'Bound');
  await runFinalizerLoop('pv-protection', volumes, ctx.client.resource(PERSISTENT_VOLUMES), PV_PROTECTION_FINALIZER, queue, inUse, ctx);
};
