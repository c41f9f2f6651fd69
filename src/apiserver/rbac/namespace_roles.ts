/**
 * The Roles and RoleBindings kube-apiserver 1.32 bootstraps in kube-system and kube-public
 * (bootstrappolicy namespace_policy.go), and the roles of skiff's node components.
 */
import { clusterRole, clusterRoleBinding, eventsRule, READ, role, roleBinding, rule, sa, user, type PolicyRule } from './policy_builders.js';

const SYSTEM = 'kube-system';
const PUBLIC = 'kube-public';

/** leaderLockingRules are what a component needs to hold its leader-election Lease in kube-system. */
function leaderLockingRules(name: string): PolicyRule[] {
  return [
    rule(['watch'], [''], ['configmaps']),
    rule(['get', 'update'], [''], ['configmaps'], [name]),
    rule(['get', 'watch', 'list', 'create', 'update'], ['coordination.k8s.io'], ['leases']),
    rule(['get', 'watch', 'list', 'create', 'update'], ['coordination.k8s.io'], ['leasecandidates']),
  ];
}

/** bootstrapNamespaceRoles returns upstream's Roles (fresh objects). */
export function bootstrapNamespaceRoles(): Record<string, unknown>[] {
  return [
    role(SYSTEM, 'extension-apiserver-authentication-reader', [rule(READ, [''], ['configmaps'], ['extension-apiserver-authentication'])]),
    role(SYSTEM, 'system:controller:bootstrap-signer', [rule(READ, [''], ['secrets'])]),
    role(SYSTEM, 'system:controller:cloud-provider', [rule(['create', 'get', 'list', 'watch'], [''], ['configmaps'])]),
    role(SYSTEM, 'system:controller:token-cleaner', [rule(['get', 'list', 'watch', 'delete'], [''], ['secrets']), eventsRule()]),
    role(SYSTEM, 'system::leader-locking-kube-controller-manager', leaderLockingRules('kube-controller-manager')),
    role(SYSTEM, 'system::leader-locking-kube-scheduler', leaderLockingRules('kube-scheduler')),
    role(PUBLIC, 'system:controller:bootstrap-signer', [
      rule(READ, [''], ['configmaps']),
      rule(['update'], [''], ['configmaps'], ['cluster-info']),
      eventsRule(),
    ]),
  ];
}

/** bootstrapNamespaceRoleBindings returns upstream's RoleBindings (fresh objects). */
export function bootstrapNamespaceRoleBindings(): Record<string, unknown>[] {
  return [
    roleBinding(SYSTEM, 'system::extension-apiserver-authentication-reader', 'extension-apiserver-authentication-reader', [user('system:kube-controller-manager'), user('system:kube-scheduler')]),
    roleBinding(SYSTEM, 'system::leader-locking-kube-controller-manager', 'system::leader-locking-kube-controller-manager', [
      user('system:kube-controller-manager'),
      sa(SYSTEM, 'kube-controller-manager'),
      sa(SYSTEM, 'leader-election-controller'),
    ]),
    roleBinding(SYSTEM, 'system::leader-locking-kube-scheduler', 'system::leader-locking-kube-scheduler', [user('system:kube-scheduler'), sa(SYSTEM, 'kube-scheduler')]),
    roleBinding(SYSTEM, 'system:controller:bootstrap-signer', 'system:controller:bootstrap-signer', [sa(SYSTEM, 'bootstrap-signer')]),
    roleBinding(SYSTEM, 'system:controller:cloud-provider', 'system:controller:cloud-provider', [sa(SYSTEM, 'cloud-provider')]),
    roleBinding(SYSTEM, 'system:controller:token-cleaner', 'system:controller:token-cleaner', [sa(SYSTEM, 'token-cleaner')]),
    roleBinding(PUBLIC, 'system:controller:bootstrap-signer', 'system:controller:bootstrap-signer', [sa(SYSTEM, 'bootstrap-signer')]),
  ];
}

/** SKIFF_DNS_USER is the identity of the agent's cluster DNS server. */
export const SKIFF_DNS_USER = 'system:skiff:dns';
/** SKIFF_INGRESS_USER is the identity of the agent's ingress proxy. */
export const SKIFF_INGRESS_USER = 'system:skiff:ingress';

/**
 * skiffComponentClusterRoles are the roles of the components every skiff node runs in-process:
 * the DNS server reads what CoreDNS reads under k3s (system:coredns) and the Node its endpoint
 * points at; the ingress reads Ingresses, their classes and TLS Secrets, Services and slices.
 */
export function skiffComponentClusterRoles(): Record<string, unknown>[] {
  return [
    clusterRole(SKIFF_DNS_USER, [
      rule(['list', 'watch'], [''], ['endpoints', 'services', 'pods', 'namespaces']),
      rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
      rule(['get'], [''], ['nodes']),
    ]),
    clusterRole(SKIFF_INGRESS_USER, [
      rule(['list', 'watch'], ['networking.k8s.io'], ['ingresses', 'ingressclasses']),
      rule(['list', 'watch'], [''], ['services', 'secrets']),
      rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    ]),
  ];
}

/** skiffComponentClusterRoleBindings bind those roles to the components' users. */
export function skiffComponentClusterRoleBindings(): Record<string, unknown>[] {
  return [clusterRoleBinding(SKIFF_DNS_USER, [user(SKIFF_DNS_USER)]), clusterRoleBinding(SKIFF_INGRESS_USER, [user(SKIFF_INGRESS_USER)])];
}

/** skiffComponentRoles: each node's DNS server publishes its own endpoint behind kube-system/kube-dns. */
export function skiffComponentRoles(): Record<string, unknown>[] {
  return [role(SYSTEM, SKIFF_DNS_USER, [rule(['get', 'create', 'update'], ['discovery.k8s.io'], ['endpointslices'])])];
}

/** skiffComponentRoleBindings bind the kube-system role of the DNS server. */
export function skiffComponentRoleBindings(): Record<string, unknown>[] {
  return [roleBinding(SYSTEM, SKIFF_DNS_USER, SKIFF_DNS_USER, [user(SKIFF_DNS_USER)])];
}
