/** What the garbage collector watches and how it finds an owner by kind. */
import type { KubeObject } from '../../api/types.js';
import { parseApiVersion } from '../../api/types.js';
import { R, type GroupVersionResource } from '../../client/client.js';
import type { IndexFunc } from '../../client/informer.js';

/** GcResourceType is one resource the collector knows: its kind and scope. */
export interface GcResourceType {
  gvr: GroupVersionResource;
  kind: string;
  namespaced: boolean;
}

const t = (gvr: GroupVersionResource, kind: string, namespaced = true): GcResourceType => ({ gvr, kind, namespaced });

/**
 * WATCHED_RESOURCES are the resources whose objects carry ownerReferences in skiff (plus services,
 * the owners of EndpointSlices); their caches are the dependency graph. Events are never owned.
 */
export const WATCHED_RESOURCES: GcResourceType[] = [
  t(R.pods, 'Pod'),
  t(R.replicasets, 'ReplicaSet'),
  t(R.replicationcontrollers, 'ReplicationController'),
  t(R.deployments, 'Deployment'),
  t(R.daemonsets, 'DaemonSet'),
  t(R.statefulsets, 'StatefulSet'),
  t(R.controllerrevisions, 'ControllerRevision'),
  t(R.jobs, 'Job'),
  t(R.cronjobs, 'CronJob'),
  t(R.endpointslices, 'EndpointSlice'),
  t(R.services, 'Service'),
  // StatefulSet claims owned under persistentVolumeClaimRetentionPolicy whenDeleted: Delete.
  t(R.persistentvolumeclaims, 'PersistentVolumeClaim'),
];

/** OWNER_KINDS maps "group/Kind" to a served resource, for live reads of owners not in the caches. */
const OWNER_KINDS = new Map<string, GcResourceType>(
  [
    ...WATCHED_RESOURCES,
    t(R.configmaps, 'ConfigMap'),
    t(R.secrets, 'Secret'),
    t(R.serviceaccounts, 'ServiceAccount'),
    t(R.endpoints, 'Endpoints'),
    t(R.nodes, 'Node', false),
    t(R.namespaces, 'Namespace', false),
    t({ group: '', version: 'v1', resource: 'persistentvolumes' }, 'PersistentVolume', false),
    t(R.ingresses, 'Ingress'),
    t(R.ingressclasses, 'IngressClass', false),
    t(R.leases, 'Lease'),
    t(R.poddisruptionbudgets, 'PodDisruptionBudget'),
  ].map((r) => [`${r.gvr.group}/${r.kind}`, r]),
);

/** ownerResourceType finds the resource of an owner reference (any version of its group), if known. */
export function ownerResourceType(apiVersion: string, kind: string): GcResourceType | undefined {
  return OWNER_KINDS.get(`${parseApiVersion(apiVersion).group}/${kind}`);
}

/** resourceId names a resource type inside queue keys: `group/resource`. */
export function resourceId(r: GcResourceType): string {
  return `${r.gvr.group}/${r.gvr.resource}`;
}

/** OWNER_UID_INDEX indexes objects by the uids of their owners. */
export const OWNER_UID_INDEX = 'gc:owner-uid';
/** UID_INDEX indexes objects by their own uid. */
export const UID_INDEX = 'gc:uid';

/** GC_INDEXERS are the indexes the collector adds to every watched informer. */
export const GC_INDEXERS: Record<string, IndexFunc> = {
  [OWNER_UID_INDEX]: (o: KubeObject) => (o.metadata.ownerReferences ?? []).map((r) => r.uid),
  [UID_INDEX]: (o: KubeObject) => (o.metadata.uid ? [o.metadata.uid] : []),
};

/** FOREGROUND_FINALIZER and ORPHAN_FINALIZER are the finalizers the API server adds for those propagation policies. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/** hasFinalizer tells whether obj carries finalizer f. */
export function hasFinalizer(obj: KubeObject, f: string): boolean {
  return (obj.metadata.finalizers ?? []).includes(f);
}
