import type { KubeObject } from '../../api/types.js';
import type { ResourceClient } from '../../client/client.js';
import type { EventRecorder } from '../../client/events.js';
import type { IndexFunc } from '../../client/informer.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import { labelSelectorFromObject, type Selector } from '../../api/labels/selector.js';
import { field } from '../../api/object.js';
import type { Expectations } from '../../client/expectations.js';
import { controllerRefOf } from './pods.js';

/** Lister is the read side of an informer cache the controller needs (an Informer satisfies it). */
export interface Lister {
  get(key: string): KubeObject | undefined;
  byIndex(name: string, value: string): KubeObject[];
}

/** NAMESPACE_INDEX names the informer index of objects by namespace. */
export const NAMESPACE_INDEX = 'namespace';

/** byNamespace is the NAMESPACE_INDEX function. */
export const byNamespace: IndexFunc = (obj) => [obj.metadata.namespace ?? ''];

/** CONTROLLER_INDEX names the pod index by `namespace/controller-uid` (`namespace/` for orphans). */
export const CONTROLLER_INDEX = 'replicaset-controller-uid';

/**
 * byControllerUid is the CONTROLLER_INDEX function: a sync reads its own pods and the orphans of
 * its namespace, not every pod of the namespace (O(own pods) per sync, not O(namespace)).
 */
export const byControllerUid: IndexFunc = (obj) => [controllerIndexKey(obj.metadata.namespace ?? '', controllerRefOf(obj)?.uid ?? '')];

/** controllerIndexKey is the CONTROLLER_INDEX value of pods controlled by `uid` ("" for orphans) in a namespace. */
export function controllerIndexKey(namespace: string, uid: string): string {
  return `${namespace}/${uid}`;
}

/**
 * OwnerKind is the kind the controller keeps replicas of: ReplicaSet, or ReplicationController
 * (upstream runs the same controller for both, with a map selector for the latter).
 */
export interface OwnerKind {
  apiVersion: string;
  kind: string;
  /** selector converts the object's spec.selector; undefined when it does not convert. */
  selector(obj: KubeObject): Selector | undefined;
}

/** selectorOrUndefined converts a selector, undefined when it does not (a sync skips such owners). */
function selectorOrUndefined(sel: unknown): Selector | undefined {
  try {
    return labelSelectorFromObject(sel);
  } catch {
    return undefined;
  }
}

/** REPLICA_SET is the apps/v1 ReplicaSet owner kind (a LabelSelector). */
export const REPLICA_SET: OwnerKind = { apiVersion: 'apps/v1', kind: 'ReplicaSet', selector: (obj) => selectorOrUndefined(field(obj, 'spec', 'selector')) };

/** REPLICATION_CONTROLLER is the v1 ReplicationController owner kind (a plain label map; empty selects nothing). */
export const REPLICATION_CONTROLLER: OwnerKind = {
  apiVersion: 'v1',
  kind: 'ReplicationController',
  selector: (obj) => selectorOrUndefined({ matchLabels: field(obj, 'spec', 'selector') ?? {} }),
};

/** ReplicaSetDeps is everything a ReplicaSet sync touches: caches, clients, time, expectations. */
export interface ReplicaSetDeps {
  owner: OwnerKind;
  podLister: Lister;
  rsLister: Lister;
  pods: ResourceClient;
  replicaSets: ResourceClient;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  expectations: Expectations;
  /** burstReplicas caps creations/deletions per sync (BURST_REPLICAS). */
  burstReplicas: number;
  /** enqueueAfter re-queues a ReplicaSet key later (minReadySeconds checks). */
  enqueueAfter(key: string, ms: number): void;
}
