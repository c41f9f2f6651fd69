/** The `scale` subresource of the replicated workloads (Deployment, ReplicaSet, StatefulSet). */
import { ensureObj, field, num } from '../../object.js';
import type { ScaleAccess } from '../../resource.js';
import { selectorString } from './workload_columns.js';

/**
 * replicasScale reads spec.replicas (1 when unset, the defaulted value), status.replicas (0 when
 * unset) and the spec.selector string, and writes spec.replicas.
 */
export const replicasScale: ScaleAccess = {
  specReplicas: (obj) => num(obj, 'spec', 'replicas') ?? 1,
  statusReplicas: (obj) => num(obj, 'status', 'replicas') ?? 0,
  selector: (obj) => selectorString(field(obj, 'spec', 'selector')),
  setReplicas: (obj, replicas) => {
    ensureObj(obj, 'spec').replicas = replicas;
  },
};
