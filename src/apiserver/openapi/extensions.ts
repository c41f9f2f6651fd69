/**
 * Facts the client-node models do not carry, taken from the Kubernetes API types (`+patchStrategy`,
 * `+patchMergeKey`, `+listType`, `+listMapKey` tags, and which fields are resource.Quantity).
 * scripts/gen-openapi.mjs reads these tables (from dist) when it writes definitions.json.
 * Keys are `<definition name>.<field>`.
 */

/** FieldExtension is the strategic-merge-patch and list metadata of one field. */
export interface FieldExtension {
  patchStrategy?: string;
  patchMergeKey?: string;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
}

const core = 'io.k8s.api.core.v1';
const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** byKey builds the common "merge by one key, list-type map on the same key" entry. */
function byKey(key: string, mapKeys: string[] = [key]): FieldExtension {
  return { patchStrategy: 'merge', patchMergeKey: key, listType: 'map', listMapKeys: mapKeys };
}

const atomic: FieldExtension = { listType: 'atomic' };
const conditions = byKey('type');
const containerFields: Record<string, FieldExtension> = {
  ports: byKey('containerPort', ['containerPort', 'protocol']),
  env: byKey('name'),
  volumeMounts: byKey('mountPath'),
  volumeDevices: byKey('devicePath'),
  envFrom: atomic,
  command: atomic,
  args: atomic,
  resizePolicy: atomic,
};

/** FIELD_EXTENSIONS maps `<definition>.<field>` to its patch strategy and list type. */
export const FIELD_EXTENSIONS: Readonly<Record<string, FieldExtension>> = {
  [`${meta}.ObjectMeta.finalizers`]: { patchStrategy: 'merge', listType: 'set' },
  [`${meta}.ObjectMeta.ownerReferences`]: byKey('uid'),
  [`${meta}.ObjectMeta.managedFields`]: atomic,
  [`${meta}.LabelSelector.matchExpressions`]: atomic,
  [`${core}.PodSpec.containers`]: byKey('name'),
  [`${core}.PodSpec.initContainers`]: byKey('name'),
  [`${core}.PodSpec.ephemeralContainers`]: byKey('name'),
  [`${core}.PodSpec.volumes`]: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  [`${core}.PodSpec.imagePullSecrets`]: byKey('name'),
  [`${core}.PodSpec.hostAliases`]: byKey('ip'),
  [`${core}.PodSpec.tolerations`]: atomic,
  [`${core}.PodSpec.readinessGates`]: atomic,
  [`${core}.PodSpec.schedulingGates`]: byKey('name'),
  [`${core}.PodSpec.resourceClaims`]: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  [`${core}.PodSpec.topologySpreadConstraints`]: {
    patchStrategy: 'merge',
    patchMergeKey: 'topologyKey',
    listType: 'map',
    listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
  },
  ...prefixed(`${core}.Container`, containerFields),
  ...prefixed(`${core}.EphemeralContainer`, containerFields),
  [`${core}.PodStatus.conditions`]: conditions,
  [`${core}.PodStatus.podIPs`]: byKey('ip'),
  [`${core}.PodStatus.hostIPs`]: { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'atomic' },
  [`${core}.PodStatus.containerStatuses`]: atomic,
  [`${core}.PodStatus.initContainerStatuses`]: atomic,
  [`${core}.ServiceSpec.ports`]: byKey('port', ['port', 'protocol']),
  [`${core}.ServiceSpec.clusterIPs`]: atomic,
  [`${core}.ServiceSpec.externalIPs`]: atomic,
  [`${core}.ServiceSpec.ipFamilies`]: atomic,
  [`${core}.ServiceStatus.conditions`]: conditions,
  [`${core}.ServiceAccount.secrets`]: byKey('name'),
  [`${core}.ServiceAccount.imagePullSecrets`]: atomic,
  [`${core}.NodeSpec.podCIDRs`]: { patchStrategy: 'merge', listType: 'set' },
  [`${core}.NodeSpec.taints`]: atomic,
  [`${core}.NodeStatus.conditions`]: conditions,
  [`${core}.NodeStatus.addresses`]: byKey('type'),
  [`${core}.NamespaceStatus.conditions`]: conditions,
  [`${core}.PersistentVolumeClaimStatus.conditions`]: conditions,
  [`${core}.ReplicationControllerStatus.conditions`]: conditions,
  [`${core}.Capabilities.add`]: atomic,
  [`${core}.Capabilities.drop`]: atomic,
  [`${core}.EndpointSubset.addresses`]: atomic,
  [`${core}.EndpointSubset.ports`]: atomic,
  [`${core}.Endpoints.subsets`]: atomic,
  [`${core}.NodeSelectorTerm.matchExpressions`]: atomic,
  [`${core}.NodeSelector.nodeSelectorTerms`]: atomic,
  'io.k8s.api.apps.v1.DeploymentSpec.strategy': { patchStrategy: 'retainKeys' },
  'io.k8s.api.apps.v1.DeploymentStatus.conditions': conditions,
  'io.k8s.api.apps.v1.ReplicaSetStatus.conditions': conditions,
  'io.k8s.api.apps.v1.DaemonSetStatus.conditions': conditions,
  'io.k8s.api.apps.v1.StatefulSetStatus.conditions': conditions,
  'io.k8s.api.apps.v1.StatefulSetSpec.volumeClaimTemplates': atomic,
  'io.k8s.api.batch.v1.JobStatus.conditions': { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'atomic' },
  'io.k8s.api.batch.v1.CronJobStatus.active': atomic,
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus.conditions': conditions,
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus.conditions': conditions,
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec.metrics': atomic,
  'io.k8s.api.networking.v1.IngressSpec.rules': atomic,
  'io.k8s.api.networking.v1.IngressSpec.tls': atomic,
  'io.k8s.api.networking.v1.NetworkPolicySpec.ingress': atomic,
  'io.k8s.api.networking.v1.NetworkPolicySpec.egress': atomic,
  'io.k8s.api.discovery.v1.EndpointSlice.endpoints': atomic,
  'io.k8s.api.discovery.v1.EndpointSlice.ports': atomic,
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus.conditions': conditions,
};

