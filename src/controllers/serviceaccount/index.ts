import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';

/** DEFAULT_SERVICE_ACCOUNT is the ServiceAccount every active namespace has. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

const isActive = (ns: KubeObject | undefined): ns is KubeObject => !!ns && !ns.metadata.deletionTimestamp && (ns.status as { phase?: unknown } | undefined)?.phase !== 'Terminating';

/**
 * startServiceAccountController ensures every active namespace has a ServiceAccount named
 * `default`, creating it when a namespace appears and again whenever it is deleted.
 */
export const startServiceAccountController: ControllerStarter = async (ctx) => {
  const namespaces = ctx.informers.forResource(R.namespaces);
  const accounts = ctx.informers.forResource(R.serviceaccounts);
  const queue = new WorkQueue(ctx.clock);
  const enqueue = (ns: KubeObject): void => queue.add(ns.metadata.name ?? '');
  namespaces.addHandlers({ onAdd: enqueue, onUpdate: (_, ns) => enqueue(ns) });
  accounts.addHandlers({
    onDelete: (sa) => {
      if (sa.metadata.name === DEFAULT_SERVICE_ACCOUNT) queue.add(sa.metadata.namespace ?? '');
    },
  });
  await ctx.informers.waitForSync();
  const sync = async (name: string): Promise<void> => {
    if (!isActive(namespaces.get(name)) || accounts.get(`${name}/${DEFAULT_SERVICE_ACCOUNT}`)) return;
    try {
      await ctx.client.resource(R.serviceaccounts).create(name, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace: name } });
    } catch (e) {
      const code = (e as { code?: number }).code;
      // 409: the cache was behind; 403/404: the namespace is terminating or already gone.
      if (code !== 409 && code !== 403 && code !== 404) throw e;
    }
  };
  await runController({ name: 'serviceaccount', queue, sync, workers: 2, logger: ctx.logger, signal: ctx.signal });
};
