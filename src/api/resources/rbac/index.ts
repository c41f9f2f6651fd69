/** The rbac.authorization.k8s.io/v1 resources. */
import type { ResourceType } from '../../resource.js';
import { clusterrolebindings, rolebindings } from './bindings.js';
import { clusterroles, roles } from './roles.js';

/** rbacResources lists every rbac.authorization.k8s.io/v1 ResourceType. */
export const rbacResources: ResourceType[] = [clusterrolebindings, clusterroles, rolebindings, roles];