/**
 * QUANTITY_FIELDS lists the fields typed resource.Quantity upstream (client-node types them as
 * plain strings); for maps the map values are quantities.
 */
export const QUANTITY_FIELDS: readonly string[] = [
  `${core}.ResourceRequirements.limits`,
  `${core}.ResourceRequirements.requests`,
  `${core}.VolumeResourceRequirements.limits`,
  `${core}.VolumeResourceRequirements.requests`,
  `${core}.EmptyDirVolumeSource.sizeLimit`,
  `${core}.ResourceFieldSelector.divisor`,
  `${core}.LimitRangeItem.default`,
  `${core}.LimitRangeItem.defaultRequest`,
  `${core}.LimitRangeItem.max`,
  `${core}.LimitRangeItem.min`,
  `${core}.LimitRangeItem.maxLimitRequestRatio`,
  `${core}.ResourceQuotaSpec.hard`,
  `${core}.ResourceQuotaStatus.hard`,
  `${core}.ResourceQuotaStatus.used`,
  `${core}.NodeStatus.allocatable`,
  `${core}.NodeStatus.capacity`,
  `${core}.PersistentVolumeSpec.capacity`,
  `${core}.PersistentVolumeClaimStatus.capacity`,
  `${core}.PersistentVolumeClaimStatus.allocatedResources`,
  `${core}.ContainerStatus.allocatedResources`,
  `${core}.PodSpec.overhead`,
  'io.k8s.api.node.v1.Overhead.podFixed',
  'io.k8s.api.storage.v1.CSIStorageCapacity.capacity',
  'io.k8s.api.storage.v1.CSIStorageCapacity.maximumVolumeSize',
  'io.k8s.api.autoscaling.v2.MetricTarget.averageValue',
  'io.k8s.api.autoscaling.v2.MetricTarget.value',
  'io.k8s.api.autoscaling.v2.MetricValueStatus.averageValue',
  'io.k8s.api.autoscaling.v2.MetricValueStatus.value',
];

/** prefixed turns {field: ext} into {`${def}.${field}`: ext}. */
function prefixed(def: string, fields: Record<string, FieldExtension>): Record<string, FieldExtension> {
  return Object.fromEntries(Object.entries(fields).map(([f, e]) => [`${def}.${f}`, e]));
}
