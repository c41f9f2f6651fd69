import type { KubeObject } from '../../api/types.js';
import { str } from '../../api/object.js';
import { R } from '../../client/client.js';
import { runController, splitKey } from '../../client/controller.js';
import { objectKeyOf } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';
import { NODE_NAME_INDEX, byNodeName } from './pods.js';
import { nodeTaints, type Taint } from './taints.js';
import { evictionTime } from './tolerations.js';

const noExecute = (node: KubeObject | undefined): Taint[] => (node ? nodeTaints(node).filter((t) => t.effect === 'NoExecute') : []);
const taintIds = (node: KubeObject): string => JSON.stringify(noExecute(node).map((t) => `${t.key}=${t.value ?? ''}:${t.timeAdded ?? ''}`));

/**
 * startTaintEvictionController deletes pods from nodes with NoExecute taints they do not tolerate,
 * at once, or once the smallest matching toleration's tolerationSeconds have passed since the
 * taint's timeAdded; a taint that goes away cancels the pending eviction. Deletion is graceful, so
 * pods of a dead node stay Terminating until their kubelet (or the pod GC) finishes them.
 */
export const startTaintEvictionController: ControllerStarter = async (ctx) => {
  const nodes = ctx.informers.forResource(R.nodes);
  const pods = ctx.informers.forResource(R.pods, { [NODE_NAME_INDEX]: byNodeName });
  const queue = new WorkQueue(ctx.clock);
  const enqueuePod = (p: KubeObject): void => {
    if (str(p, 'spec', 'nodeName')) queue.add(objectKeyOf(p));
  };
  const enqueueNodePods = (n: KubeObject): void => {
    for (const p of pods.byIndex(NODE_NAME_INDEX, n.metadata.name ?? '')) enqueuePod(p);
  };
  /** firstSeen: when this controller first saw a taint without timeAdded (node|key:effect). */
  const firstSeen = new Map<string, number>();
  const forgetGoneTaints = (n: KubeObject): void => {
    const present = new Set(noExecute(n).map((t) => `${n.metadata.name ?? ''}|${t.key}:${t.effect}`));
    for (const id of firstSeen.keys()) if (id.startsWith(`${n.metadata.name ?? ''}|`) && !present.has(id)) firstSeen.delete(id);
  };
  pods.addHandlers({ onAdd: enqueuePod, onUpdate: (_, p) => enqueuePod(p) });
  nodes.addHandlers({
    onAdd: enqueueNodePods,
    onUpdate: (old, n) => {
      if (taintIds(old) === taintIds(n)) return;
      forgetGoneTaints(n);
      enqueueNodePods(n);
    },
    onDelete: (n) => forgetGoneTaints({ metadata: n.metadata }),
  });
  await ctx.informers.waitForSync();
  const recorder = ctx.recorder('taint-eviction-controller');
  /** scheduled: pods with a pending eviction, for the cancel event. */
  const scheduled = new Set<string>();

  const cancel = (key: string, pod: KubeObject | undefined): void => {
    if (scheduled.delete(key) && pod) recorder.event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  };
  const sync = async (key: string): Promise<void> => {
    const pod = pods.get(key);
    if (!pod || pod.metadata.deletionTimestamp) return void scheduled.delete(key);
    const nodeName = str(pod, 'spec', 'nodeName') ?? '';
    const now = ctx.clock.now();
    const since = (t: Taint): number => {
      const id = `${nodeName}|${t.key}:${t.effect}`;
      if (!firstSeen.has(id)) firstSeen.set(id, now);
      return firstSeen.get(id) ?? now;
    };
    const at = evictionTime(pod, noExecute(nodes.get(nodeName)), since);
    if (at === undefined) return cancel(key, pod);
    if (at > now) {
      scheduled.add(key);
      queue.addAfter(key, at - now);
      return;
    }
    scheduled.delete(key);
    const { namespace, name } = splitKey(key);
    recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    try {
      await ctx.client.resource(R.pods).delete(namespace, name, { preconditions: { uid: pod.metadata.uid ?? '' } });
    } catch (e) {
      const code = (e as { code?: number }).code;
      if (code !== 404 && code !== 409) throw e;
    }
  };
  await runController({ name: 'tainteviction', queue, sync, workers: 2, logger: ctx.logger, signal: ctx.signal });
};
