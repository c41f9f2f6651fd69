import type { MessageTable } from './schema.js';

/** policyV1Messages describes messages of k8s.io/api policy/v1 (syntax in schema.ts). */
export const policyV1Messages: MessageTable = {
  Eviction: 'metadata 1 ObjectMeta, deleteOptions 2 DeleteOptions',
  PodDisruptionBudget:
    'metadata 1 ObjectMeta, spec 2 PodDisruptionBudgetSpec, status 3 PodDisruptionBudgetStatus',
  PodDisruptionBudgetSpec:
    'minAvailable 1 IntOrString, selector 2 LabelSelector, maxUnavailable 3 IntOrString,' +
    'unhealthyPodEvictionPolicy 4 s?',
  PodDisruptionBudgetStatus:
    'observedGeneration 1 i64, disruptedPods 2 {Time}, disruptionsAllowed 3 i32, currentHealthy 4 i32,' +
    'desiredHealthy 5 i32, expectedPods 6 i32, conditions 7 [Condition]',
};

/** policyV1beta1Messages describes messages of k8s.io/api policy/v1beta1 (kubectl 1.20 evictions). */
export const policyV1beta1Messages: MessageTable = {
  Eviction: 'metadata 1 ObjectMeta, deleteOptions 2 DeleteOptions',
  PodDisruptionBudget:
    'metadata 1 ObjectMeta, spec 2 PodDisruptionBudgetSpec, status 3 PodDisruptionBudgetStatus',
  PodDisruptionBudgetSpec:
    'minAvailable 1 IntOrString, selector 2 LabelSelector, maxUnavailable 3 IntOrString,' +
    'unhealthyPodEvictionPolicy 4 s?',
  PodDisruptionBudgetStatus:
    'observedGeneration 1 i64, disruptedPods 2 {Time}, disruptionsAllowed 3 i32, currentHealthy 4 i32,' +
    'desiredHealthy 5 i32, expectedPods 6 i32, conditions 7 [Condition]',
};

/** schedulingV1Messages describes messages of k8s.io/api scheduling/v1. */
export const schedulingV1Messages: MessageTable = {
  PriorityClass:
    'metadata 1 ObjectMeta, value 2 i32, globalDefault 3 b, description 4 s, preemptionPolicy 5 s?',
};

/** coordinationV1Messages describes messages of k8s.io/api coordination/v1. */
export const coordinationV1Messages: MessageTable = {
  Lease: 'metadata 1 ObjectMeta, spec 2 LeaseSpec',
  LeaseSpec:
    'holderIdentity 1 s?, leaseDurationSeconds 2 i32?, acquireTime 3 MicroTime, renewTime 4 MicroTime,' +
    'leaseTransitions 5 i32?, strategy 6 s?, preferredHolder 7 s?',
};

/** discoveryV1Messages describes messages of k8s.io/api discovery/v1. */
export const discoveryV1Messages: MessageTable = {
  EndpointSlice: 'metadata 1 ObjectMeta, addressType 4 s, endpoints 2 [Endpoint], ports 3 [EndpointPort]',
  Endpoint:
    'addresses 1 [s], conditions 2 EndpointConditions, hostname 3 s?, targetRef 4 ObjectReference,' +
    'deprecatedTopology 5 {s}, nodeName 6 s?, zone 7 s?, hints 8 EndpointHints',
  EndpointConditions: 'ready 1 b?, serving 2 b?, terminating 3 b?',
  EndpointHints: 'forZones 1 [ForZone], forNodes 2 [ForNode]',
  ForZone: 'name 1 s',
  ForNode: 'name 1 s',
  EndpointPort: 'name 1 s?, protocol 2 s?, port 3 i32?, appProtocol 4 s?',
};

/** eventsV1Messages describes messages of k8s.io/api events/v1. */
export const eventsV1Messages: MessageTable = {
  Event:
    'metadata 1 ObjectMeta, eventTime 2 MicroTime, series 3 EventSeries, reportingController 4 s,' +
    'reportingInstance 5 s, action 6 s, reason 7 s, regarding 8 ObjectReference, related 9 ObjectReference,' +
    'note 10 s, type 11 s, deprecatedSource 12 EventSource, deprecatedFirstTimestamp 13 Time,' +
    'deprecatedLastTimestamp 14 Time, deprecatedCount 15 i32',
  EventSeries: 'count 1 i32, lastObservedTime 2 MicroTime',
};
