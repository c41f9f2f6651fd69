/** Finding, ordering and counting a Deployment's ReplicaSets (upstream's deployment util). */
import type { KubeObject } from '../../api/types.js';
import { deepCopy, field, num } from '../../api/object.js';
import { isObject } from '../../api/types.js';
import { DESIRED_REPLICAS_ANNOTATION, intAnnotation, revisionOf } from './annotations.js';
import { replicasOf } from './fenceposts.js';
import { canonicalJson } from './hash.js';

/** POD_TEMPLATE_HASH_LABEL is apps.DefaultDeploymentUniqueLabelKey. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

function withoutHash(template: unknown): unknown {
  const t = deepCopy(template);
  const labels = field(t, 'metadata', 'labels');
  if (isObject(labels)) {
    delete labels[POD_TEMPLATE_HASH_LABEL];
    // Go's semantic equality treats an empty label map like a missing one.
    if (Object.keys(labels).length === 0 && isObject(field(t, 'metadata'))) delete (field(t, 'metadata') as Record<string, unknown>).labels;
  }
  return t;
}

/** equalIgnoreHash compares two pod templates ignoring the pod-template-hash label. */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}

const created = (rs: KubeObject): number => Date.parse(rs.metadata.creationTimestamp ?? '') || 0;

/** byCreation orders oldest first, then by name (ReplicaSetsByCreationTimestamp). */
export function byCreation(a: KubeObject, b: KubeObject): number {
  const d = created(a) - created(b);
  if (d !== 0) return d;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** bySizeNewer orders larger first, ties newer first (ReplicaSetsBySizeNewer). */
export function bySizeNewer(a: KubeObject, b: KubeObject): number {
  return replicasOf(a) === replicasOf(b) ? byCreation(b, a) : replicasOf(b) - replicasOf(a);
}

/** bySizeOlder orders larger first, ties older first (ReplicaSetsBySizeOlder). */
export function bySizeOlder(a: KubeObject, b: KubeObject): number {
  return replicasOf(a) === replicasOf(b) ? byCreation(a, b) : replicasOf(b) - replicasOf(a);
}

/** byRevision orders lowest revision first, ties by creation (ReplicaSetsByRevision). */
export function byRevision(a: KubeObject, b: KubeObject): number {
  return revisionOf(a) === revisionOf(b) ? byCreation(a, b) : revisionOf(a) - revisionOf(b);
}

/** findNewReplicaSet returns the oldest ReplicaSet whose template equals the Deployment's. */
export function findNewReplicaSet(d: KubeObject, rss: KubeObject[]): KubeObject | undefined {
  const tmpl = field(d, 'spec', 'template');
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(field(rs, 'spec', 'template'), tmpl));
}

/** findOldReplicaSets returns every ReplicaSet but the new one. */
export function findOldReplicaSets(d: KubeObject, rss: KubeObject[]): KubeObject[] {
  const newRS = findNewReplicaSet(d, rss);
  return rss.filter((rs) => !newRS || rs.metadata.uid !== newRS.metadata.uid);
}

/** filterActive keeps ReplicaSets with spec.replicas > 0. */
export function filterActive(rss: (KubeObject | undefined)[]): KubeObject[] {
  return rss.filter((rs): rs is KubeObject => rs !== undefined && replicasOf(rs) > 0);
}

/** sumSpecReplicas adds spec.replicas (GetReplicaCountForReplicaSets). */
export function sumSpecReplicas(rss: (KubeObject | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs ? replicasOf(rs) : 0), 0);
}

/** sumStatus adds one status count (replicas, readyReplicas, availableReplicas) over ReplicaSets. */
export function sumStatus(rss: (KubeObject | undefined)[], key: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  return rss.reduce((n, rs) => n + (rs ? num(rs, 'status', key) ?? 0 : 0), 0);
}

/** findActiveOrLatest returns the only active ReplicaSet, or the newest when none is active. */
export function findActiveOrLatest(newRS: KubeObject | undefined, oldRSs: KubeObject[]): KubeObject | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const olds = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = filterActive([...olds, newRS]);
  if (active.length === 0) return newRS ?? olds[0];
  return active.length === 1 ? active[0] : undefined;
}

/** isSaturated tells whether the new ReplicaSet runs all of the Deployment's replicas. */
export function isSaturated(d: KubeObject, rs: KubeObject | undefined): boolean {
  if (!rs) return false;
  const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
  return replicasOf(rs) === replicasOf(d) && desired === replicasOf(d) && (num(rs, 'status', 'availableReplicas') ?? 0) === replicasOf(d);
}
