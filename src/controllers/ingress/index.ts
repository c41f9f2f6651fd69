import type { KubeObject } from '../../api/types.js';
import { ingressHandledBy, SKIFF_INGRESS_CLASS, SKIFF_INGRESS_CONTROLLER } from '../../api/resources/networking/ingressclasses.js';
import { R } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import { objectKeyOf } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';
import { lbNodeChanged, loadBalancerAddresses, writeLoadBalancerStatus } from '../servicelb/index.js';

/**
 * desiredIngressStatus is an Ingress's status.loadBalancer.ingress: the addresses of the nodes
 * whose ingress serves it on ports 80 and 443 (the same nodes ServiceLB announces), or nothing
 * for Ingresses of another controller.
 */
export function desiredIngressStatus(ingress: KubeObject, classes: KubeObject[], nodes: KubeObject[]): { ip: string }[] {
  if (!ingressHandledBy(ingress, classes, SKIFF_INGRESS_CONTROLLER, SKIFF_INGRESS_CLASS)) return [];
  return loadBalancerAddresses(nodes).map((ip) => ({ ip }));
}

/**
 * startIngressStatusController writes into each Ingress skiff serves the node addresses it answers
 * on (what `kubectl get ingress` shows as ADDRESS), as Traefik does behind k3s's ServiceLB.
 */
export const startIngressStatusController: ControllerStarter = async (ctx) => {
  const ingresses = ctx.informers.forResource(R.ingresses);
  const classes = ctx.informers.forResource(R.ingressclasses);
  const nodes = ctx.informers.forResource(R.nodes);
  const queue = new WorkQueue(ctx.clock);
  const enqueue = (o: KubeObject): void => queue.add(objectKeyOf(o));
  const enqueueAll = (): void => {
    for (const i of ingresses.list()) enqueue(i);
  };
  ingresses.addHandlers({ onAdd: enqueue, onUpdate: (_, i) => enqueue(i) });
  classes.addHandlers({ onAdd: enqueueAll, onUpdate: enqueueAll, onDelete: enqueueAll });
  nodes.addHandlers({ onAdd: enqueueAll, onUpdate: (a, b) => (lbNodeChanged(a, b) ? enqueueAll() : undefined), onDelete: enqueueAll });
  await ctx.informers.waitForSync();
  const client = ctx.client.resource(R.ingresses);
  const sync = async (key: string): Promise<void> => {
    const ing = ingresses.get(key);
    if (!ing) return;
    await writeLoadBalancerStatus(client, ing, desiredIngressStatus(ing, classes.list(), nodes.list()));
  };
  await runController({ name: 'ingress-status', queue, sync, workers: 1, logger: ctx.logger, signal: ctx.signal });
};
