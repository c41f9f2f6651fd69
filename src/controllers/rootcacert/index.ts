import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';

/** ROOT_CA_CONFIGMAP is the ConfigMap every namespace holds with the CA that verifies the API server. */
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';

/** The description upstream puts on the ConfigMap. */
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

const isActive = (ns: KubeObject | undefined): ns is KubeObject => !!ns && !ns.metadata.deletionTimestamp && (ns.status as { phase?: unknown } | undefined)?.phase !== 'Terminating';

/**
 * startRootCACertPublisher keeps a `kube-root-ca.crt` ConfigMap in every active namespace, its
 * `ca.crt` the bundle pods use to trust the API server (the projected service-account volume
 * mounts it), as kube-controller-manager's root-ca-cert-publisher does: created with the
 * namespace, recreated when deleted, put back when edited.
 */
export const startRootCACertPublisher: ControllerStarter = async (ctx) => {
  const caPem = ctx.config.rootCAPem;
  if (!caPem) return;
  const namespaces = ctx.informers.forResource(R.namespaces);
  const configmaps = ctx.informers.forResource(R.configmaps);
  const queue = new WorkQueue(ctx.clock);
  const enqueue = (ns: KubeObject): void => queue.add(ns.metadata.name ?? '');
  const ofConfigMap = (cm: KubeObject): void => {
    if (cm.metadata.name === ROOT_CA_CONFIGMAP) queue.add(cm.metadata.namespace ?? '');
  };
  namespaces.addHandlers({ onAdd: enqueue, onUpdate: (_, ns) => enqueue(ns) });
  configmaps.addHandlers({ onUpdate: (_, cm) => ofConfigMap(cm), onDelete: ofConfigMap });
  await ctx.informers.waitForSync();
  const client = ctx.client.resource(R.configmaps);
  const sync = async (name: string): Promise<void> => {
    if (!isActive(namespaces.get(name))) return;
    const cm = configmaps.get(`${name}/${ROOT_CA_CONFIGMAP}`);
    const data = (cm as { data?: Record<string, string> } | undefined)?.data;
    const annotations = cm?.metadata.annotations ?? {};
    if (cm && data?.['ca.crt'] === caPem && Object.keys(data).length === 1 && annotations['kubernetes.io/description'] === DESCRIPTION) return;
    try {
      if (!cm) {
        await client.create(name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, namespace: name, annotations: { 'kubernetes.io/description': DESCRIPTION } }, data: { 'ca.crt': caPem } } as KubeObject);
      } else {
        const fixed = { ...cm, metadata: { ...cm.metadata, annotations: { ...annotations, 'kubernetes.io/description': DESCRIPTION } }, data: { 'ca.crt': caPem } } as KubeObject;
        await client.update(fixed);
      }
    } catch (e) {
      const code = (e as { code?: number }).code;
      // 409: the cache was behind (the next event syncs again); 403/404: the namespace is terminating or gone.
      if (code === 409) return queue.addRateLimited(name);
      if (code !== 403 && code !== 404) throw e;
    }
  };
  await runController({ name: 'root-ca-cert-publisher', queue, sync, workers: 2, logger: ctx.logger, signal: ctx.signal });
};
