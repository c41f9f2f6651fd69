/** What a PodDisruptionBudget sync reads and writes, as an injectable bundle. */
import type { KubeObject } from '../../api/types.js';
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

/** DisruptionDeps is everything syncPodDisruptionBudget touches: caches, the PDB client, events, time. */
export interface DisruptionDeps {
  pdbLister: Lister;
  podLister: Lister;
  /** scale listers resolve a pod's controller to its desired replica count. */
  rsLister: Lister;
  deploymentLister: Lister;
  statefulSetLister: Lister;
  pdbs: ResourceClient;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  /** enqueueAfter re-syncs a PDB key later (when a disruptedPods entry expires). */
  enqueueAfter(key: string, ms: number): void;
}
