/**
 * The disruption controller (kube-controller-manager's pkg/controller/disruption): keeps every
 * PodDisruptionBudget's status (expectedPods, currentHealthy, desiredHealthy, disruptionsAllowed,
 * disruptedPods, observedGeneration, the DisruptionAllowed condition) in line with the pods its
 * selector matches, which is what the pods/eviction subresource consults.
 */
import { R } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';
import { byNamespace, NAMESPACE_INDEX, type DisruptionDeps } from './deps.js';
import { disruptionHandlers } from './handlers.js';
import { syncPodDisruptionBudget } from './sync.js';

export { syncPodDisruptionBudget, podsForPdb } from './sync.js';
export type { DisruptionDeps, Lister } from './deps.js';

/**
 * startDisruptionController registers its PDB and pod handlers synchronously, waits for the shared
 * caches (PDBs, pods, ReplicaSets, Deployments, StatefulSets), then syncs PDBs with one worker (as
 * upstream) until ctx.signal aborts.
 */
export const startDisruptionController: ControllerStarter = async (ctx) => {
  const index = { [NAMESPACE_INDEX]: byNamespace };
  const pdbInformer = ctx.informers.forResource(R.poddisruptionbudgets, index);
  const podInformer = ctx.informers.forResource(R.pods, index);
  const queue = new WorkQueue(ctx.clock);
  const logger = ctx.logger.child('disruption-controller');
  const deps: DisruptionDeps = {
    pdbLister: pdbInformer,
    podLister: podInformer,
    rsLister: ctx.informers.forResource(R.replicasets),
    deploymentLister: ctx.informers.forResource(R.deployments),
    statefulSetLister: ctx.informers.forResource(R.statefulsets),
    pdbs: ctx.client.resource(R.poddisruptionbudgets),
    recorder: ctx.recorder('controllermanager'),
    clock: ctx.clock,
    logger,
    enqueueAfter: (key, ms) => queue.addAfter(key, ms),
  };
  const handlers = disruptionHandlers(pdbInformer, (key) => queue.add(key));
  pdbInformer.addHandlers(handlers.pdbs);
  podInformer.addHandlers(handlers.pods);
  await ctx.informers.waitForSync();
  await runController({ name: 'disruption', queue, sync: (key) => syncPodDisruptionBudget(deps, key), workers: 1, logger, signal: ctx.signal });
};
