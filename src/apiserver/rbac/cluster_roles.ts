/**
 * The ClusterRoles and ClusterRoleBindings of kube-apiserver 1.32's bootstrap policy
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go, default feature gates).
 */
import {
  aggregatedClusterRole, clusterRole, clusterRoleBinding, eventsRule, group, READ, READ_WRITE, rule, sa, urlRule, user, WRITE,
  type PolicyRule,
} from './policy_builders.js';

const TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
const TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
const TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

const STORAGE = 'storage.k8s.io';
const CERTS = 'certificates.k8s.io';
const COORD = 'coordination.k8s.io';
const AUTHN = 'authentication.k8s.io';
const AUTHZ = 'authorization.k8s.io';

/** systemNodeRules are the rules of system:node (the Node authorizer grants them to nodes, scoped to their own objects). */
export function systemNodeRules(): PolicyRule[] {
  return [
    rule(['create'], [AUTHN], ['tokenreviews']),
    rule(['create'], [AUTHZ], ['subjectaccessreviews', 'localsubjectaccessreviews']),
    rule(READ, [''], ['services']),
    rule(['create', 'get', 'list', 'watch'], [''], ['nodes']),
    rule(['update', 'patch'], [''], ['nodes/status']),
    rule(['update', 'patch'], [''], ['nodes']),
    rule(['create', 'update', 'patch'], [''], ['events']),
    rule(READ, [''], ['pods']),
    rule(['create', 'delete'], [''], ['pods']),
    rule(['update', 'patch'], [''], ['pods/status']),
    rule(['create'], [''], ['pods/eviction']),
    rule(READ, [''], ['secrets', 'configmaps']),
    rule(['get'], [''], ['persistentvolumeclaims', 'persistentvolumes']),
    rule(['get'], [''], ['endpoints']),
    rule(['create', 'get', 'list', 'watch'], [CERTS], ['certificatesigningrequests']),
    rule(['delete', 'create', 'get', 'patch', 'update'], [COORD], ['leases']),
    rule(['get'], [STORAGE], ['volumeattachments']),
    rule(['create'], [''], ['serviceaccounts/token']),
    rule(['get', 'update', 'patch'], [''], ['persistentvolumeclaims/status']),
    rule(READ, [STORAGE], ['csidrivers']),
    rule(['get', 'create', 'update', 'patch', 'delete'], [STORAGE], ['csinodes']),
    rule(READ, ['node.k8s.io'], ['runtimeclasses']),
  ];
}

