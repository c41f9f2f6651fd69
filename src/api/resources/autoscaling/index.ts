/** The autoscaling/v2 resources. */
import type { ResourceType } from '../../resource.js';
import { horizontalpodautoscalers } from './horizontalpodautoscalers.js';

/** autoscalingResources lists every autoscaling/v2 ResourceType. */
export const autoscalingResources: ResourceType[] = [horizontalpodautoscalers];
