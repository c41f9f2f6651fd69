import type { KubeObject } from '../api/types.js';
import { isStatusError } from '../api/errors.js';
import type { Logger } from '../lib/log.js';
import type { ApiCore } from './core.js';
import type { Scope } from './scope.js';
import { createObject, guaranteedUpdate } from './writes.js';
import { objectKey } from './object_store.js';
import { reconcileBootstrapPolicy } from './rbac/reconcile.js';

/** SYSTEM_USER is the identity of the server's own writes. */
export const SYSTEM_USER = { name: 'system:apiserver', groups: ['system:masters'] };

/** systemScope builds a Scope for a server-internal request. */
export function systemScope(core: ApiCore, group: string, version: string, plural: string, namespace = ''): Scope {
  const served = core.registry.lookup(group, version, plural);
  if (!served) throw new Error(`resource ${plural}.${group}/${version} is not registered`);
  return { served, namespace, subresource: '', user: SYSTEM_USER, dryRun: false, fieldValidation: 'Ignore', warnings: [] };
}

async function ensure(core: ApiCore, scope: Scope, obj: KubeObject): Promise<void> {
  // Look first: on restart a create would run admission again, and the Service allocator would
  // refuse the kubernetes Service's ClusterIP as taken (by itself) before storage said 409.
  const t = scope.served.type;
  if ((await core.fresh(t)).get(objectKey(t, scope.namespace, obj.metadata.name ?? ''))) return;
  try {
    await createObject(core, scope, obj as Record<string, unknown>);
  } catch (e) {
    if (!isStatusError(e) || e.code !== 409) throw e;
  }
}

/** BootstrapOptions: what the built-in objects point at. */
export interface BootstrapOptions {
  /** kubernetesServiceIP is the first address of the service CIDR. */
  kubernetesServiceIP: string;
  advertiseAddress: string;
  port: number;
  logger: Logger;
}

/** kubernetesSlice mirrors the `kubernetes` Endpoints into the EndpointSlice the node proxies read. */
function kubernetesSlice(address: string, port: number): Record<string, unknown> {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'skiff-apiserver' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [address], conditions: { ready: true } }],
    ports: [{ name: 'https', port, protocol: 'TCP' }],
  };
}

async function upsert(core: ApiCore, scope: Scope, obj: Record<string, unknown>, merge: (cur: KubeObject) => KubeObject): Promise<void> {
  try {
    await createObject(core, scope, obj);
  } catch (e) {
    if (!isStatusError(e) || e.code !== 409) throw e;
    await guaranteedUpdate(core, scope, String((obj['metadata'] as { name: string }).name), merge);
  }
}

/**
 * bootstrapObjects creates what every cluster has: the namespaces default, kube-system, kube-public
 * and kube-node-lease, the bootstrap RBAC policy (reconciled), and the `kubernetes` Service in
 * default (with its Endpoints) pointing at the API server: what kube-apiserver itself creates. It is
 * idempotent and keeps the Endpoints current on restart. The packaged components' objects (the
 * kube-dns Service, the default IngressClass) come from the manifests folder (./manifests/).
 */
export async function bootstrapObjects(core: ApiCore, opts: BootstrapOptions): Promise<void> {
  const ns = systemScope(core, '', 'v1', 'namespaces');
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    await ensure(core, ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  await reconcileBootstrapPolicy(core, opts.logger.child('rbac'));
  await ensure(core, systemScope(core, '', 'v1', 'services', 'default'), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: opts.kubernetesServiceIP,
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: opts.port }],
      sessionAffinity: 'None',
    },
  });
  const endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: opts.advertiseAddress }], ports: [{ name: 'https', port: opts.port, protocol: 'TCP' }] }],
  };
  if (opts.advertiseAddress.startsWith('127.') || opts.advertiseAddress === '::1') {
    // Endpoints may not hold loopback addresses (kube-apiserver's reconciler fails the same way).
    opts.logger.warn('advertise address is loopback: the kubernetes Endpoints are not written; pass --advertise-address with the node address');
    return;
  }
  await upsert(core, systemScope(core, '', 'v1', 'endpoints', 'default'), endpoints, (cur) => ({ ...cur, subsets: endpoints.subsets }));
  const slice = kubernetesSlice(opts.advertiseAddress, opts.port);
  await upsert(core, systemScope(core, 'discovery.k8s.io', 'v1', 'endpointslices', 'default'), slice, (cur) => ({ ...cur, endpoints: slice['endpoints'], ports: slice['ports'] }));
  opts.logger.info('built-in namespaces and the kubernetes service are in place');
}
