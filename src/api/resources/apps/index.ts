/** The apps/v1 resources. */
import type { ResourceType } from '../../resource.js';
import { controllerrevisions } from './controllerrevisions.js';
import { daemonsets } from './daemonsets.js';
import { deployments } from './deployments.js';
import { replicasets } from './replicasets.js';
import { statefulsets } from './statefulsets.js';

/** appsResources lists every apps/v1 ResourceType. */
export const appsResources: ResourceType[] = [deployments, replicasets, daemonsets, statefulsets, controllerrevisions];
