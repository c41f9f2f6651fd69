/**
 * The Deployment controller (kube-controller-manager's pkg/controller/deployment): rolls pod
 * templates out through ReplicaSets named `<deployment>-<pod-template-hash>` with the
 * RollingUpdate or Recreate strategy, keeps revision annotations for `kubectl rollout`, scales
 * proportionally, honours spec.paused, and reports status with Available/Progressing conditions.
 */
import { R } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';
import { byNamespace, NAMESPACE_INDEX, type DeploymentDeps } from './deps.js';
import { deploymentHandlers } from './handlers.js';
import { syncDeployment } from './sync.js';

export { syncDeployment } from './sync.js';
export { computeHash } from './hash.js';
export type { DeploymentDeps, Lister } from './deps.js';

/** DEPLOYMENT_WORKERS is the number of Deployments synced concurrently (upstream's --concurrent-deployment-syncs). */
export const DEPLOYMENT_WORKERS = 5;

/**
 * startDeploymentController registers its Deployment, ReplicaSet and Pod handlers synchronously,
 * waits for the shared caches, then syncs Deployments until ctx.signal aborts.
 */
export const startDeploymentController: ControllerStarter = async (ctx) => {
  const index = { [NAMESPACE_INDEX]: byNamespace };
  const deploymentInformer = ctx.informers.forResource(R.deployments, index);
  const rsInformer = ctx.informers.forResource(R.replicasets, index);
  const podInformer = ctx.informers.forResource(R.pods, index);
  const queue = new WorkQueue(ctx.clock);
  const logger = ctx.logger.child('deployment-controller');
  const deps: DeploymentDeps = {
    deploymentLister: deploymentInformer,
    rsLister: rsInformer,
    podLister: podInformer,
    deployments: ctx.client.resource(R.deployments),
    replicaSets: ctx.client.resource(R.replicasets),
    recorder: ctx.recorder('deployment-controller'),
    clock: ctx.clock,
    logger,
    enqueueAfter: (key, ms) => queue.addAfter(key, ms),
    enqueueRateLimited: (key) => queue.addRateLimited(key),
  };
  const handlers = deploymentHandlers(deps, (key) => queue.add(key));
  deploymentInformer.addHandlers(handlers.deployments);
  rsInformer.addHandlers(handlers.replicaSets);
  podInformer.addHandlers(handlers.pods);
  await ctx.informers.waitForSync();
  await runController({ name: 'deployment', queue, sync: (key) => syncDeployment(deps, key), workers: DEPLOYMENT_WORKERS, logger, signal: ctx.signal });
};
