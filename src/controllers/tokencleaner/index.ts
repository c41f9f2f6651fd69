import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { runController, splitKey } from '../../client/controller.js';
import { Informer, objectKeyOf } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { BOOTSTRAP_TOKEN_NAMESPACE, BOOTSTRAP_TOKEN_SECRET_TYPE, bootstrapTokenFromSecret } from '../../pki/index.js';
import type { ControllerStarter } from '../context.js';

/**
 * expirationOf is when a bootstrap token Secret is due for deletion (ms), undefined when it never
 * expires or is no bootstrap token. Secrets that are bootstrap tokens in type only (bad fields)
 * are left to their owner, as upstream does.
 */
export function expirationOf(secret: KubeObject): number | undefined {
  return bootstrapTokenFromSecret(secret)?.expiresAt;
}

/**
 * startTokenCleaner deletes expired bootstrap token Secrets in kube-system, as
 * kube-controller-manager's tokencleaner does. It watches only those Secrets (namespace and type
 * field selector): its role (system:controller:token-cleaner) is a Role in kube-system. Each token
 * is re-queued for the moment it expires.
 */
export const startTokenCleaner: ControllerStarter = async (ctx) => {
  const secretsClient = ctx.client.resource(R.secrets);
  const secrets = new Informer({
    client: secretsClient,
    namespace: BOOTSTRAP_TOKEN_NAMESPACE,
    fieldSelector: `type=${BOOTSTRAP_TOKEN_SECRET_TYPE}`,
    logger: ctx.logger.child('informer/secrets'),
  });
  const queue = new WorkQueue(ctx.clock);
  const enqueue = (s: KubeObject): void => {
    if (expirationOf(s) !== undefined) queue.add(objectKeyOf(s));
  };
  secrets.addHandlers({ onAdd: enqueue, onUpdate: (_, s) => enqueue(s) });
  void secrets.run(ctx.signal);
  await secrets.waitForSync();
  const sync = async (key: string): Promise<void> => {
    const cached = secrets.get(key);
    const due = cached ? expirationOf(cached) : undefined;
    if (!cached || due === undefined) return;
    const now = ctx.clock.now();
    if (due > now) return queue.addAfter(key, due - now);
    const { namespace, name } = splitKey(key);
    try {
      // The uid precondition keeps a token re-created under the same name since the cache saw it.
      await secretsClient.delete(namespace, name, { preconditions: { uid: cached.metadata.uid ?? '' } });
      ctx.logger.info('deleted expired bootstrap token', { secret: key });
    } catch (e) {
      const code = (e as { code?: number }).code;
      if (code !== 404 && code !== 409) throw e;
    }
  };
  await runController({ name: 'tokencleaner', queue, sync, workers: 1, logger: ctx.logger, signal: ctx.signal });
};