function aggregateToEditRules(): PolicyRule[] {
  return [
    rule(READ, [''], ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
    rule(['impersonate'], [''], ['serviceaccounts']),
    rule(WRITE, [''], ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
    rule(['create'], [''], ['pods/eviction']),
    rule(WRITE, [''], ['replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/proxy', 'persistentvolumeclaims', 'configmaps', 'secrets', 'events']),
    rule(['create'], [''], ['serviceaccounts/token']),
    rule(WRITE, ['apps'], ['statefulsets', 'statefulsets/scale', 'daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'replicasets', 'replicasets/scale']),
    rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
    rule(WRITE, ['batch'], ['jobs', 'cronjobs']),
    rule(WRITE, ['extensions'], ['daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'ingresses', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale', 'networkpolicies']),
    rule(WRITE, ['policy'], ['poddisruptionbudgets']),
    rule(WRITE, ['networking.k8s.io'], ['networkpolicies', 'ingresses']),
    rule(READ_WRITE, [COORD], ['leases']),
  ];
}

function aggregateToViewRules(): PolicyRule[] {
  return [
    rule(READ, [''], ['pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'configmaps']),
    rule(READ, [''], ['limitranges', 'resourcequotas', 'bindings', 'events', 'pods/status', 'resourcequotas/status', 'namespaces/status', 'replicationcontrollers/status', 'pods/log']),
    // Reading namespaces at namespace scope means reading *this* namespace.
    rule(READ, [''], ['namespaces']),
    rule(READ, ['discovery.k8s.io'], ['endpointslices']),
    rule(READ, ['apps'], ['controllerrevisions', 'statefulsets', 'statefulsets/status', 'statefulsets/scale', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/status', 'deployments/scale', 'replicasets', 'replicasets/status', 'replicasets/scale']),
    rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
    rule(READ, ['batch'], ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
    rule(READ, ['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale', 'networkpolicies']),
    rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
    rule(READ, ['networking.k8s.io'], ['networkpolicies', 'ingresses', 'ingresses/status']),
  ];
}

function schedulerRules(): PolicyRule[] {
  return [
    eventsRule(),
    rule(['create'], [COORD], ['leases']),
    rule(['get', 'update'], [COORD], ['leases'], ['kube-scheduler']),
    rule(READ, [''], ['nodes']),
    rule(['get', 'list', 'watch', 'delete'], [''], ['pods']),
    rule(['create'], [''], ['pods/binding', 'bindings']),
    rule(['patch', 'update'], [''], ['pods/status']),
    rule(READ, [''], ['replicationcontrollers', 'services']),
    rule(READ, ['apps', 'extensions'], ['replicasets']),
    rule(READ, ['apps'], ['statefulsets']),
    rule(READ, ['policy'], ['poddisruptionbudgets']),
    rule(READ, [''], ['persistentvolumeclaims', 'persistentvolumes']),
    rule(['create'], [AUTHN], ['tokenreviews']),
    rule(['create'], [AUTHZ], ['subjectaccessreviews']),
    rule(READ, [STORAGE], ['csinodes']),
    rule(READ, [''], ['namespaces']),
    rule(READ, [STORAGE], ['csidrivers']),
    rule(READ, [STORAGE], ['csistoragecapacities']),
  ];
}

function controllerManagerRules(): PolicyRule[] {
  return [
    eventsRule(),
    rule(['create'], [COORD], ['leases']),
    rule(['get', 'update'], [COORD], ['leases'], ['kube-controller-manager']),
    // Enough to create the per-controller service accounts and their tokens.
    rule(['create'], [''], ['secrets', 'serviceaccounts']),
    rule(['delete'], [''], ['secrets']),
    rule(['get'], [''], ['configmaps', 'namespaces', 'secrets', 'serviceaccounts']),
    rule(['update'], [''], ['secrets', 'serviceaccounts']),
    rule(['create'], [AUTHN], ['tokenreviews']),
    rule(['create'], [AUTHZ], ['subjectaccessreviews']),
    // Shared informers list and watch everything.
    rule(['list', 'watch'], ['*'], ['*']),
    rule(['create'], [''], ['serviceaccounts/token']),
  ];
}

const signerApprover = (signer: string): Record<string, unknown> =>
  clusterRole(`system:certificates.k8s.io:${signer.slice('kubernetes.io/'.length)}-approver`, [rule(['approve'], [CERTS], ['signers'], [signer])]);

/** bootstrapClusterRoles returns upstream's ClusterRoles (fresh objects). */
export function bootstrapClusterRoles(): Record<string, unknown>[] {
  return [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urlRule(['*'], ['*'])]),
    urlRoleOf('system:discovery', ['/livez', '/readyz', '/healthz', '/version', '/version/', '/openapi', '/openapi/*', '/api', '/api/*', '/apis', '/apis/*']),
    urlRoleOf('system:monitoring', ['/metrics', '/metrics/slis', '/livez', '/readyz', '/healthz', '/livez/*', '/readyz/*', '/healthz/*']),
    clusterRole('system:basic-user', [rule(['create'], [AUTHZ], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']), rule(['create'], [AUTHN], ['selfsubjectreviews'])]),
    urlRoleOf('system:public-info-viewer', ['/livez', '/readyz', '/healthz', '/version', '/version/']),
    aggregatedClusterRole('admin', TO_ADMIN),
    aggregatedClusterRole('edit', TO_EDIT, { [TO_ADMIN]: 'true' }),
    aggregatedClusterRole('view', TO_VIEW, { [TO_EDIT]: 'true' }),
    clusterRole('system:aggregate-to-admin', [rule(['create'], [AUTHZ], ['localsubjectaccessreviews']), rule(READ_WRITE, ['rbac.authorization.k8s.io'], ['roles', 'rolebindings'])], { [TO_ADMIN]: 'true' }),
    clusterRole('system:aggregate-to-edit', aggregateToEditRules(), { [TO_EDIT]: 'true' }),
    clusterRole('system:aggregate-to-view', aggregateToViewRules(), { [TO_VIEW]: 'true' }),
    clusterRole('system:heapster', [rule(READ, [''], ['events', 'pods', 'nodes', 'namespaces']), rule(READ, ['extensions'], ['deployments'])]),
    clusterRole('system:node', systemNodeRules()),
    clusterRole('system:node-problem-detector', [rule(['get'], [''], ['nodes']), rule(['patch'], [''], ['nodes/status']), eventsRule()]),
    clusterRole('system:kubelet-api-admin', [rule(READ, [''], ['nodes']), rule(['proxy'], [''], ['nodes']), rule(['*'], [''], ['nodes/proxy', 'nodes/metrics', 'nodes/stats', 'nodes/log'])]),
    clusterRole('system:node-bootstrapper', [rule(['create', 'get', 'list', 'watch'], [CERTS], ['certificatesigningrequests'])]),
    clusterRole('system:auth-delegator', [rule(['create'], [AUTHN], ['tokenreviews']), rule(['create'], [AUTHZ], ['subjectaccessreviews'])]),
    clusterRole('system:kube-aggregator', [rule(READ, [''], ['services', 'endpoints'])]),
    clusterRole('system:kube-controller-manager', controllerManagerRules()),
    clusterRole('system:kube-dns', [rule(['list', 'watch'], [''], ['endpoints', 'services'])]),
    clusterRole('system:persistent-volume-provisioner', [
      rule(['get', 'list', 'watch', 'create', 'delete'], [''], ['persistentvolumes']),
      rule(['get', 'list', 'watch', 'update'], [''], ['persistentvolumeclaims']),
      rule(READ, [STORAGE], ['storageclasses']),
      rule(['watch'], [''], ['events']),
      eventsRule(),
    ]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [rule(['create'], [CERTS], ['certificatesigningrequests/nodeclient'])]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [rule(['create'], [CERTS], ['certificatesigningrequests/selfnodeclient'])]),
    clusterRole('system:volume-scheduler', [
      rule(['get', 'list', 'watch', 'patch', 'update'], [''], ['persistentvolumes']),
      rule(READ, [STORAGE], ['storageclasses']),
      rule(['get', 'list', 'watch', 'patch', 'update'], [''], ['persistentvolumeclaims']),
    ]),
    signerApprover('kubernetes.io/legacy-unknown'),
    signerApprover('kubernetes.io/kube-apiserver-client'),
    signerApprover('kubernetes.io/kube-apiserver-client-kubelet'),
    signerApprover('kubernetes.io/kubelet-serving'),
    clusterRole('system:kube-scheduler', schedulerRules()),
    urlRoleOf('system:service-account-issuer-discovery', ['/.well-known/openid-configuration', '/openid/v1/jwks']),
    clusterRole('system:node-proxier', [
      rule(['list', 'watch'], [''], ['services', 'endpoints']),
      rule(READ, [''], ['nodes']),
      eventsRule(),
      rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    ]),
  ];
}

function urlRoleOf(name: string, urls: string[]): Record<string, unknown> {
  return clusterRole(name, [urlRule(['get'], urls)]);
}

/** bootstrapClusterRoleBindings returns upstream's ClusterRoleBindings (fresh objects). */
export function bootstrapClusterRoleBindings(): Record<string, unknown>[] {
  return [
    clusterRoleBinding('cluster-admin', [group('system:masters')]),
    clusterRoleBinding('system:monitoring', [group('system:monitoring')]),
    clusterRoleBinding('system:discovery', [group('system:authenticated')]),
    clusterRoleBinding('system:basic-user', [group('system:authenticated')]),
    clusterRoleBinding('system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
    clusterRoleBinding('system:node-proxier', [user('system:kube-proxy')]),
    clusterRoleBinding('system:kube-controller-manager', [user('system:kube-controller-manager')]),
    clusterRoleBinding('system:kube-dns', [sa('kube-system', 'kube-dns')]),
    clusterRoleBinding('system:kube-scheduler', [user('system:kube-scheduler')]),
    clusterRoleBinding('system:volume-scheduler', [user('system:kube-scheduler')]),
    // Kept without subjects since the Node authorizer took over (1.7), so nodes get nothing beyond it.
    clusterRoleBinding('system:node', []),
    clusterRoleBinding('system:service-account-issuer-discovery', [group('system:serviceaccounts')]),
  ];
}
