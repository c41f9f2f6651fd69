import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { runController, splitKey } from '../../client/controller.js';
import { objectKeyOf } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerContext, ControllerStarter } from '../context.js';
import { CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, SKIP_MIRROR_LABEL, desiredSlices } from './desired.js';
import { reconcileSlices, type SliceActions } from './reconcile.js';
import { WriteTracker } from './tracker.js';

const SERVICE_INDEX = 'endpointslicemirroring-service';
// Endpoints used as leader-election locks are never mirrored (upstream's hasLeaderElection).
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';

/** mirroredServiceKey returns `namespace/service` of a slice this controller manages, or undefined. */
function mirroredServiceKey(slice: KubeObject): string | undefined {
  const labels = slice.metadata.labels ?? {};
  const svc = labels[SERVICE_NAME_LABEL];
  return svc && labels[MANAGED_BY_LABEL] === CONTROLLER_NAME ? `${slice.metadata.namespace ?? ''}/${svc}` : undefined;
}

/** shouldMirror: the Service exists without a selector, and its Endpoints opt not out. */
function shouldMirror(svc: KubeObject | undefined, endpoints: KubeObject | undefined): endpoints is KubeObject {
  if (!svc || !endpoints) return false;
  if ((svc as { spec?: { selector?: unknown } }).spec?.selector) return false;
  if (endpoints.metadata.labels?.[SKIP_MIRROR_LABEL] === 'true') return false;
  return endpoints.metadata.annotations?.[LEADER_ANNOTATION] === undefined;
}

/**
 * startEndpointSliceMirroringController mirrors the Endpoints of Services without a selector
 * (hand-written Endpoints) into EndpointSlices labelled with the Service name and this
 * controller and owned by the Endpoints, so that EndpointSlice readers (the node proxy, DNS)
 * serve them; mirrored slices go when the Endpoints, the Service, or its lack of selector do.
 */
export const startEndpointSliceMirroringController: ControllerStarter = async (ctx) => {
  const services = ctx.informers.forResource(R.services);
  const endpoints = ctx.informers.forResource(R.endpoints);
  const slices = ctx.informers.forResource(R.endpointslices, { [SERVICE_INDEX]: (s) => { const k = mirroredServiceKey(s); return k ? [k] : []; } });
  const queue = new WorkQueue(ctx.clock);
  const enqueue = (o: KubeObject): void => queue.add(objectKeyOf(o));
  const enqueueOwner = (s: KubeObject): void => {
    const k = mirroredServiceKey(s);
    if (k) queue.add(k);
  };
  services.addHandlers({ onAdd: enqueue, onUpdate: (_, s) => enqueue(s), onDelete: enqueue });
  endpoints.addHandlers({ onAdd: enqueue, onUpdate: (_, e) => enqueue(e), onDelete: enqueue });
  slices.addHandlers({ onAdd: enqueueOwner, onUpdate: (o, s) => { enqueueOwner(o); enqueueOwner(s); }, onDelete: enqueueOwner });
  await ctx.informers.waitForSync();
  const tracker = new WriteTracker();

  const sync = async (key: string): Promise<void> => {
    const existing = slices.byIndex(SERVICE_INDEX, key);
    if (tracker.stale(key, existing, ctx.clock.now())) {
      queue.addAfter(key, 1000); // the slice events re-queue it sooner; this is a safety net
      return;
    }
    const ep = endpoints.get(key);
    const actions: SliceActions = shouldMirror(services.get(key), ep) ? reconcileSlices(ep, existing, desiredSlices(ep)) : { create: [], update: [], remove: existing };
    await apply(ctx, key, actions, tracker);
  };
  await runController({ name: 'endpointslicemirroring', queue, sync, workers: 2, logger: ctx.logger, signal: ctx.signal });
};

async function apply(ctx: ControllerContext, key: string, actions: SliceActions, tracker: WriteTracker): Promise<void> {
  const { namespace } = splitKey(key);
  const client = ctx.client.resource(R.endpointslices);
  for (const s of actions.remove) {
    try {
      await client.delete(namespace, s.metadata.name ?? '');
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
    tracker.expect(key, s.metadata.name ?? '', null, ctx.clock.now());
  }
  for (const s of actions.update) {
    const r = await client.update(s);
    tracker.expect(key, r.metadata.name ?? '', r.metadata.resourceVersion ?? '', ctx.clock.now());
  }
  for (const s of actions.create) {
    const r = await client.create(namespace, s);
    tracker.expect(key, r.metadata.name ?? '', r.metadata.resourceVersion ?? '', ctx.clock.now());
  }
}
