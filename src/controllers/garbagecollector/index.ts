/**
 * The garbage collector (kube-controller-manager's pkg/controller/garbagecollector, simplified):
 * objects whose owners are all gone are deleted; owners deleted with propagationPolicy Foreground
 * (`foregroundDeletion` finalizer) go once their blocking dependents are gone; owners deleted with
 * Orphan (`orphan` finalizer) go once their dependents no longer reference them.
 */
import { runController } from '../../client/controller.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';
import { processDependent } from './dependents.js';
import type { GcDeps } from './deps.js';
import { Graph, parseKey, type GraphResource } from './graph.js';
import { gcHandlers } from './handlers.js';
import { processOwner } from './owners.js';
import { GC_INDEXERS, WATCHED_RESOURCES } from './resources.js';

export { WATCHED_RESOURCES } from './resources.js';

/** GC_WORKERS is the number of concurrent collector syncs (upstream's --concurrent-gc-syncs default is 20). */
export const GC_WORKERS = 4;

/** syncGarbageCollector processes one work-queue key (a dependent to check, or an owner to finish). */
export async function syncGarbageCollector(d: GcDeps, key: string): Promise<void> {
  const k = parseKey(key);
  const res = k && d.graph.resource(k.resource);
  const obj = k && res?.lister.get(k.objectKey);
  if (!k || !res || !obj) return;
  if (k.kind === 'dep') return processDependent(d, { res, obj });
  return processOwner(d, { res, obj });
}

/**
 * startGarbageCollector registers handlers on the shared informers of WATCHED_RESOURCES (adding
 * its uid and owner-uid indexes) synchronously, waits for the caches, then collects until
 * ctx.signal aborts.
 */
export const startGarbageCollector: ControllerStarter = async (ctx) => {
  const resources: GraphResource[] = WATCHED_RESOURCES.map((type) => ({
    type,
    lister: ctx.informers.forResource(type.gvr, GC_INDEXERS),
    client: ctx.client.resource(type.gvr),
  }));
  const queue = new WorkQueue(ctx.clock);
  const logger = ctx.logger.child('garbage-collector');
  const deps: GcDeps = { graph: new Graph(resources), client: ctx.client, logger, enqueue: (key) => queue.add(key) };
  for (const res of resources) ctx.informers.forResource(res.type.gvr).addHandlers(gcHandlers(deps, res));
  await ctx.informers.waitForSync();
  await runController({ name: 'garbagecollector', queue, sync: (key) => syncGarbageCollector(deps, key), workers: GC_WORKERS, logger, signal: ctx.signal });
};
