/**
 * The bootstrap RBAC policy as data: what kube-apiserver 1.32 creates and reconciles at every start
 * (ClusterRoles, ClusterRoleBindings, and Roles and RoleBindings in kube-system and kube-public),
 * plus the roles of skiff's own components. Every function returns fresh plain JSON objects, each
 * labelled `kubernetes.io/bootstrapping: rbac-defaults` and annotated `autoupdate: "true"`.
 */
import { bootstrapClusterRoleBindings, bootstrapClusterRoles, systemNodeRules } from './cluster_roles.js';
import { bootstrapControllerRoleBindings, bootstrapControllerRoles } from './controller_roles.js';
import {
  bootstrapNamespaceRoleBindings, bootstrapNamespaceRoles, skiffComponentClusterRoleBindings, skiffComponentClusterRoles, skiffComponentRoleBindings, skiffComponentRoles,
} from './namespace_roles.js';
import { nodeComponentClusterRoleBindings, nodeComponentClusterRoles } from './node_component_roles.js';
import type { PolicyRule } from './policy_builders.js';

export { AUTOUPDATE_ANNOTATION, BOOTSTRAP_LABELS, type PolicyRule, type Subject } from './policy_builders.js';
export { CONTROLLER_ROLE_PREFIX, controllerRules } from './controller_roles.js';
export { SKIFF_DNS_USER, SKIFF_INGRESS_USER } from './namespace_roles.js';

/** clusterRoles returns every bootstrap ClusterRole: upstream's, the controllers', skiff's components'. */
export function clusterRoles(): Record<string, unknown>[] {
  return [...bootstrapClusterRoles(), ...bootstrapControllerRoles(), ...skiffComponentClusterRoles(), ...nodeComponentClusterRoles()];
}

/** clusterRoleBindings returns every bootstrap ClusterRoleBinding. */
export function clusterRoleBindings(): Record<string, unknown>[] {
  return [...bootstrapClusterRoleBindings(), ...bootstrapControllerRoleBindings(), ...skiffComponentClusterRoleBindings(), ...nodeComponentClusterRoleBindings()];
}

/** roles returns the bootstrap Roles (each carries its namespace). */
export function roles(): Record<string, unknown>[] {
  return [...bootstrapNamespaceRoles(), ...skiffComponentRoles()];
}

/** roleBindings returns the bootstrap RoleBindings (each carries its namespace). */
export function roleBindings(): Record<string, unknown>[] {
  return [...bootstrapNamespaceRoleBindings(), ...skiffComponentRoleBindings()];
}

/** nodeRules returns the rules of the system:node ClusterRole, which the Node authorizer grants to nodes. */
export function nodeRules(): PolicyRule[] {
  return systemNodeRules();
}

/**
 * CONTROLLER_SERVICE_ACCOUNTS maps each of skiff's controller loops (the names of
 * cli/control_plane.ts) to the kube-system ServiceAccount whose `system:controller:<name>` role it
 * runs with, as kube-controller-manager does under --use-service-account-credentials.
 */
export const CONTROLLER_SERVICE_ACCOUNTS: Readonly<Record<string, string>> = {
  replicaset: 'replicaset-controller',
  replicationcontroller: 'replication-controller',
  deployment: 'deployment-controller',
  namespace: 'namespace-controller',
  serviceaccount: 'service-account-controller',
  'root-ca-cert-publisher': 'root-ca-cert-publisher',
  endpoints: 'endpoint-controller',
  endpointslice: 'endpointslice-controller',
  endpointslicemirroring: 'endpointslicemirroring-controller',
  // nodeipam and the taint-eviction controller use node-controller's credentials upstream.
  nodeipam: 'node-controller',
  nodelifecycle: 'node-controller',
  tainteviction: 'node-controller',
  podgc: 'pod-garbage-collector',
  job: 'job-controller',
  'ttl-after-finished': 'ttl-after-finished-controller',
  cronjob: 'cronjob-controller',
  statefulset: 'statefulset-controller',
  daemonset: 'daemon-set-controller',
  garbagecollector: 'generic-garbage-collector',
  disruption: 'disruption-controller',
  'clusterrole-aggregation': 'clusterrole-aggregation-controller',
  servicelb: 'servicelb-controller',
  'ingress-status': 'ingress-status-controller',
  'local-path-provisioner': 'local-path-provisioner',
  'persistentvolume-binder': 'persistent-volume-binder',
  'pvc-protection': 'pvc-protection-controller',
  'ephemeral-volume': 'ephemeral-volume-controller',
  'pv-protection': 'pv-protection-controller',
  horizontalpodautoscaling: 'horizontal-pod-autoscaler',
  // Upstream's tokencleaner: a Role in kube-system (namespace_roles.ts), not a ClusterRole.
  tokencleaner: 'token-cleaner',
};
