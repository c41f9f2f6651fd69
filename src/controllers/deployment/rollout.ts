/** The per-sync working state of one Deployment and the writes that keep it current. */
import type { JsonObject, KubeObject } from '../../api/types.js';
import { field, num } from '../../api/object.js';
import type { DeploymentDeps } from './deps.js';
import { REVISION_ANNOTATION } from './annotations.js';
import { readConditions, type Condition } from './conditions.js';
import { canonicalJson } from './hash.js';

/** DeploymentStatus is apps/v1 DeploymentStatus with zeros for absent counts. */
export interface DeploymentStatus {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions: Condition[];
  collisionCount?: number;
}

/** Rollout is one sync's view: a private copy of the Deployment and its last written status. */
export interface Rollout {
  deps: DeploymentDeps;
  key: string;
  d: KubeObject;
  status: DeploymentStatus;
}

/** readStatus reads a Deployment's status. */
export function readStatus(d: KubeObject): DeploymentStatus {
  const n = (k: string): number => num(d, 'status', k) ?? 0;
  const s: DeploymentStatus = {
    observedGeneration: n('observedGeneration'),
    replicas: n('replicas'),
    updatedReplicas: n('updatedReplicas'),
    readyReplicas: n('readyReplicas'),
    availableReplicas: n('availableReplicas'),
    unavailableReplicas: n('unavailableReplicas'),
    conditions: readConditions(field(d, 'status', 'conditions')),
  };
  const cc = num(d, 'status', 'collisionCount');
  if (cc !== undefined) s.collisionCount = cc;
  return s;
}

/** statusJson renders a status as the API stores it (zero counts omitted, as Go's omitempty does). */
export function statusJson(s: DeploymentStatus): JsonObject {
  const out: JsonObject = {};
  const counts = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const;
  for (const k of counts) if (s[k] !== 0) out[k] = s[k];
  if (s.conditions.length) out.conditions = s.conditions;
  if (s.collisionCount !== undefined) out.collisionCount = s.collisionCount;
  return out;
}

/** sameStatus compares two statuses field by field. */
export function sameStatus(a: DeploymentStatus, b: DeploymentStatus): boolean {
  return canonicalJson(statusJson(a)) === canonicalJson(statusJson(b));
}

/** writeStatus stores s through the status subresource and keeps the working copy current. */
export async function writeStatus(r: Rollout, s: DeploymentStatus): Promise<void> {
  const stored = await r.deps.deployments.updateStatus({ ...r.d, status: statusJson(s) });
  r.d.metadata.resourceVersion = stored.metadata.resourceVersion ?? '';
  r.d.status = stored.status;
  r.status = s;
}

/**
 * setDeploymentRevision records the new ReplicaSet's revision on the Deployment (a metadata-only
 * update, which leaves generation alone; the deployment-controller role may update Deployments,
 * not patch them). Returns whether it changed.
 */
export async function setDeploymentRevision(r: Rollout, revision: string): Promise<boolean> {
  if (r.d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return false;
  const next = { ...r.d, metadata: { ...r.d.metadata, annotations: { ...(r.d.metadata.annotations ?? {}), [REVISION_ANNOTATION]: revision } } };
  const stored = await r.deps.deployments.update(next);
  r.d.metadata.resourceVersion = stored.metadata.resourceVersion ?? '';
  r.d.metadata.annotations = { ...(r.d.metadata.annotations ?? {}), [REVISION_ANNOTATION]: revision };
  return true;
}
