/** The policy/v1 resources. */
import type { ResourceType } from '../../resource.js';
import { poddisruptionbudgets } from './poddisruptionbudgets.js';

/** policyResources lists every policy/v1 ResourceType. */
export const policyResources: ResourceType[] = [poddisruptionbudgets];
