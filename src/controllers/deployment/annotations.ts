/** The deployment.kubernetes.io annotations on ReplicaSets and Deployments (upstream's deployment util). */
import type { KubeObject } from '../../api/types.js';

/** REVISION_ANNOTATION holds the rollout revision of a ReplicaSet and of its Deployment. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** REVISION_HISTORY_ANNOTATION lists the earlier revisions a rolled-back-to ReplicaSet had. */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
/** DESIRED_REPLICAS_ANNOTATION is the Deployment's spec.replicas when the ReplicaSet was last scaled. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
/** MAX_REPLICAS_ANNOTATION is spec.replicas + maxSurge when the ReplicaSet was last scaled. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** MAX_REV_HISTORY_CHARS bounds the revision-history annotation (upstream's 2000). */
export const MAX_REV_HISTORY_CHARS = 2000;

const notCopied = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

/** revisionOf parses an object's revision annotation (0 when absent or not a number). */
export function revisionOf(obj: KubeObject | undefined): number {
  const v = obj?.metadata.annotations?.[REVISION_ANNOTATION];
  const n = v === undefined || !/^\d+$/.test(v) ? 0 : Number(v);
  return Number.isSafeInteger(n) ? n : 0;
}

/** maxRevision is the highest revision among the ReplicaSets. */
export function maxRevision(rss: KubeObject[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** intAnnotation parses an integer annotation, undefined when absent or malformed. */
export function intAnnotation(obj: KubeObject, key: string): number | undefined {
  const v = obj.metadata.annotations?.[key];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/** setReplicasAnnotations records desired and max replicas on rs; true if anything changed. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    changed = true;
  }
  if (a[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    a[MAX_REPLICAS_ANNOTATION] = String(max);
    changed = true;
  }
  return changed;
}

/** replicasAnnotationsNeedUpdate tells whether setReplicasAnnotations would change rs. */
export function replicasAnnotationsNeedUpdate(rs: KubeObject, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/** copyDeploymentAnnotations copies the Deployment's own annotations (e.g. kubernetes.io/change-cause) onto rs. */
function copyDeploymentAnnotations(d: KubeObject, rs: KubeObject): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (notCopied.has(k) || rs.metadata.annotations?.[k] === v) continue;
    (rs.metadata.annotations ??= {})[k] = v;
    changed = true;
  }
  return changed;
}

/** appendRevisionHistory adds `old` to rs's revision-history, dropping the oldest beyond the limit. */
function appendRevisionHistory(rs: KubeObject, old: string, limitChars: number): void {
  const a = (rs.metadata.annotations ??= {});
  const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
  if (history === '') {
    a[REVISION_HISTORY_ANNOTATION] = old;
    return;
  }
  let revisions = history.split(',');
  let total = history.length + old.length + 1;
  let start = 0;
  while (total > limitChars && start < revisions.length) total -= (revisions[start++] ?? '').length + 1;
  if (total > limitChars) return;
  revisions = [...revisions.slice(start), old];
  a[REVISION_HISTORY_ANNOTATION] = revisions.join(',');
}

/**
 * setNewReplicaSetAnnotations is upstream's SetNewReplicaSetAnnotations: copies the Deployment's
 * annotations, raises the revision to newRevision if lower (recording the old one in the
 * revision history: a rollback), and on a ReplicaSet about to be created sets the replicas
 * annotations. Returns whether rs changed.
 */
export function setNewReplicaSetAnnotations(d: KubeObject, rs: KubeObject, newRevision: number, exists: boolean, desired: number, max: number): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const a = (rs.metadata.annotations ??= {});
  const oldRaw = a[REVISION_ANNOTATION];
  if (oldRaw !== undefined && oldRaw !== '' && !/^\d+$/.test(oldRaw)) return false;
  const old = oldRaw ? Number(oldRaw) : 0;
  if (old < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (oldRaw !== undefined) appendRevisionHistory(rs, oldRaw, MAX_REV_HISTORY_CHARS);
  }
  if (!exists && setReplicasAnnotations(rs, desired, max)) changed = true;
  return changed;
}
