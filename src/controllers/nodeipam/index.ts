import type { KubeObject } from '../../api/types.js';
import { str } from '../../api/object.js';
import { R } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';
import { CidrSet } from './cidr_set.js';

/**
 * startNodeIpamController gives every Node without spec.podCIDR the next free /nodeCIDRMaskSize
 * subnet of the cluster CIDR (spec.podCIDR and spec.podCIDRs). Subnets of existing nodes are marked
 * used before anything is allocated, and a deleted node's subnet becomes free again.
 */
export const startNodeIpamController: ControllerStarter = async (ctx) => {
  const nodes = ctx.informers.forResource(R.nodes);
  const queue = new WorkQueue(ctx.clock);
  const enqueue = (n: KubeObject): void => queue.add(n.metadata.name ?? '');
  nodes.addHandlers({ onAdd: enqueue, onUpdate: (_, n) => enqueue(n), onDelete: enqueue });
  const cidrs = new CidrSet(ctx.config.clusterCIDR, ctx.config.nodeCIDRMaskSize);
  const recorder = ctx.recorder('node-ipam-controller');
  /** allocated: node name → the subnet it holds (also ones written but not yet seen in the cache). */
  const allocated = new Map<string, string>();
  await ctx.informers.waitForSync();
  for (const n of nodes.list()) {
    const cidr = str(n, 'spec', 'podCIDR');
    if (cidr && cidrs.occupy(cidr)) allocated.set(n.metadata.name ?? '', cidr);
  }

  const sync = async (name: string): Promise<void> => {
    const node = nodes.get(name);
    const held = allocated.get(name);
    if (!node) {
      if (held) cidrs.release(held);
      allocated.delete(name);
      return;
    }
    const current = str(node, 'spec', 'podCIDR');
    if (current) {
      if (held !== current) {
        if (held) cidrs.release(held);
        if (cidrs.occupy(current)) allocated.set(name, current);
      }
      return;
    }
    const cidr = held ?? cidrs.allocateNext();
    if (!cidr) {
      recorder.event(node, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
      throw new Error(`no pod CIDR left in ${ctx.config.clusterCIDR} for node ${name}`);
    }
    allocated.set(name, cidr);
    try {
      await ctx.client.resource(R.nodes).patch('', name, 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
      ctx.logger.info('pod CIDR allocated', { node: name, podCIDR: cidr });
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
      cidrs.release(cidr);
      allocated.delete(name);
    }
  };
  // One worker: allocation decisions must not interleave.
  await runController({ name: 'nodeipam', queue, sync, workers: 1, logger: ctx.logger, signal: ctx.signal });
};
