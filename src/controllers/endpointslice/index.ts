import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { runController, splitKey } from '../../client/controller.js';
import { objectKeyOf } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerContext, ControllerStarter } from '../context.js';
import { selectsPod, serviceSelector } from '../endpoints/service_pods.js';
import { desiredGroups } from './desired.js';
import { CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, reconcileSlices, type SliceActions } from './reconcile.js';
import { SliceTracker } from './tracker.js';

const NAMESPACE_INDEX = 'namespace';
const SERVICE_INDEX = 'endpointslice-service';
const byNamespace = (o: KubeObject): string[] => [o.metadata.namespace ?? ''];

/** managedServiceKey returns `namespace/service` of a slice this controller manages, or undefined. */
function managedServiceKey(slice: KubeObject): string | undefined {
  const labels = slice.metadata.labels ?? {};
  const svc = labels[SERVICE_NAME_LABEL];
  return svc && labels[MANAGED_BY_LABEL] === CONTROLLER_NAME ? `${slice.metadata.namespace ?? ''}/${svc}` : undefined;
}

/**
 * startEndpointSliceController keeps the EndpointSlices of every Service with a selector: IPv4
 * slices named `<service>-<random>`, labelled with the Service name and this controller, owned by
 * the Service, at most 100 endpoints each, with ready/serving/terminating conditions per pod.
 * Slices of deleted Services, or of Services that lost their selector, are deleted.
 */
export const startEndpointSliceController: ControllerStarter = async (ctx) => {
  const services = ctx.informers.forResource(R.services, { [NAMESPACE_INDEX]: byNamespace });
  const pods = ctx.informers.forResource(R.pods, { [NAMESPACE_INDEX]: byNamespace });
  const slices = ctx.informers.forResource(R.endpointslices, { [SERVICE_INDEX]: (s) => { const k = managedServiceKey(s); return k ? [k] : []; } });
  const queue = new WorkQueue(ctx.clock);
  const enqueue = (o: KubeObject): void => queue.add(objectKeyOf(o));
  const enqueueServicesOf = (...ps: KubeObject[]): void => {
    for (const svc of services.byIndex(NAMESPACE_INDEX, ps[0]?.metadata.namespace ?? '')) if (ps.some((p) => selectsPod(svc, p))) enqueue(svc);
  };
  const enqueueOwner = (s: KubeObject): void => {
    const k = managedServiceKey(s);
    if (k) queue.add(k);
  };
  services.addHandlers({ onAdd: enqueue, onUpdate: (_, s) => enqueue(s), onDelete: enqueue });
  pods.addHandlers({ onAdd: (p) => enqueueServicesOf(p), onUpdate: (o, p) => enqueueServicesOf(o, p), onDelete: (p) => enqueueServicesOf(p) });
  slices.addHandlers({ onAdd: enqueueOwner, onUpdate: (o, s) => { enqueueOwner(o); enqueueOwner(s); }, onDelete: enqueueOwner });
  await ctx.informers.waitForSync();
  const tracker = new SliceTracker();

  const sync = async (key: string): Promise<void> => {
    const { namespace } = splitKey(key);
    const existing = slices.byIndex(SERVICE_INDEX, key);
    if (tracker.stale(key, existing, ctx.clock.now())) {
      queue.addAfter(key, 1000); // the slice events re-queue it sooner; this is a safety net
      return;
    }
    const svc = services.get(key);
    let actions: SliceActions;
    if (!svc || !serviceSelector(svc)) {
      if (!svc) tracker.forget(key);
      actions = { create: [], update: [], remove: existing };
    } else {
      const selected = pods.byIndex(NAMESPACE_INDEX, namespace).filter((p) => selectsPod(svc, p));
      actions = reconcileSlices(svc, existing, desiredGroups(svc, selected));
    }
    await apply(ctx, key, namespace, actions, tracker);
  };
  await runController({ name: 'endpointslice', queue, sync, workers: 2, logger: ctx.logger, signal: ctx.signal });
};

async function apply(ctx: ControllerContext, key: string, namespace: string, actions: SliceActions, tracker: SliceTracker): Promise<void> {
  const client = ctx.client.resource(R.endpointslices);
  const now = ctx.clock.now();
  for (const s of actions.remove) {
    try {
      await client.delete(namespace, s.metadata.name ?? '');
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
    tracker.expect(key, s.metadata.name ?? '', null, now);
  }
  for (const s of actions.update) {
    const r = await client.update(s);
    tracker.expect(key, r.metadata.name ?? '', r.metadata.resourceVersion ?? '', now);
  }
  for (const s of actions.create) {
    const r = await client.create(namespace, s);
    tracker.expect(key, r.metadata.name ?? '', r.metadata.resourceVersion ?? '', now);
  }
}
