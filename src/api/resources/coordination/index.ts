/** The coordination.k8s.io/v1 resources. */
import type { ResourceType } from '../../resource.js';
import { leases } from './leases.js';

/** coordinationResources lists every coordination.k8s.io/v1 ResourceType. */
export const coordinationResources: ResourceType[] = [leases];
