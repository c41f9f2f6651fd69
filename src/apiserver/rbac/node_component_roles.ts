/**
 * Roles that let every node run its in-process components (Service proxy, DNS, ingress, NetworkPolicy
 * controller) under their own users: the node's credentials may impersonate exactly those users, so
 * the node itself stays within what the Node authorizer grants it.
 */
import { clusterRole, clusterRoleBinding, group, rule, user } from './policy_builders.js';
import { SKIFF_DNS_USER, SKIFF_INGRESS_USER } from './namespace_roles.js';

/** SKIFF_NETWORK_POLICY_USER is the identity of each node's NetworkPolicy controller. */
export const SKIFF_NETWORK_POLICY_USER = 'system:skiff:network-policy';
/** KUBE_PROXY_USER is the Service proxy's identity (bound to system:node-proxier upstream). */
export const KUBE_PROXY_USER = 'system:kube-proxy';
const IMPERSONATOR = 'system:skiff:node-components';

/** nodeComponentClusterRoles: the policy controller's reads and the nodes' impersonation grant. */
export function nodeComponentClusterRoles(): Record<string, unknown>[] {
  return [
    clusterRole(SKIFF_NETWORK_POLICY_USER, [rule(['list', 'watch'], ['networking.k8s.io'], ['networkpolicies']), rule(['list', 'watch'], [''], ['pods', 'namespaces'])]),
    clusterRole(IMPERSONATOR, [rule(['impersonate'], [''], ['users'], [KUBE_PROXY_USER, SKIFF_DNS_USER, SKIFF_INGRESS_USER, SKIFF_NETWORK_POLICY_USER])]),
  ];
}

/** nodeComponentClusterRoleBindings bind the policy controller's role and give group system:nodes the impersonation grant. */
export function nodeComponentClusterRoleBindings(): Record<string, unknown>[] {
  return [clusterRoleBinding(SKIFF_NETWORK_POLICY_USER, [user(SKIFF_NETWORK_POLICY_USER)]), clusterRoleBinding(IMPERSONATOR, [group('system:nodes')])];
}
