/**
 * The StatefulSet controller: pods `<set>-0..N-1` with stable identity (hostname, subdomain,
 * `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index`), PVCs per ordinal from
 * volumeClaimTemplates kept or deleted per persistentVolumeClaimRetentionPolicy, OrderedReady or
 * Parallel scaling, RollingUpdate (partition, maxUnavailable) or OnDelete updates tracked by
 * ControllerRevisions (`kubectl rollout history|undo`), and the set's status.
 */
import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import { objectKeyOf } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';
import type { StatefulSetDeps } from './deps.js';
import { syncStatefulSet } from './sync.js';

function ownerKey(obj: KubeObject): string | undefined {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller === true);
  return ref?.kind === 'StatefulSet' ? `${obj.metadata.namespace ?? ''}/${ref.name}` : undefined;
}

/** startStatefulSetController is the ControllerStarter of the StatefulSet controller. */
export const startStatefulSetController: ControllerStarter = async (ctx) => {
  const queue = new WorkQueue(ctx.clock);
  const deps: StatefulSetDeps = {
    client: ctx.client,
    sets: ctx.informers.forResource(R.statefulsets),
    pods: ctx.informers.forResource(R.pods),
    revisions: ctx.informers.forResource(R.controllerrevisions),
    claims: ctx.informers.forResource(R.persistentvolumeclaims),
    clock: ctx.clock,
    recorder: ctx.recorder('statefulset-controller'),
    queue,
    logger: ctx.logger.child('statefulset-controller'),
  };
  const enqueue = (set: KubeObject): void => queue.add(objectKeyOf(set));
  deps.sets.addHandlers({ onAdd: enqueue, onUpdate: (_old, set) => enqueue(set), onDelete: enqueue });
  const enqueueOwner = (obj: KubeObject): void => {
    const key = ownerKey(obj);
    if (key) queue.add(key);
  };
  deps.pods.addHandlers({ onAdd: enqueueOwner, onUpdate: (_old, pod) => enqueueOwner(pod), onDelete: enqueueOwner });
  deps.revisions.addHandlers({ onAdd: enqueueOwner, onDelete: enqueueOwner });
  await ctx.informers.waitForSync();
  await runController({ name: 'statefulset', queue, sync: (key) => syncStatefulSet(deps, key), workers: 1, logger: deps.logger, signal: ctx.signal });
};
