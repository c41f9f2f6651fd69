import type { KubeObject } from '../../api/types.js';
import { arr, field, str } from '../../api/object.js';
import { R } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import { objectKeyOf } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';

/** ENABLE_LB_LABEL: once any node carries it, only nodes labelled "true" serve LoadBalancers (k3s's ServiceLB rule). */
export const ENABLE_LB_LABEL = 'svccontroller.skiff.io/enablelb';

function isReady(node: KubeObject): boolean {
  return arr(node, 'status', 'conditions').some((c) => str(c, 'type') === 'Ready' && str(c, 'status') === 'True');
}

/**
 * loadBalancerAddresses lists the InternalIPs of the Ready nodes that answer LoadBalancer
 * Services: all of them, or only the labelled ones when any node has ENABLE_LB_LABEL.
 */
export function loadBalancerAddresses(nodes: KubeObject[]): string[] {
  const labelled = nodes.some((n) => n.metadata.labels?.[ENABLE_LB_LABEL] !== undefined);
  const ips = new Set<string>();
  for (const n of nodes) {
    if (!isReady(n) || field(n, 'spec', 'unschedulable') === true) continue;
    if (labelled && n.metadata.labels?.[ENABLE_LB_LABEL] !== 'true') continue;
    for (const a of arr(n, 'status', 'addresses')) {
      if (str(a, 'type') === 'InternalIP') {
        const ip = str(a, 'address');
        if (ip) ips.add(ip);
      }
    }
  }
  return [...ips].sort();
}

/** lbNodeChanged tells whether a node update can change loadBalancerAddresses (readiness, addresses, cordon, the label). */
export function lbNodeChanged(a: KubeObject, b: KubeObject): boolean {
  return isReady(a) !== isReady(b)
    || JSON.stringify(arr(a, 'status', 'addresses')) !== JSON.stringify(arr(b, 'status', 'addresses'))
    || field(a, 'spec', 'unschedulable') !== field(b, 'spec', 'unschedulable')
    || a.metadata.labels?.[ENABLE_LB_LABEL] !== b.metadata.labels?.[ENABLE_LB_LABEL];
}

/**
 * writeLoadBalancerStatus sets status.loadBalancer.ingress of a Service or an Ingress to want,
 * writing only when it differs.
 */
export async function writeLoadBalancerStatus(client: { updateStatus(o: KubeObject): Promise<unknown> }, obj: KubeObject, want: Record<string, string>[]): Promise<void> {
  if (JSON.stringify(arr(obj, 'status', 'loadBalancer', 'ingress')) === JSON.stringify(want)) return;
  const next = structuredClone(obj);
  next.status = { ...(next.status ?? {}), loadBalancer: want.length ? { ingress: want } : {} };
  await client.updateStatus(next);
}

/** servedByServiceLB tells whether a Service is ours to announce: type LoadBalancer and no other class. */
export function servedByServiceLB(svc: KubeObject): boolean {
  return str(svc, 'spec', 'type') === 'LoadBalancer' && str(svc, 'spec', 'loadBalancerClass') === undefined;
}

/**
 * desiredIngress is a Service's status.loadBalancer.ingress: the node addresses for LoadBalancer
 * Services (each node's proxy answers on them), nothing for other types.
 */
export function desiredIngress(svc: KubeObject, nodes: KubeObject[]): { ip: string; ipMode: string }[] {
  if (!servedByServiceLB(svc)) return [];
  return loadBalancerAddresses(nodes).map((ip) => ({ ip, ipMode: 'VIP' }));
}

/**
 * startServiceLBController is k3s's ServiceLB without its per-node pods: the node proxies answer
 * LoadBalancer Services on node addresses, and this loop writes those addresses into the
 * Services' status (what `kubectl get svc` shows as EXTERNAL-IP).
 */
export const startServiceLBController: ControllerStarter = async (ctx) => {
  const services = ctx.informers.forResource(R.services);
  const nodes = ctx.informers.forResource(R.nodes);
  const queue = new WorkQueue(ctx.clock);
  const enqueue = (o: KubeObject): void => {
    if (servedByServiceLB(o) || arr(o, 'status', 'loadBalancer', 'ingress').length) queue.add(objectKeyOf(o));
  };
  const enqueueAll = (): void => {
    for (const s of services.list()) enqueue(s);
  };
  services.addHandlers({ onAdd: enqueue, onUpdate: (_, s) => enqueue(s) });
  nodes.addHandlers({ onAdd: enqueueAll, onUpdate: (a, b) => (lbNodeChanged(a, b) ? enqueueAll() : undefined), onDelete: enqueueAll });
  await ctx.informers.waitForSync();
  const client = ctx.client.resource(R.services);
  const sync = async (key: string): Promise<void> => {
    const svc = services.get(key);
    if (!svc) return;
    await writeLoadBalancerStatus(client, svc, desiredIngress(svc, nodes.list()));
  };
  await runController({ name: 'servicelb', queue, sync, workers: 1, logger: ctx.logger, signal: ctx.signal });
};
