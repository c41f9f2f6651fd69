import type { KubeObject } from '../../api/types.js';
import { str } from '../../api/object.js';
import { R } from '../../client/client.js';
import { runController, splitKey } from '../../client/controller.js';
import { objectKeyOf } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';

const NODE_NAME_INDEX = 'spec.nodeName';
const byNodeName = (pod: KubeObject): string[] => {
  const n = str(pod, 'spec', 'nodeName');
  return n ? [n] : [];
};
const code = (e: unknown): number | undefined => (e as { code?: number }).code;

/**
 * startPodGCController force-deletes (grace period 0) pods bound to a node that no longer exists,
 * whether or not they were already terminating: no kubelet is left to confirm their end. Pods of
 * nodes that exist, even NotReady or Unknown ones, are left alone. A node missing from the cache is
 * confirmed with a GET before anything is deleted.
 */
export const startPodGCController: ControllerStarter = async (ctx) => {
  const nodes = ctx.informers.forResource(R.nodes);
  const pods = ctx.informers.forResource(R.pods, { [NODE_NAME_INDEX]: byNodeName });
  const queue = new WorkQueue(ctx.clock);
  const enqueueIfOrphan = (pod: KubeObject): void => {
    const node = str(pod, 'spec', 'nodeName');
    if (node && !nodes.get(node)) queue.add(objectKeyOf(pod));
  };
  pods.addHandlers({ onAdd: enqueueIfOrphan, onUpdate: (_, p) => enqueueIfOrphan(p) });
  nodes.addHandlers({
    onDelete: (n) => {
      for (const p of pods.byIndex(NODE_NAME_INDEX, n.metadata.name ?? '')) queue.add(objectKeyOf(p));
    },
  });
  await ctx.informers.waitForSync();
  // Pods whose node vanished while we were not running.
  for (const p of pods.list()) enqueueIfOrphan(p);

  const sync = async (key: string): Promise<void> => {
    const pod = pods.get(key);
    const nodeName = pod && str(pod, 'spec', 'nodeName');
    if (!pod || !nodeName || nodes.get(nodeName)) return;
    try {
      await ctx.client.resource(R.nodes).get('', nodeName);
      return; // the cache is behind: the node exists
    } catch (e) {
      if (code(e) !== 404) throw e;
    }
    const { namespace, name } = splitKey(key);
    try {
      await ctx.client.resource(R.pods).delete(namespace, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid ?? '' } });
      ctx.logger.info('force-deleted orphaned pod', { pod: key, node: nodeName });
    } catch (e) {
      if (code(e) !== 404 && code(e) !== 409) throw e;
    }
  };
  await runController({ name: 'podgc', queue, sync, workers: 2, logger: ctx.logger, signal: ctx.signal });
};
