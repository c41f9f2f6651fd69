/**
 * Roles that let every node run its in-process components (Service proxy, DNS, ingress, NetworkPolicy
 * controller, local-path volume folders) under their own users: the node's credentials may impersonate exactly those users, so
 * the node itself stays within what the Node authorizer grants it.
 */
import { clusterRole, clusterRoleBinding, eventsRule, group, rule, user } from './policy_builders.js';
import { SKIFF_DNS_USER, SKIFF_INGRESS_USER } from './namespace_roles.js';

/** SKIFF_NETWORK_POLICY_USER is the identity of each node's NetworkPolicy controller. */
export const SKIFF_NETWORK_POLICY_USER = 'system:skiff:network-policy';
/** KUBE_PROXY_USER is the Service proxy's identity (bound to system:node-proxier upstream). */
export const KUBE_PROXY_USER = 'system:kube-proxy';
/** SKIFF_LOCAL_PATH_USER is the identity of each node's local-path volume folders (src/agent/localpath). */
export const SKIFF_LOCAL_PATH_USER = 'system:skiff:local-path';
const IMPERSONATOR = 'system:skiff:node-components';

/** nodeComponentClusterRoles: the policy controller's reads and the nodes' impersonation grant. */
export function nodeComponentClusterRoles(): Record<string, unknown>[] {
  return [
    clusterRole(SKIFF_NETWORK_POLICY_USER, [rule(['list', 'watch'], ['networking.k8s.io'], ['networkpolicies']), rule(['list', 'watch'], [''], ['pods', 'namespaces'])]),
    // Reads volumes to make their folders and deletes released local-path volumes once their folder
    // is gone; reads StorageClasses for the server's storage path.
    clusterRole(SKIFF_LOCAL_PATH_USER, [
      rule(['get', 'list', 'watch', 'delete'], [''], ['persistentvolumes']),
      rule(['list', 'watch'], ['storage.k8s.io'], ['storageclasses']),
      eventsRule(),
    ]),
    clusterRole(IMPERSONATOR, [rule(['impersonate'], [''], ['users'], [KUBE_PROXY_USER, SKIFF_DNS_USER, SKIFF_INGRESS_USER, SKIFF_NETWORK_POLICY_USER, SKIFF_LOCAL_PATH_USER])]),
  ];
}

/** nodeComponentClusterRoleBindings bind the policy controller's role and give group system:nodes the impersonation grant. */
export function nodeComponentClusterRoleBindings(): Record<string, unknown>[] {
  return [
    clusterRoleBinding(SKIFF_NETWORK_POLICY_USER, [user(SKIFF_NETWORK_POLICY_USER)]),
    clusterRoleBinding(SKIFF_LOCAL_PATH_USER, [user(SKIFF_LOCAL_PATH_USER)]),
    clusterRoleBinding(IMPERSONATOR, [group('system:nodes')]),
  ];
}
