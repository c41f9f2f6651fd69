/**
 * The ReplicaSet controller (kube-controller-manager's pkg/controller/replicaset): keeps
 * spec.replicas pods of each ReplicaSet running, adopting and releasing pods by selector, and
 * reports replicas, fullyLabeledReplicas, readyReplicas and availableReplicas in status.
 */
import { R, type GroupVersionResource } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';
import { byControllerUid, byNamespace, CONTROLLER_INDEX, NAMESPACE_INDEX, REPLICA_SET, REPLICATION_CONTROLLER, type OwnerKind, type ReplicaSetDeps } from './deps.js';
import { Expectations } from '../../client/expectations.js';
import { replicaSetHandlers } from './handlers.js';
import { BURST_REPLICAS } from './manage.js';
import { syncReplicaSet } from './sync.js';

export { syncReplicaSet } from './sync.js';
export { Expectations } from '../../client/expectations.js';
export type { ReplicaSetDeps, Lister } from './deps.js';
export { REPLICA_SET } from './deps.js';

/** REPLICASET_WORKERS is the number of ReplicaSets synced concurrently (upstream's --concurrent-replicaset-syncs default). */
export const REPLICASET_WORKERS = 5;

/** ReplicaSetLikeOptions pick the kind a replica controller runs for. */
interface ReplicaSetLikeOptions {
  owner: OwnerKind;
  resource: GroupVersionResource;
  /** name is the controller's (events' source component and queue name). */
  name: string;
}

/** startReplicaSetLike runs the replica controller for one owner kind (ReplicaSet or ReplicationController). */
function startReplicaSetLike(opts: ReplicaSetLikeOptions): ControllerStarter {
  return async (ctx) => {
    const podInformer = ctx.informers.forResource(R.pods, { [NAMESPACE_INDEX]: byNamespace, [CONTROLLER_INDEX]: byControllerUid });
    const rsInformer = ctx.informers.forResource(opts.resource, { [NAMESPACE_INDEX]: byNamespace });
    const queue = new WorkQueue(ctx.clock);
    const logger = ctx.logger.child(opts.name);
    const deps: ReplicaSetDeps = {
      owner: opts.owner,
      podLister: podInformer,
      rsLister: rsInformer,
      pods: ctx.client.resource(R.pods),
      replicaSets: ctx.client.resource(opts.resource),
      recorder: ctx.recorder(opts.name),
      clock: ctx.clock,
      logger,
      expectations: new Expectations(ctx.clock),
      burstReplicas: BURST_REPLICAS,
      enqueueAfter: (key, ms) => queue.addAfter(key, ms),
    };
    const handlers = replicaSetHandlers(deps, (key) => queue.add(key));
    rsInformer.addHandlers(handlers.replicaSets);
    podInformer.addHandlers(handlers.pods);
    await ctx.informers.waitForSync();
    await runController({ name: opts.name, queue, sync: (key) => syncReplicaSet(deps, key), workers: REPLICASET_WORKERS, logger, signal: ctx.signal });
  };
}

/**
 * startReplicaSetController registers its pod and ReplicaSet handlers synchronously, waits for the
 * shared caches, then syncs ReplicaSets until ctx.signal aborts.
 */
export const startReplicaSetController: ControllerStarter = startReplicaSetLike({ owner: REPLICA_SET, resource: R.replicasets, name: 'replicaset-controller' });

/** startReplicationController is the same controller for v1 ReplicationControllers (kube-controller-manager's replicationcontroller loop). */
export const startReplicationController: ControllerStarter = startReplicaSetLike({ owner: REPLICATION_CONTROLLER, resource: R.replicationcontrollers, name: 'replication-controller' });
