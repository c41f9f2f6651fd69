import type { KubeObject } from '../../api/types.js';
import { arr } from '../../api/object.js';
import { R } from '../../client/client.js';
import { runController, splitKey } from '../../client/controller.js';
import { objectKeyOf } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';
import { semanticEqual } from './equality.js';
import { selectsPod, serviceLabels, serviceSelector } from './service_pods.js';
import { desiredSubsets } from './subsets.js';

/** NAMESPACE_INDEX indexes cached objects by namespace. */
export const NAMESPACE_INDEX = 'namespace';

/** byNamespace is the namespace index function. */
export const byNamespace = (o: KubeObject): string[] => [o.metadata.namespace ?? ''];

const ignoreNotFound = (e: unknown): void => {
  if ((e as { code?: number }).code !== 404) throw e;
};

/**
 * startEndpointsController keeps, for every Service with a selector, an Endpoints object of the
 * same name listing the selected pods (ready ones in addresses, the others in notReadyAddresses)
 * on the Service's resolved target ports. Endpoints of Services without a selector are the user's
 * and left alone; an Endpoints goes when its Service goes. Writes happen only on change.
 */
export const startEndpointsController: ControllerStarter = async (ctx) => {
  const services = ctx.informers.forResource(R.services, { [NAMESPACE_INDEX]: byNamespace });
  const pods = ctx.informers.forResource(R.pods, { [NAMESPACE_INDEX]: byNamespace });
  const endpoints = ctx.informers.forResource(R.endpoints);
  const queue = new WorkQueue(ctx.clock);
  const enqueue = (o: KubeObject): void => queue.add(objectKeyOf(o));
  const enqueueServicesOf = (...ps: KubeObject[]): void => {
    for (const svc of services.byIndex(NAMESPACE_INDEX, ps[0]?.metadata.namespace ?? '')) {
      if (ps.some((p) => selectsPod(svc, p))) enqueue(svc);
    }
  };
  services.addHandlers({ onAdd: enqueue, onUpdate: (_, s) => enqueue(s), onDelete: enqueue });
  pods.addHandlers({ onAdd: (p) => enqueueServicesOf(p), onUpdate: (o, p) => enqueueServicesOf(o, p), onDelete: (p) => enqueueServicesOf(p) });
  // A deleted Endpoints of a live Service is written again.
  endpoints.addHandlers({ onDelete: enqueue });
  await ctx.informers.waitForSync();
  const client = ctx.client.resource(R.endpoints);

  const sync = async (key: string): Promise<void> => {
    const { namespace, name } = splitKey(key);
    const svc = services.get(key);
    const current = endpoints.get(key);
    if (!svc) {
      if (current) await client.delete(namespace, name).catch(ignoreNotFound);
      return;
    }
    if (!serviceSelector(svc)) return;
    const selected = pods.byIndex(NAMESPACE_INDEX, namespace).filter((p) => selectsPod(svc, p));
    const subsets = desiredSubsets(svc, selected);
    const labels = serviceLabels(svc);
    if (!current) {
      await client.create(namespace, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels }, subsets });
      return;
    }
    if (semanticEqual(arr(current, 'subsets'), subsets) && semanticEqual(current.metadata.labels ?? {}, labels)) return;
    const next = structuredClone(current);
    next.metadata.labels = labels;
    next.subsets = subsets;
    await client.update(next);
  };
  await runController({ name: 'endpoints', queue, sync, workers: 2, logger: ctx.logger, signal: ctx.signal });
};
