/** Every resource type the API server serves, by group. */
import type { ResourceType } from '../resource.js';
import { appsResources } from './apps/index.js';
import { authenticationResources } from './authentication/index.js';
import { authorizationResources } from './authorization/index.js';
import { autoscalingResources } from './autoscaling/index.js';
import { batchResources } from './batch/index.js';
import { certificatesResources } from './certificates/index.js';
import { coordinationResources } from './coordination/index.js';
import { coreResources } from './core/index.js';
import { discoveryResources } from './discovery/index.js';
import { networkingResources } from './networking/index.js';
import { nodeResources } from './node/index.js';
import { policyResources } from './policy/index.js';
import { rbacResources } from './rbac/index.js';
import { schedulingResources } from './scheduling/index.js';
import { storageResources } from './storage/index.js';

/** allResources returns the built-in resource types (a fresh array; the types themselves are shared). */
export function allResources(): ResourceType[] {
  return [
    ...coreResources,
    ...appsResources,
    ...batchResources,
    ...networkingResources,
    ...discoveryResources,
    ...coordinationResources,
    ...policyResources,
    ...schedulingResources,
    ...nodeResources,
    ...storageResources,
    ...autoscalingResources,
    ...certificatesResources,
    ...authorizationResources,
    ...authenticationResources,
    ...rbacResources,
  ];
}
