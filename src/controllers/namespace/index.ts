import type { KubeObject } from '../../api/types.js';
import { arr } from '../../api/object.js';
import { R, type GroupVersionResource } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerContext, ControllerStarter } from '../context.js';
import { deleteNamespaceContent, namespacedResources } from './content.js';
import { deletionConditions, mergeConditions } from './conditions.js';

/** NAMESPACE_FINALIZER is the spec.finalizers entry this controller owns. */
export const NAMESPACE_FINALIZER = 'kubernetes';

/** NamespaceControllerOptions tune the namespace controller (defaults suit `skiff server`). */
export interface NamespaceControllerOptions {
  /** resources to empty; default: every namespaced resource the server serves. */
  resources?: GroupVersionResource[];
  /** recheckMs: how soon a namespace whose content is still going away is looked at again (2000). */
  recheckMs?: number;
}

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * newNamespaceController returns a starter for the namespace controller: a namespace marked for
 * deletion is emptied (every namespaced object deleted, then waited for), its status conditions
 * report progress, and finally the `kubernetes` finalizer is removed through namespaces/NAME/finalize,
 * after which the API server removes the namespace.
 */
export function newNamespaceController(opts: NamespaceControllerOptions = {}): ControllerStarter {
  return async (ctx) => {
    const namespaces = ctx.informers.forResource(R.namespaces);
    const pods = ctx.informers.forResource(R.pods);
    const queue = new WorkQueue(ctx.clock);
    const enqueue = (ns: KubeObject): void => {
      if (ns.metadata.deletionTimestamp) queue.add(ns.metadata.name ?? '');
    };
    // gone: namespaces removed while content may remain (a server that skipped the finalizer,
    // or a finalize racing a late create); their leftovers are deleted too.
    const gone = new Set<string>();
    namespaces.addHandlers({
      onAdd: enqueue,
      onUpdate: (_, ns) => enqueue(ns),
      onDelete: (ns) => {
        gone.add(ns.metadata.name ?? '');
        queue.add(ns.metadata.name ?? '');
      },
    });
    // A pod finishing its graceful deletion is often the last thing a namespace waits for.
    pods.addHandlers({
      onDelete: (pod) => {
        const ns = namespaces.get(pod.metadata.namespace ?? '');
        if (ns) enqueue(ns);
      },
    });
    await ctx.informers.waitForSync();
    const resources = opts.resources ?? namespacedResources();
    const recheckMs = opts.recheckMs ?? 2000;
    const sync = async (name: string): Promise<void> => {
      const ns = namespaces.get(name);
      if (!ns && gone.has(name)) return cleanUpOrphans(name);
      gone.delete(name);
      if (!ns?.metadata.deletionTimestamp || !arr(ns, 'spec', 'finalizers').includes(NAMESPACE_FINALIZER)) return;
      const report = await deleteNamespaceContent(ctx.client, name, resources);
      await writeConditions(ctx, ns, report);
      if (report.failures.length) throw new Error(`deleting content of namespace ${name}: ${report.failures.join('; ')}`);
      if (report.remaining.size) {
        queue.addAfter(name, recheckMs);
        return;
      }
      await finalize(ctx, name);
    };
    const cleanUpOrphans = async (name: string): Promise<void> => {
      const report = await deleteNamespaceContent(ctx.client, name, resources);
      if (report.failures.length) throw new Error(`deleting content of removed namespace ${name}: ${report.failures.join('; ')}`);
      if (report.remaining.size) queue.addAfter(name, recheckMs);
      else gone.delete(name);
    };
    await runController({ name: 'namespace', queue, sync, workers: 2, logger: ctx.logger, signal: ctx.signal });
  };
}

/** startNamespaceController runs the namespace controller with default options. */
export const startNamespaceController: ControllerStarter = (ctx) => newNamespaceController()(ctx);

async function writeConditions(ctx: ControllerContext, ns: KubeObject, report: Parameters<typeof deletionConditions>[0]): Promise<void> {
  const conditions = mergeConditions(ns, deletionConditions(report), rfc3339(ctx.clock.now()));
  if (!conditions) return;
  const copy = structuredClone(ns);
  copy.status = { ...((copy.status as object | undefined) ?? {}), conditions };
  try {
    await ctx.client.resource(R.namespaces).updateStatus(copy);
  } catch (e) {
    // Conditions are informative only; a conflict is fixed by the next pass.
    ctx.logger.debug('namespace condition update failed', { namespace: ns.metadata.name, err: (e as Error).message });
  }
}

/** finalize drops this controller's finalizer from a fresh copy of the namespace. */
async function finalize(ctx: ControllerContext, name: string): Promise<void> {
  let ns: KubeObject;
  try {
    ns = await ctx.client.resource(R.namespaces).get('', name);
  } catch (e) {
    if ((e as { code?: number }).code === 404) return;
    throw e;
  }
  const finalizers = arr(ns, 'spec', 'finalizers').filter((f) => f !== NAMESPACE_FINALIZER);
  const body: KubeObject = { ...ns, spec: { ...((ns.spec as object | undefined) ?? {}), finalizers } };
  await ctx.client.transport.request({ verb: 'update', group: '', version: 'v1', resource: 'namespaces', name, subresource: 'finalize', body });
  ctx.logger.info('namespace finalized', { namespace: name });
}
