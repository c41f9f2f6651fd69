// Volume objects for the VolumeBinding tests (imported by *_test.ts files only).
import type { KubeObject } from '../../../api/types.js';
import type { EventHandlers } from '../../../client/informer.js';
import { makePod, type PodOpts } from '../../testing/fixtures_test_helper.js';
import { volumeIndexers, type CachedResource } from './volume_binding.js';

/** PVOpts shape a test PersistentVolume (Available, 1Gi, RWO unless told otherwise). */
export interface PVOpts {
  className?: string;
  capacity?: string;
  /** node pins the volume with required node affinity on kubernetes.io/hostname. */
  node?: string;
  claimRef?: { namespace: string; name: string; uid?: string };
  phase?: string;
}

/** makePV builds a PersistentVolume. */
export function makePV(name: string, o: PVOpts = {}): KubeObject {
  const spec: Record<string, unknown> = { capacity: { storage: o.capacity ?? '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/tmp/${name}` }, storageClassName: o.className ?? '', volumeMode: 'Filesystem' };
  if (o.node) spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [o.node] }] }] } };
  if (o.claimRef) spec.claimRef = { kind: 'PersistentVolumeClaim', ...o.claimRef };
  return { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, resourceVersion: '1' }, spec, status: { phase: o.phase ?? (o.claimRef ? 'Bound' : 'Available') } };
}

/** PVCOpts shape a test claim (unbound, 1Gi, RWO unless told otherwise). */
export interface PVCOpts {
  namespace?: string;
  className?: string;
  request?: string;
  /** boundTo marks the claim fully bound to this volume. */
  boundTo?: string;
  annotations?: Record<string, string>;
  deleting?: boolean;
  ownerUID?: string;
}

/** makePVC builds a PersistentVolumeClaim. */
export function makePVC(name: string, o: PVCOpts = {}): KubeObject {
  const spec: Record<string, unknown> = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: o.request ?? '1Gi' } }, volumeMode: 'Filesystem' };
  if (o.className !== undefined) spec.storageClassName = o.className;
  const annotations: Record<string, string> = { ...(o.annotations ?? {}) };
  if (o.boundTo) {
    spec.volumeName = o.boundTo;
    annotations['pv.kubernetes.io/bind-completed'] = 'yes';
  }
  const metadata: KubeObject['metadata'] = { name, namespace: o.namespace ?? 'default', uid: `uid-${name}`, resourceVersion: '1', annotations };
  if (o.deleting) metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  if (o.ownerUID) metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: o.ownerUID, controller: true }];
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata, spec, status: { phase: o.boundTo ? 'Bound' : 'Pending' } };
}

/** makeClass builds a StorageClass. */
export function makeClass(name: string, mode: 'Immediate' | 'WaitForFirstConsumer', provisioner = 'kubernetes.io/no-provisioner'): KubeObject {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, volumeBindingMode: mode, reclaimPolicy: 'Delete' };
}

/** podWithClaims builds a pod mounting the claims (and, with ephemeral, generic ephemeral volumes of those names). */
export function podWithClaims(name: string, claims: string[], o: PodOpts & { ephemeral?: string[] } = {}): KubeObject {
  const pod = makePod(name, o);
  const volumes = [
    { name: 'kube-api-access', projected: { sources: [] } },
    ...claims.map((c, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName: c } })),
    ...(o.ephemeral ?? []).map((v) => ({ name: v, ephemeral: { volumeClaimTemplate: { spec: {} } } })),
  ];
  return { ...pod, spec: { ...(pod.spec ?? {}), volumes } };
}

/** FakeCache is an informer stand-in over a map, keyed as informers key (`ns/name` or `name`). */
export class FakeCache implements CachedResource {
  readonly objects = new Map<string, KubeObject>();
  private readonly handlers: EventHandlers[] = [];

  constructor(private readonly indexed = false) {}

  /** put stores an object and tells the handlers. */
  put(obj: KubeObject): void {
    const key = obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name ?? ''}` : obj.metadata.name ?? '';
    const old = this.objects.get(key);
    this.objects.set(key, obj);
    for (const h of this.handlers) {
      if (old) h.onUpdate?.(old, obj);
      else h.onAdd?.(obj);
    }
  }

  get(key: string): KubeObject | undefined {
    return this.objects.get(key);
  }

  byIndex(name: string, value: string): KubeObject[] {
    const fn = this.indexed ? volumeIndexers[name as keyof typeof volumeIndexers] : undefined;
    return fn ? [...this.objects.values()].filter((o) => fn(o).includes(value)) : [];
  }

  addHandlers(h: EventHandlers): void {
    this.handlers.push(h);
  }
}
