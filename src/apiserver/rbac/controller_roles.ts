/**
 * The per-controller ClusterRoles `system:controller:<name>` of kube-apiserver 1.32 (bootstrappolicy
 * controller_policy.go, default feature gates, with the 1.32 patch releases' added `watch` verbs),
 * each bound to the ServiceAccount kube-system/<name>; plus the roles of skiff's own controllers.
 */
import { clusterRole, clusterRoleBinding, eventsRule, READ, rule, sa, type PolicyRule } from './policy_builders.js';

/** CONTROLLER_ROLE_PREFIX starts the name of every controller's ClusterRole. */
export const CONTROLLER_ROLE_PREFIX = 'system:controller:';

const APPS_EXT = ['apps', 'extensions'];
const STORAGE = 'storage.k8s.io';
const CERTS = 'certificates.k8s.io';
const CSR = 'certificatesigningrequests';
const PVC = 'persistentvolumeclaims';

/** ownRules is the pattern of the workload controllers: read the kind, write its status and finalizers. */
function ownRules(groups: string[], resource: string, verbs: string[]): PolicyRule[] {
  return [rule(verbs, groups, [resource]), rule(['update'], groups, [`${resource}/status`]), rule(['update'], groups, [`${resource}/finalizers`])];
}

/** CONTROLLER_RULES maps each controller's service account name to its rules. */
const CONTROLLER_RULES: Record<string, () => PolicyRule[]> = {
  'attachdetach-controller': () => [
    rule(['list', 'watch'], [''], ['persistentvolumes', PVC]),
    rule(READ, [''], ['nodes']),
    rule(['patch', 'update'], [''], ['nodes/status']),
    rule(['list', 'watch'], [''], ['pods']),
    eventsRule(),
    rule(['get', 'create', 'delete', 'list', 'watch'], [STORAGE], ['volumeattachments']),
    rule(READ, [STORAGE], ['csidrivers']),
    rule(READ, [STORAGE], ['csinodes']),
  ],
  'clusterrole-aggregation-controller': () => [rule(['escalate', 'get', 'list', 'watch', 'update', 'patch'], ['rbac.authorization.k8s.io'], ['clusterroles'])],
  'cronjob-controller': () => [
    rule(['get', 'list', 'watch', 'update'], ['batch'], ['cronjobs']),
    rule(['get', 'list', 'watch', 'create', 'update', 'delete', 'patch'], ['batch'], ['jobs']),
    rule(['update'], ['batch'], ['cronjobs/status']),
    rule(['update'], ['batch'], ['cronjobs/finalizers']),
    rule(['list', 'watch', 'delete'], [''], ['pods']),
    eventsRule(),
  ],
  'daemon-set-controller': () => [
    ...ownRules(APPS_EXT, 'daemonsets', READ),
    rule(['list', 'watch'], [''], ['nodes']),
    rule(['list', 'watch', 'create', 'delete', 'patch'], [''], ['pods']),
    rule(['create'], [''], ['pods/binding']),
    rule(['get', 'list', 'watch', 'create', 'delete', 'update', 'patch'], ['apps'], ['controllerrevisions']),
    eventsRule(),
  ],
  'deployment-controller': () => [
    ...ownRules(APPS_EXT, 'deployments', ['get', 'list', 'watch', 'update']),
    rule(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], APPS_EXT, ['replicasets']),
    rule(['get', 'list', 'watch', 'update'], [''], ['pods']),
    eventsRule(),
  ],
  'disruption-controller': () => [
    rule(READ, APPS_EXT, ['deployments']),
    rule(READ, APPS_EXT, ['replicasets']),
    rule(READ, [''], ['replicationcontrollers']),
    rule(READ, ['policy'], ['poddisruptionbudgets']),
    rule(READ, ['apps'], ['statefulsets']),
    rule(['update'], ['policy'], ['poddisruptionbudgets/status']),
    rule(['patch', 'update'], [''], ['pods/status']),
    rule(['get'], ['*'], ['*/scale']),
    eventsRule(),
  ],
  'endpoint-controller': () => [
    rule(READ, [''], ['services', 'pods']),
    rule(['get', 'list', 'watch', 'create', 'update', 'delete'], [''], ['endpoints']),
    rule(['create'], [''], ['endpoints/restricted']),
    eventsRule(),
  ],
  'endpointslice-controller': () => [
    rule(READ, [''], ['services', 'pods', 'nodes']),
    // Needed to set blockOwnerDeletion on the slices' owner references to their Service.
    rule(['update'], [''], ['services/finalizers']),
    rule(['get', 'list', 'watch', 'create', 'update', 'delete'], ['discovery.k8s.io'], ['endpointslices']),
    eventsRule(),
  ],
  'endpointslicemirroring-controller': () => [
    rule(READ, [''], ['services', 'endpoints']),
    rule(['update'], [''], ['services/finalizers']),
    rule(['update'], [''], ['endpoints/finalizers']),
    rule(['get', 'list', 'watch', 'create', 'update', 'delete'], ['discovery.k8s.io'], ['endpointslices']),
    eventsRule(),
  ],
  'expand-controller': () => [
    rule(['get', 'list', 'watch', 'update', 'patch'], [''], ['persistentvolumes']),
    rule(['update', 'patch'], [''], [`${PVC}/status`]),
    rule(READ, [''], [PVC]),
    eventsRule(),
  ],
  'ephemeral-volume-controller': () => [
    rule(READ, [''], ['pods']),
    rule(['update'], [''], ['pods/finalizers']),
    rule(['get', 'list', 'watch', 'create'], [''], [PVC]),
    eventsRule(),
  ],
  'generic-garbage-collector': () => [rule(['get', 'list', 'watch', 'patch', 'update', 'delete'], ['*'], ['*']), eventsRule()],
  'horizontal-pod-autoscaler': () => [
    rule(READ, ['autoscaling'], ['horizontalpodautoscalers']),
    rule(['update'], ['autoscaling'], ['horizontalpodautoscalers/status']),
    rule(['get', 'update'], ['*'], ['*/scale']),
    rule(['list', 'watch'], [''], ['pods']),
    rule(['list', 'watch'], ['metrics.k8s.io'], ['pods']),
    rule(READ, ['custom.metrics.k8s.io'], ['*']),
    rule(READ, ['external.metrics.k8s.io'], ['*']),
    eventsRule(),
  ],
  'job-controller': () => [
    ...ownRules(['batch'], 'jobs', ['get', 'list', 'watch', 'update', 'patch']),
    rule(['list', 'watch', 'create', 'delete', 'patch'], [''], ['pods']),
    eventsRule(),
  ],
  'namespace-controller': () => [
    rule(['get', 'list', 'watch', 'delete'], [''], ['namespaces']),
    rule(['update'], [''], ['namespaces/finalize', 'namespaces/status']),
    rule(['get', 'list', 'watch', 'delete', 'deletecollection'], ['*'], ['*']),
  ],
  'node-controller': () => [
    rule(['get', 'list', 'watch', 'update', 'delete', 'patch'], [''], ['nodes']),
    rule(['patch', 'update'], [''], ['nodes/status']),
    // Marking pods not ready and evicting them from lost nodes.
    rule(['patch', 'update'], [''], ['pods/status']),
    rule(['list', 'watch', 'delete', 'get'], [''], ['pods']),
    eventsRule(),
  ],
  'persistent-volume-binder': () => [
    rule(['get', 'list', 'watch', 'update', 'create', 'delete'], [''], ['persistentvolumes']),
    rule(['update'], [''], ['persistentvolumes/status']),
    rule(['get', 'list', 'watch', 'update'], [''], [PVC]),
    rule(['update'], [''], [`${PVC}/status`]),
    rule(['list', 'watch', 'get', 'create', 'delete'], [''], ['pods']),
    rule(READ, [STORAGE], ['storageclasses']),
    rule(['list', 'watch'], [''], ['nodes']),
    eventsRule(),
    rule(['watch'], [''], ['events']),
  ],
  'pod-garbage-collector': () => [
    rule(['list', 'watch', 'delete'], [''], ['pods']),
    rule(READ, [''], ['nodes']),
    rule(['patch'], [''], ['pods/status']),
  ],
  'replicaset-controller': () => [
    ...ownRules(APPS_EXT, 'replicasets', ['get', 'list', 'watch', 'update']),
    rule(['list', 'watch', 'patch', 'create', 'delete'], [''], ['pods']),
    eventsRule(),
  ],
  'replication-controller': () => [
    ...ownRules([''], 'replicationcontrollers', ['get', 'list', 'watch', 'update']),
    rule(['list', 'watch', 'patch', 'create', 'delete'], [''], ['pods']),
    eventsRule(),
  ],
  'resourcequota-controller': () => [
    // Quota evaluation lists and watches every kind it counts.
    rule(['list', 'watch'], ['*'], ['*']),
    rule(['update'], [''], ['resourcequotas/status']),
    eventsRule(),
  ],
  'route-controller': () => [rule(['list', 'watch'], [''], ['nodes']), rule(['patch'], [''], ['nodes/status']), eventsRule()],
  'service-account-controller': () => [rule(['create'], [''], ['serviceaccounts']), eventsRule()],
  'service-controller': () => [
    rule(READ, [''], ['services']),
    rule(['patch', 'update'], [''], ['services/status']),
    rule(['list', 'watch'], [''], ['nodes']),
    eventsRule(),
  ],
  'statefulset-controller': () => [
    rule(['list', 'watch'], [''], ['pods']),
    ...ownRules(['apps'], 'statefulsets', READ),
    rule(['get', 'create', 'delete', 'update', 'patch'], [''], ['pods']),
    rule(['get', 'list', 'watch', 'create', 'delete', 'update', 'patch'], ['apps'], ['controllerrevisions']),
    rule(['get', 'create', 'list', 'watch'], [''], [PVC]),
    rule(['update', 'delete'], [''], [PVC]),
    rule(['update'], [''], ['pods/finalizers']),
    eventsRule(),
  ],
  'ttl-controller': () => [rule(['update', 'patch', 'list', 'watch'], [''], ['nodes']), eventsRule()],
  'certificate-controller': () => [
    rule(['get', 'list', 'watch', 'delete'], [CERTS], [CSR]),
    rule(['update'], [CERTS], [`${CSR}/status`, `${CSR}/approval`]),
    rule(['approve'], [CERTS], ['signers'], ['kubernetes.io/kube-apiserver-client-kubelet']),
    rule(['sign'], [CERTS], ['signers'], ['kubernetes.io/legacy-unknown', 'kubernetes.io/kube-apiserver-client', 'kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/kubelet-serving']),
    rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
    eventsRule(),
  ],
  'pvc-protection-controller': () => [
    rule(['get', 'list', 'watch', 'update'], [''], [PVC]),
    rule(['update'], [''], [`${PVC}/status`]),
    rule(READ, [''], ['pods']),
    eventsRule(),
  ],
  'pv-protection-controller': () => [rule(['get', 'list', 'watch', 'update'], [''], ['persistentvolumes']), eventsRule()],
  'ttl-after-finished-controller': () => [rule(['get', 'list', 'watch', 'delete'], ['batch'], ['jobs']), eventsRule()],
  'root-ca-cert-publisher': () => [rule(['create', 'update'], [''], ['configmaps']), eventsRule()],
  'validatingadmissionpolicy-status-controller': () => [
    rule(READ, ['admissionregistration.k8s.io'], ['validatingadmissionpolicies']),
    rule(['get', 'patch', 'update'], ['admissionregistration.k8s.io'], ['validatingadmissionpolicies/status']),
    eventsRule(),
  ],
  'legacy-service-account-token-cleaner': () => [
    rule(['get'], [''], ['configmaps'], ['kube-apiserver-legacy-service-account-token-tracking']),
    rule(['delete', 'patch'], [''], ['secrets']),
  ],
  // skiff's own: k3s's ServiceLB and the Ingress status writer, run in the controller manager.
  'servicelb-controller': () => [
    rule(READ, [''], ['services']),
    rule(['patch', 'update'], [''], ['services/status']),
    rule(['list', 'watch'], [''], ['nodes']),
    eventsRule(),
  ],
  'ingress-status-controller': () => [
    rule(READ, ['networking.k8s.io'], ['ingresses']),
    rule(['patch', 'update'], ['networking.k8s.io'], ['ingresses/status']),
    rule(['list', 'watch'], ['networking.k8s.io'], ['ingressclasses']),
    rule(['list', 'watch'], [''], ['nodes']),
    eventsRule(),
  ],
  // k3s's local-path-provisioner (its local-path-provisioner-role), less what its helper pods needed.
  'local-path-provisioner': () => [
    rule(['create', 'delete', 'get', 'list', 'watch'], [''], ['persistentvolumes']),
    rule(['get', 'list', 'watch', 'update'], [''], [PVC]),
    rule(['get', 'list', 'watch'], [STORAGE], ['storageclasses']),
    rule(['get'], [''], ['nodes']),
    eventsRule(),
  ],
};

/** controllerRules returns the rules of one controller's role by its service account name (undefined: no such role). */
export function controllerRules(serviceAccount: string): PolicyRule[] | undefined {
  return CONTROLLER_RULES[serviceAccount]?.();
}

/** bootstrapControllerRoles returns every `system:controller:*` ClusterRole (fresh objects). */
export function bootstrapControllerRoles(): Record<string, unknown>[] {
  return Object.entries(CONTROLLER_RULES).map(([name, rules]) => clusterRole(CONTROLLER_ROLE_PREFIX + name, rules()));
}

/** bootstrapControllerRoleBindings binds each controller role to the ServiceAccount kube-system/<name>. */
export function bootstrapControllerRoleBindings(): Record<string, unknown>[] {
  return Object.keys(CONTROLLER_RULES).map((name) => clusterRoleBinding(CONTROLLER_ROLE_PREFIX + name, [sa('kube-system', name)]));
}
