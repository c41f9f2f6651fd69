import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { ResourceClient } from '../../client/client.js';
import type { EventRecorder } from '../../client/events.js';
import type { IndexFunc } from '../../client/informer.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';

/** Lister is the read side of an informer cache (an Informer satisfies it). */
export interface Lister {
  get(key: string): KubeObject | undefined;
  byIndex(name: string, value: string): KubeObject[];
}

/** NAMESPACE_INDEX names the informer index of objects by namespace. */
export const NAMESPACE_INDEX = 'namespace';

/** byNamespace is the NAMESPACE_INDEX function. */
export const byNamespace: IndexFunc = (obj) => [obj.metadata.namespace ?? ''];

/** DeploymentDeps is everything a Deployment sync touches. */
export interface DeploymentDeps {
  deploymentLister: Lister;
  rsLister: Lister;
  podLister: Lister;
  deployments: ResourceClient;
  replicaSets: ResourceClient;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  /** enqueueAfter re-queues a Deployment key later (progress deadline checks). */
  enqueueAfter(key: string, ms: number): void;
  /** enqueueRateLimited re-queues a Deployment key with backoff. */
  enqueueRateLimited(key: string): void;
}

/** controllerRefOf returns the owner reference marked controller: true, if any. */
export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}
