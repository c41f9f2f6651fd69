/** The discovery.k8s.io/v1 resources. */
import type { ResourceType } from '../../resource.js';
import { endpointslices } from './endpointslices.js';

/** discoveryResources lists every discovery.k8s.io/v1 ResourceType. */
export const discoveryResources: ResourceType[] = [endpointslices];
