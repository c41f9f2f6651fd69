import type { KubeObject } from '../api/types.js';
import { arr, field, str } from '../api/object.js';
import type { Informer } from '../client/informer.js';
import { objectKeyOf } from '../client/informer.js';
import type { SchedulerCache } from './cache/cache.js';
import { newPodInfo } from './framework/pod_info.js';
import type { SchedulingQueue } from './queue/scheduling_queue.js';

/** HandlerTarget is what the informer handlers feed: the cache, the queue, and who is ours. */
export interface HandlerTarget {
  cache: SchedulerCache;
  queue: SchedulingQueue;
  /** responsible tells whether this scheduler should place the pod (pending, ours, alive). */
  responsible(pod: KubeObject): boolean;
  /** busy tells whether the pod is in a scheduling cycle or binding now. */
  busy(key: string): boolean;
}

const terminal = (pod: KubeObject): boolean => {
  const phase = str(pod, 'status', 'phase');
  return phase === 'Succeeded' || phase === 'Failed';
};
const assigned = (pod: KubeObject): boolean => !!str(pod, 'spec', 'nodeName');

/** specChanged ignores status and bookkeeping, as upstream's isPodUpdated, so status writes do not requeue. */
function specChanged(a: KubeObject, b: KubeObject): boolean {
  const view = (p: KubeObject): string => JSON.stringify([p.spec, p.metadata.labels, p.metadata.annotations, p.metadata.deletionTimestamp]);
  return view(a) !== view(b);
}

function readyStatus(node: KubeObject): string | undefined {
  return str(arr(node, 'status', 'conditions').find((c) => str(c, 'type') === 'Ready'), 'status');
}

/** nodeSchedulingChanged tells whether an update touches what filters and scores read. */
function nodeSchedulingChanged(a: KubeObject, b: KubeObject): boolean {
  const view = (n: KubeObject): string =>
    JSON.stringify([n.metadata.labels, field(n, 'spec', 'unschedulable'), field(n, 'spec', 'taints'), field(n, 'status', 'allocatable'), readyStatus(n)]);
  return view(a) !== view(b);
}

function onPod(t: HandlerTarget, pod: KubeObject): void {
  const key = objectKeyOf(pod);
  if (assigned(pod)) {
    t.queue.delete(key);
    if (terminal(pod)) {
      // A finished pod frees its node's resources: pending pods may fit now.
      if (t.cache.hasPod(key)) {
        t.cache.removePod(key);
        t.queue.moveAllToActiveOrBackoff();
      }
    } else {
      t.cache.addPod(newPodInfo(pod));
    }
    return;
  }
  if (!t.responsible(pod)) {
    t.queue.delete(key);
    return;
  }
  if (t.busy(key) || t.cache.hasPod(key)) return;
  t.queue.update(newPodInfo(pod));
}

/**
 * registerHandlers wires pod and node informers to the cache and queue: bound pods feed node
 * aggregates, pending pods the queue; node adds and relevant node updates, and the deletion of
 * bound pods, give unschedulable pods another try.
 */
export function registerHandlers(t: HandlerTarget, pods: Informer, nodes: Informer): void {
  pods.addHandlers({
    onAdd: (pod) => onPod(t, pod),
    onUpdate: (old, pod) => {
      if (!assigned(pod) && !assigned(old) && t.responsible(pod) && !specChanged(old, pod)) return;
      onPod(t, pod);
    },
    onDelete: (pod) => {
      const key = objectKeyOf(pod);
      t.queue.delete(key);
      if (t.cache.hasPod(key)) {
        t.cache.removePod(key);
        t.queue.moveAllToActiveOrBackoff();
      }
    },
  });
  nodes.addHandlers({
    onAdd: (node) => {
      t.cache.setNode(node);
      t.queue.moveAllToActiveOrBackoff();
    },
    onUpdate: (old, node) => {
      t.cache.setNode(node);
      if (nodeSchedulingChanged(old, node)) t.queue.moveAllToActiveOrBackoff();
    },
    onDelete: (node) => t.cache.removeNode(node.metadata.name ?? ''),
  });
}

/**
 * registerVolumeHandlers gives pods rejected for their volumes another try when claims, volumes
 * or storage classes appear or change (upstream's VolumeBinding cluster events: PVC, PV and
 * StorageClass Add/Update); deletions cannot help a pod and are ignored.
 */
export function registerVolumeHandlers(t: Pick<HandlerTarget, 'queue'>, claims: Informer, volumes: Informer, classes: Informer): void {
  const move = (): void => t.queue.moveAllToActiveOrBackoff();
  for (const inf of [claims, volumes, classes]) inf.addHandlers({ onAdd: move, onUpdate: move });
}
