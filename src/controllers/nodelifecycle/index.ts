import type { KubeObject } from '../../api/types.js';
import { str } from '../../api/object.js';
import { R } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerContext, ControllerStarter } from '../context.js';
import { conditionOf, markNodeUnknown, readyStatus } from './conditions.js';
import { NodeHealth } from './health.js';
import { NODE_NAME_INDEX, byNodeName, markPodsNotReady } from './pods.js';
import { reconcileTaints } from './taints.js';

export { startTaintEvictionController } from './eviction.js';

/** NODE_LEASE_NAMESPACE holds the kubelets' heartbeat Leases, one per node, named after it. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/**
 * startNodeLifecycleController watches node heartbeats (Lease renewTime in kube-node-lease and the
 * Ready condition's lastHeartbeatTime). A node silent for config.nodeMonitorGracePeriodMs gets its
 * Ready/MemoryPressure/DiskPressure/PIDPressure conditions set to Unknown. Taints follow the
 * conditions (not-ready / unreachable NoSchedule+NoExecute, pressure NoSchedule) and spec.unschedulable
 * (unschedulable:NoSchedule) and are removed when the node recovers. Pods of a node that stops being
 * ready are marked not ready so they leave Service endpoints.
 */
export const startNodeLifecycleController: ControllerStarter = async (ctx) => {
  const nodes = ctx.informers.forResource(R.nodes);
  const leases = ctx.informers.forResource(R.leases);
  const pods = ctx.informers.forResource(R.pods, { [NODE_NAME_INDEX]: byNodeName });
  const queue = new WorkQueue(ctx.clock);
  const enqueue = (n: KubeObject): void => queue.add(n.metadata.name ?? '');
  nodes.addHandlers({ onAdd: enqueue, onUpdate: (_, n) => enqueue(n), onDelete: enqueue });
  const onLease = (l: KubeObject): void => {
    if (l.metadata.namespace === NODE_LEASE_NAMESPACE) enqueue(l);
  };
  leases.addHandlers({ onAdd: onLease, onUpdate: (_, l) => onLease(l) });
  await ctx.informers.waitForSync();
  const health = new NodeHealth();
  const lastReady = new Map<string, string | undefined>();
  const recorder = ctx.recorder('node-controller');
  const grace = ctx.config.nodeMonitorGracePeriodMs;

  const sync = async (name: string): Promise<void> => {
    let node = nodes.get(name);
    if (!node) {
      health.forget(name);
      lastReady.delete(name);
      return;
    }
    const now = ctx.clock.now();
    const lease = leases.get(`${NODE_LEASE_NAMESPACE}/${name}`);
    const silence = health.observe(name, str(lease, 'spec', 'renewTime'), str(conditionOf(node, 'Ready'), 'lastHeartbeatTime'), now);
    if (silence >= grace) {
      const copy = structuredClone(node);
      if (markNodeUnknown(copy, now)) node = await ctx.client.resource(R.nodes).updateStatus(copy);
    } else {
      queue.addAfter(name, grace - silence);
    }
    node = await updateTaints(ctx, node, now);
    const ready = readyStatus(node);
    const before = lastReady.get(name);
    if (ready !== 'True' && before === 'True') recorder.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    // Unknown: the kubelet is gone, so nothing fights us; False: only on the transition, since a live kubelet owns its pods' readiness.
    if (ready === 'Unknown' || (ready === 'False' && before === 'True')) {
      await markPodsNotReady(ctx.client, recorder, pods.byIndex(NODE_NAME_INDEX, name), name, now);
    }
    lastReady.set(name, ready);
  };
  await runController({ name: 'nodelifecycle', queue, sync, workers: 2, logger: ctx.logger, signal: ctx.signal });
};

async function updateTaints(ctx: ControllerContext, node: KubeObject, now: number): Promise<KubeObject> {
  const taints = reconcileTaints(node, now);
  if (!taints) return node;
  const copy = structuredClone(node);
  copy.spec = { ...((copy.spec as object | undefined) ?? {}), taints };
  return ctx.client.resource(R.nodes).update(copy);
}
