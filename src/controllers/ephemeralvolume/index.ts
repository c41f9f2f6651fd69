/**
 * The ephemeral volume controller (kube-controller-manager's `ephemeral-volume`): every pod volume
 * of type `ephemeral` gets its PersistentVolumeClaim `<pod>-<volume>` from the volumeClaimTemplate,
 * owned by the pod (controller, blockOwnerDeletion), so the claim is deleted with the pod.
 */
import { arr, objAt, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { runController, splitKey } from '../../client/controller.js';
import { objectKeyOf } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';

/** ephemeralVolumes lists a pod's ephemeral volumes with their claim names. */
export function ephemeralVolumes(pod: KubeObject): { claim: string; template: Record<string, unknown> }[] {
  const out: { claim: string; template: Record<string, unknown> }[] = [];
  for (const v of arr(pod, 'spec', 'volumes')) {
    const template = objAt(v, 'ephemeral', 'volumeClaimTemplate');
    if (template) out.push({ claim: `${pod.metadata.name ?? ''}-${str(v, 'name') ?? ''}`, template });
  }
  return out;
}

/** claimFor builds the claim of one ephemeral volume, as upstream's handleVolume does. */
export function claimFor(pod: KubeObject, claim: string, template: Record<string, unknown>): KubeObject {
  const meta = objAt(template, 'metadata') ?? {};
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claim,
      namespace: pod.metadata.namespace ?? '',
      ...(objAt(meta, 'labels') ? { labels: objAt(meta, 'labels') as Record<string, string> } : {}),
      ...(objAt(meta, 'annotations') ? { annotations: objAt(meta, 'annotations') as Record<string, string> } : {}),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: structuredClone(objAt(template, 'spec') ?? {}),
  };
}

export const startEphemeralVolumeController: ControllerStarter = async (ctx) => {
  const pods = ctx.informers.forResource(R.pods);
  const claims = ctx.informers.forResource(R.persistentvolumeclaims);
  const queue = new WorkQueue(ctx.clock);
  const onPod = (pod: KubeObject): void => {
    if (!pod.metadata.deletionTimestamp && ephemeralVolumes(pod).length > 0) queue.add(objectKeyOf(pod));
  };
  pods.addHandlers({ onAdd: onPod, onUpdate: (_, p) => onPod(p) });
  // A claim deleted while its pod lives is made again.
  claims.addHandlers({
    onDelete: (c) => {
      const owner = c.metadata.ownerReferences?.find((r) => r.kind === 'Pod' && r.controller);
      if (owner) queue.add(`${c.metadata.namespace ?? ''}/${owner.name}`);
    },
  });
  await ctx.informers.waitForSync();
  const client = ctx.client.resource(R.persistentvolumeclaims);
  const recorder = ctx.recorder('ephemeral_volume');
  const sync = async (key: string): Promise<void> => {
    const pod = pods.get(key);
    if (!pod || pod.metadata.deletionTimestamp) return;
    const { namespace } = splitKey(key);
    for (const { claim, template } of ephemeralVolumes(pod)) {
      const existing = claims.get(`${namespace}/${claim}`);
      if (existing) {
        const owned = existing.metadata.ownerReferences?.some((r) => r.uid === pod.metadata.uid && r.controller);
        if (!owned) recorder.event(pod, 'Warning', 'FailedBinding', `PVC ${namespace}/${claim} was not created for pod ${key} (pod is not owner)`);
        continue;
      }
      try {
        await client.create(namespace, claimFor(pod, claim, template));
      } catch (e) {
        if ((e as { code?: number }).code === 409) continue;
        recorder.event(pod, 'Warning', 'FailedBinding', `create PVC ${claim}: ${(e as Error).message}`);
        throw e;
      }
    }
  };
  await runController({ name: 'ephemeral-volume', queue, sync, workers: 1, logger: ctx.logger, signal: ctx.signal });
};
