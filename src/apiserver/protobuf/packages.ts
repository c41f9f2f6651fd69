import type { MessageTable } from './schema.js';
import { appsV1Messages } from './schema_apps.js';
import { authenticationV1Messages, authorizationV1Messages, certificatesV1Messages, rbacV1Messages } from './schema_auth.js';
import { autoscalingV1Messages, autoscalingV2Messages } from './schema_autoscaling.js';
import { batchV1beta1Messages, batchV1Messages } from './schema_batch.js';
import { coreMessages } from './schema_core.js';
import { corePodMessages } from './schema_core_pod.js';
import { coreVolumeMessages } from './schema_core_volume.js';
import { metaMessages } from './schema_meta.js';
import {
  coordinationV1Messages,
  discoveryV1Messages,
  eventsV1Messages,
  policyV1beta1Messages,
  policyV1Messages,
  schedulingV1Messages,
} from './schema_misc.js';
import { networkingV1beta1Messages, networkingV1Messages } from './schema_networking.js';

/** PACKAGES maps a package id (`group/version`, core is `core/v1`) to its message table. */
export const PACKAGES: Readonly<Record<string, MessageTable>> = {
  'meta/v1': metaMessages,
  'core/v1': { ...coreMessages, ...corePodMessages, ...coreVolumeMessages },
  'apps/v1': appsV1Messages,
  'batch/v1': batchV1Messages,
  'batch/v1beta1': batchV1beta1Messages,
  'networking/v1': networkingV1Messages,
  'networking/v1beta1': networkingV1beta1Messages,
  'policy/v1': policyV1Messages,
  'policy/v1beta1': policyV1beta1Messages,
  'scheduling/v1': schedulingV1Messages,
  'coordination/v1': coordinationV1Messages,
  'authentication/v1': authenticationV1Messages,
  'authorization/v1': authorizationV1Messages,
  'autoscaling/v1': autoscalingV1Messages,
  'autoscaling/v2': autoscalingV2Messages,
  'discovery/v1': discoveryV1Messages,
  'rbac/v1': rbacV1Messages,
  'certificates/v1': certificatesV1Messages,
  'events/v1': eventsV1Messages,
};

/** KINDS lists, per apiVersion, the kinds whose protobuf body can be decoded (kind = message name). */
export const KINDS: Readonly<Record<string, readonly string[]>> = {
  v1: [
    'Namespace', 'ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Pod', 'PodTemplate', 'ReplicationController',
    'ResourceQuota', 'LimitRange', 'Endpoints', 'Event', 'Node', 'Binding', 'PersistentVolumeClaim', 'PersistentVolume',
  ],
  'apps/v1': ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'ControllerRevision'],
  'batch/v1': ['Job', 'CronJob'],
  'batch/v1beta1': ['CronJob'],
  'networking.k8s.io/v1': ['Ingress', 'IngressClass', 'NetworkPolicy'],
  'networking.k8s.io/v1beta1': ['Ingress'],
  'policy/v1': ['Eviction', 'PodDisruptionBudget'],
  'policy/v1beta1': ['Eviction', 'PodDisruptionBudget'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'coordination.k8s.io/v1': ['Lease'],
  'authentication.k8s.io/v1': ['TokenRequest', 'TokenReview', 'SelfSubjectReview'],
  'authorization.k8s.io/v1': [
    'SelfSubjectAccessReview', 'SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectRulesReview',
  ],
  'autoscaling/v1': ['Scale', 'HorizontalPodAutoscaler'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'discovery.k8s.io/v1': ['EndpointSlice'],
  'rbac.authorization.k8s.io/v1': ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'],
  'certificates.k8s.io/v1': ['CertificateSigningRequest'],
  'events.k8s.io/v1': ['Event'],
};

/** META_KINDS are meta/v1 kinds accepted under any apiVersion (client-go registers them in every group). */
export const META_KINDS: readonly string[] = ['DeleteOptions'];

/** packageOf maps an apiVersion to its package id: `v1` → `core/v1`, `apps/v1` → `apps/v1`,
 * `networking.k8s.io/v1` → `networking/v1`. */
export function packageOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return `core/${apiVersion}`;
  const group = apiVersion.slice(0, slash);
  const dot = group.indexOf('.');
  return `${dot < 0 ? group : group.slice(0, dot)}${apiVersion.slice(slash)}`;
}
