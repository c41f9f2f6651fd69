/** The node.k8s.io/v1 resources. */
import type { ResourceType } from '../../resource.js';
import { runtimeclasses } from './runtimeclasses.js';

/** nodeResources lists every node.k8s.io/v1 ResourceType. */
export const nodeResources: ResourceType[] = [runtimeclasses];
