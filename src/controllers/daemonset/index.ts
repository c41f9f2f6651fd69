/**
 * The DaemonSet controller: one pod per eligible node (nodeSelector, required node affinity,
 * nodeName, taints against the pod's tolerations plus the automatic daemon tolerations), aimed at
 * its node with `matchFields metadata.name In [node]` so the scheduler binds it; follows node
 * changes; RollingUpdate within maxUnavailable or maxSurge, or OnDelete; ControllerRevision
 * history for `kubectl rollout history|undo`; status counts.
 */
import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import { objectKeyOf } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';
import type { DaemonSetDeps } from './deps.js';
import { Expectations } from '../../client/expectations.js';
import { syncDaemonSet } from './sync.js';

function ownerKey(obj: KubeObject): string | undefined {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller === true);
  return ref?.kind === 'DaemonSet' ? `${obj.metadata.namespace ?? ''}/${ref.name}` : undefined;
}

/** nodeChanged tells whether an update can change which daemon pods a node should run. */
function nodeChanged(old: KubeObject, node: KubeObject): boolean {
  const pick = (n: KubeObject): string => JSON.stringify([n.metadata.labels ?? {}, (n.spec as { taints?: unknown } | undefined)?.taints ?? []]);
  return pick(old) !== pick(node);
}

/** startDaemonSetController is the ControllerStarter of the DaemonSet controller. */
export const startDaemonSetController: ControllerStarter = async (ctx) => {
  const queue = new WorkQueue(ctx.clock);
  const deps: DaemonSetDeps = {
    client: ctx.client,
    sets: ctx.informers.forResource(R.daemonsets),
    pods: ctx.informers.forResource(R.pods),
    nodes: ctx.informers.forResource(R.nodes),
    revisions: ctx.informers.forResource(R.controllerrevisions),
    clock: ctx.clock,
    recorder: ctx.recorder('daemonset-controller'),
    expectations: new Expectations(ctx.clock),
    queue,
    logger: ctx.logger.child('daemonset-controller'),
  };
  const enqueue = (ds: KubeObject): void => queue.add(objectKeyOf(ds));
  const enqueueAll = (): void => deps.sets.list().forEach(enqueue);
  deps.sets.addHandlers({ onAdd: enqueue, onUpdate: (_old, ds) => enqueue(ds), onDelete: enqueue });
  deps.nodes.addHandlers({ onAdd: enqueueAll, onUpdate: (old, node) => nodeChanged(old, node) && enqueueAll(), onDelete: enqueueAll });
  deps.pods.addHandlers({
    onAdd(pod) {
      const key = ownerKey(pod);
      if (!key) return;
      if (pod.metadata.deletionTimestamp) deps.expectations.deletionObserved(key);
      else deps.expectations.creationObserved(key);
      queue.add(key);
    },
    onUpdate(old, pod) {
      const key = ownerKey(pod);
      if (!key) return;
      if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) deps.expectations.deletionObserved(key);
      queue.add(key);
    },
    onDelete(pod) {
      const key = ownerKey(pod);
      if (!key) return;
      if (!pod.metadata.deletionTimestamp) deps.expectations.deletionObserved(key);
      queue.add(key);
    },
  });
  // A revision deleted or renumbered by hand is put back by the next sync of its owner.
  const enqueueOwner = (rev: KubeObject): void => {
    const key = ownerKey(rev);
    if (key) queue.add(key);
  };
  deps.revisions.addHandlers({ onAdd: enqueueOwner, onUpdate: (_old, rev) => enqueueOwner(rev), onDelete: enqueueOwner });
  await ctx.informers.waitForSync();
  await runController({ name: 'daemonset', queue, sync: (key) => syncDaemonSet(deps, key), workers: 2, logger: deps.logger, signal: ctx.signal });
};
