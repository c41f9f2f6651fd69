/** The networking.k8s.io/v1 resources. */
import type { ResourceType } from '../../resource.js';
import { ingressclasses } from './ingressclasses.js';
import { ingresses } from './ingresses.js';
import { networkpolicies } from './networkpolicies.js';

/** networkingResources lists every networking.k8s.io/v1 ResourceType. */
export const networkingResources: ResourceType[] = [ingresses, ingressclasses, networkpolicies];
