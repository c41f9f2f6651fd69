/**
 * The horizontal pod autoscaler controller (kube-controller-manager's pkg/controller/podautoscaler):
 * every sync period each HorizontalPodAutoscaler's target is scaled to what its resource metrics
 * ask for. HPAs are queued with the sync period as delay (upstream's fixed-interval rate limiter),
 * so each is reconciled once per period; a failed sync is retried at the next period, not sooner.
 */
import { R } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import { objectKeyOf, type IndexFunc } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';
import { DEFAULT_HPA_SETTINGS, type HpaDeps, type HpaSettings } from './deps.js';
import { restResourceMetricsClient } from './metrics_client.js';
import { forgetHpa, newHpaState, reconcileAutoscaler } from './reconcile.js';
import { restScaleClient, type RestMapper } from './scale_client.js';

export { reconcileAutoscaler, newHpaState, forgetHpa, type HpaState } from './reconcile.js';
export { DEFAULT_HPA_SETTINGS, type HpaSettings, type HpaDeps, type ResourceMetricsClient, type ScaleClient } from './deps.js';
export { restScaleClient, type RestMapper, type ResourceMapping } from './scale_client.js';

/** HPAS is the autoscaling/v2 HorizontalPodAutoscaler collection. */
export const HPAS = { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' };

const NAMESPACE_INDEX = 'namespace';
const byNamespace: IndexFunc = (obj) => [obj.metadata.namespace ?? ''];

/** BUILTIN_SCALABLE maps the built-in kinds with a scale subresource, for when no REST mapper is configured. */
const BUILTIN_SCALABLE: Record<string, { group: string; version: string; resource: string }> = {
  'apps/Deployment': R.deployments,
  'apps/ReplicaSet': R.replicasets,
  'apps/StatefulSet': R.statefulsets,
  '/ReplicationController': { group: '', version: 'v1', resource: 'replicationcontrollers' },
};

const builtinMapper: RestMapper = (group, kind) => {
  const m = BUILTIN_SCALABLE[`${group}/${kind}`];
  return m ? [m] : [];
};

/**
 * startHorizontalPodAutoscalerController watches HPAs and pods (pods only through the cache the
 * calculation reads), reads metrics from metrics.k8s.io and scales through `/scale`, until
 * ctx.signal aborts. ctx.config.horizontalPodAutoscaler overrides the flags' defaults.
 */
export const startHorizontalPodAutoscalerController: ControllerStarter = async (ctx) => {
  const settings: HpaSettings = { ...DEFAULT_HPA_SETTINGS, ...(ctx.config.horizontalPodAutoscaler ?? {}) };
  const hpaInformer = ctx.informers.forResource(HPAS);
  const podInformer = ctx.informers.forResource(R.pods, { [NAMESPACE_INDEX]: byNamespace });
  const queue = new WorkQueue(ctx.clock);
  const logger = ctx.logger.child('horizontal-pod-autoscaler');
  const hpas = ctx.client.resource(HPAS);
  const deps: HpaDeps = {
    scales: restScaleClient(ctx.client, ctx.config.restMapper ?? builtinMapper),
    metrics: restResourceMetricsClient(ctx.client),
    listPods: (ns) => podInformer.byIndex(NAMESPACE_INDEX, ns),
    updateStatus: async (hpa) => {
      await hpas.updateStatus(hpa);
    },
    recorder: ctx.recorder('horizontal-pod-autoscaler'),
    clock: ctx.clock,
    logger,
    settings,
  };
  const state = newHpaState();
  const timers = new Map<string, () => void>();
  // A key waiting for its period is not pushed back by further events (the earliest wins).
  const schedule = (key: string): void => {
    if (timers.has(key) || ctx.signal.aborted) return;
    timers.set(
      key,
      ctx.clock.setTimeout(() => {
        timers.delete(key);
        queue.add(key);
      }, settings.syncPeriodMs),
    );
  };
  ctx.signal.addEventListener('abort', () => {
    for (const cancel of timers.values()) cancel();
    timers.clear();
  });
  hpaInformer.addHandlers({
    onAdd: (o) => schedule(objectKeyOf(o)),
    onUpdate: (_old, o) => schedule(objectKeyOf(o)),
    onDelete: (o) => {
      const key = objectKeyOf(o);
      timers.get(key)?.();
      timers.delete(key);
      forgetHpa(state, key);
    },
  });
  await ctx.informers.waitForSync();
  const sync = async (key: string): Promise<void> => {
    const hpa = hpaInformer.get(key);
    if (!hpa) {
      forgetHpa(state, key);
      return;
    }
    try {
      await reconcileAutoscaler(deps, state, key, hpa);
    } catch (e) {
      logger.info('hpa sync failed', { hpa: key, err: (e as Error).message });
    }
    schedule(key);
  };
  await runController({ name: 'horizontal-pod-autoscaler', queue, sync, workers: 5, logger, signal: ctx.signal });
};
