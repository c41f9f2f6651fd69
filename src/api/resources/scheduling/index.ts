/** The scheduling.k8s.io/v1 resources. */
import type { ResourceType } from '../../resource.js';
import { priorityclasses } from './priorityclasses.js';

/** schedulingResources lists every scheduling.k8s.io/v1 ResourceType. */
export const schedulingResources: ResourceType[] = [priorityclasses];
