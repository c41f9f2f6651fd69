import type { MessageTable } from './schema.js';

/** coreMessages describes messages of k8s.io/api core/v1 outside pods and volumes: namespaces, services, nodes, quotas, events (syntax in schema.ts). */
export const coreMessages: MessageTable = {
  Namespace: 'metadata 1 ObjectMeta, spec 2 NamespaceSpec, status 3 NamespaceStatus',
  NamespaceSpec: 'finalizers 1 [s]',
  NamespaceStatus: 'phase 1 s, conditions 2 [NamespaceCondition]',
  NamespaceCondition: 'type 1 s, status 2 s, lastTransitionTime 4 Time, reason 5 s, message 6 s',
  ConfigMap: 'metadata 1 ObjectMeta, immutable 4 b?, data 2 {s}, binaryData 3 {y}',
  Secret: 'metadata 1 ObjectMeta, immutable 5 b?, data 2 {y}, stringData 4 {s}, type 3 s',
  Service: 'metadata 1 ObjectMeta, spec 2 ServiceSpec, status 3 ServiceStatus',
  ServiceSpec:
    'ports 1 [ServicePort], selector 2 {s}, clusterIP 3 s, clusterIPs 18 [s], type 4 s, externalIPs 5 [s],' +
    'sessionAffinity 7 s, loadBalancerIP 8 s, loadBalancerSourceRanges 9 [s], externalName 10 s,' +
    'externalTrafficPolicy 11 s, healthCheckNodePort 12 i32, publishNotReadyAddresses 13 b,' +
    'sessionAffinityConfig 14 SessionAffinityConfig, ipFamilies 19 [s], ipFamilyPolicy 17 s?,' +
    'allocateLoadBalancerNodePorts 20 b?, loadBalancerClass 21 s?, internalTrafficPolicy 22 s?,' +
    'trafficDistribution 23 s?',
  ServicePort:
    'name 1 s, protocol 2 s, appProtocol 6 s?, port 3 i32, targetPort 4 IntOrString, nodePort 5 i32',
  SessionAffinityConfig: 'clientIP 1 ClientIPConfig',
  ClientIPConfig: 'timeoutSeconds 1 i32?',
  ServiceStatus: 'loadBalancer 1 LoadBalancerStatus, conditions 2 [Condition]',
  LoadBalancerStatus: 'ingress 1 [LoadBalancerIngress]',
  LoadBalancerIngress: 'ip 1 s, hostname 2 s, ipMode 3 s?, ports 4 [PortStatus]',
  PortStatus: 'port 1 i32, protocol 2 s, error 3 s?',
  ServiceAccount:
    'metadata 1 ObjectMeta, secrets 2 [ObjectReference], imagePullSecrets 3 [LocalObjectReference],' +
    'automountServiceAccountToken 4 b?',
  ObjectReference:
    'kind 1 s, namespace 2 s, name 3 s, uid 4 s, apiVersion 5 s, resourceVersion 6 s, fieldPath 7 s',
  LocalObjectReference: 'name 1 s',
  ReplicationController:
    'metadata 1 ObjectMeta, spec 2 ReplicationControllerSpec, status 3 ReplicationControllerStatus',
  ReplicationControllerSpec:
    'replicas 1 i32?, minReadySeconds 4 i32, selector 2 {s}, template 3 PodTemplateSpec',
  ReplicationControllerStatus:
    'replicas 1 i32, fullyLabeledReplicas 2 i32, readyReplicas 4 i32, availableReplicas 5 i32,' +
    'observedGeneration 3 i64, conditions 6 [ReplicationControllerCondition]',
  ReplicationControllerCondition: 'type 1 s, status 2 s, lastTransitionTime 3 Time, reason 4 s, message 5 s',
  ResourceQuota: 'metadata 1 ObjectMeta, spec 2 ResourceQuotaSpec, status 3 ResourceQuotaStatus',
  ResourceQuotaSpec: 'hard 1 {Quantity}, scopes 2 [s], scopeSelector 3 ScopeSelector',
  ScopeSelector: 'matchExpressions 1 [ScopedResourceSelectorRequirement]',
  ScopedResourceSelectorRequirement: 'scopeName 1 s, operator 2 s, values 3 [s]',
  ResourceQuotaStatus: 'hard 1 {Quantity}, used 2 {Quantity}',
  LimitRange: 'metadata 1 ObjectMeta, spec 2 LimitRangeSpec',
  LimitRangeSpec: 'limits 1 [LimitRangeItem]',
  LimitRangeItem:
    'type 1 s, max 2 {Quantity}, min 3 {Quantity}, default 4 {Quantity}, defaultRequest 5 {Quantity},' +
    'maxLimitRequestRatio 6 {Quantity}',
  Endpoints: 'metadata 1 ObjectMeta, subsets 2 [EndpointSubset]',
  EndpointSubset:
    'addresses 1 [EndpointAddress], notReadyAddresses 2 [EndpointAddress], ports 3 [EndpointPort]',
  EndpointAddress: 'ip 1 s, hostname 3 s, nodeName 4 s?, targetRef 2 ObjectReference',
  EndpointPort: 'name 1 s, port 2 i32, protocol 3 s, appProtocol 4 s?',
  Event:
    'metadata 1 ObjectMeta, involvedObject 2 ObjectReference, reason 3 s, message 4 s, source 5 EventSource,' +
    'firstTimestamp 6 Time, lastTimestamp 7 Time, count 8 i32, type 9 s, eventTime 10 MicroTime,' +
    'series 11 EventSeries, action 12 s, related 13 ObjectReference, reportingComponent 14 s,' +
    'reportingInstance 15 s',
  EventSource: 'component 1 s, host 2 s',
  EventSeries: 'count 1 i32, lastObservedTime 2 MicroTime',
  Node: 'metadata 1 ObjectMeta, spec 2 NodeSpec, status 3 NodeStatus',
  NodeSpec:
    'podCIDR 1 s, podCIDRs 7 [s], providerID 3 s, unschedulable 4 b, taints 5 [Taint],' +
    'configSource 6 NodeConfigSource, externalID 2 s',
  Taint: 'key 1 s, value 2 s, effect 3 s, timeAdded 4 Time',
  NodeConfigSource: 'configMap 2 ConfigMapNodeConfigSource',
  ConfigMapNodeConfigSource: 'namespace 1 s, name 2 s, uid 3 s, resourceVersion 4 s, kubeletConfigKey 5 s',
  NodeStatus:
    'capacity 1 {Quantity}, allocatable 2 {Quantity}, phase 3 s, conditions 4 [NodeCondition],' +
    'addresses 5 [NodeAddress], daemonEndpoints 6 NodeDaemonEndpoints, nodeInfo 7 NodeSystemInfo,' +
    'images 8 [ContainerImage], volumesInUse 9 [s], volumesAttached 10 [AttachedVolume],' +
    'config 11 NodeConfigStatus, runtimeHandlers 12 [NodeRuntimeHandler], features 13 NodeFeatures',
  NodeCondition:
    'type 1 s, status 2 s, lastHeartbeatTime 3 Time, lastTransitionTime 4 Time, reason 5 s, message 6 s',
  NodeAddress: 'type 1 s, address 2 s',
  NodeDaemonEndpoints: 'kubeletEndpoint 1 DaemonEndpoint',
  DaemonEndpoint: 'Port 1 i32',
  NodeSystemInfo:
    'machineID 1 s, systemUUID 2 s, bootID 3 s, kernelVersion 4 s, osImage 5 s, containerRuntimeVersion 6 s,' +
    'kubeletVersion 7 s, kubeProxyVersion 8 s, operatingSystem 9 s, architecture 10 s, swap 11 NodeSwapStatus',
  NodeSwapStatus: 'capacity 1 i64?',
  ContainerImage: 'names 1 [s], sizeBytes 2 i64',
  AttachedVolume: 'name 1 s, devicePath 2 s',
  NodeConfigStatus:
    'assigned 1 NodeConfigSource, active 2 NodeConfigSource, lastKnownGood 3 NodeConfigSource, error 4 s',
  NodeRuntimeHandler: 'name 1 s, features 2 NodeRuntimeHandlerFeatures',
  NodeRuntimeHandlerFeatures: 'recursiveReadOnlyMounts 1 b?, userNamespaces 2 b?',
  NodeFeatures: 'supplementalGroupsPolicy 1 b?',
  Binding: 'metadata 1 ObjectMeta, target 2 ObjectReference',
  PersistentVolumeClaim:
    'metadata 1 ObjectMeta, spec 2 PersistentVolumeClaimSpec, status 3 PersistentVolumeClaimStatus',
  PersistentVolumeClaimStatus:
    'phase 1 s, accessModes 2 [s], capacity 3 {Quantity}, conditions 4 [PersistentVolumeClaimCondition],' +
    'allocatedResources 5 {Quantity}, allocatedResourceStatuses 7 {s}, currentVolumeAttributesClassName 8 s?,' +
    'modifyVolumeStatus 9 ModifyVolumeStatus',
  PersistentVolumeClaimCondition:
    'type 1 s, status 2 s, lastProbeTime 3 Time, lastTransitionTime 4 Time, reason 5 s, message 6 s',
  ModifyVolumeStatus: 'targetVolumeAttributesClassName 1 s, status 2 s',
};
