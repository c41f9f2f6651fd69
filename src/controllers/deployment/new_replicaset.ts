/** Finding or creating a Deployment's new ReplicaSet and syncing revisions (upstream's getNewReplicaSet). */
import type { KubeObject } from '../../api/types.js';
import { deepCopy, field, num } from '../../api/object.js';
import { isObject } from '../../api/types.js';
import { isStatusError } from '../../api/errors.js';
import { maxRevision, REVISION_ANNOTATION, setNewReplicaSetAnnotations } from './annotations.js';
import { getCondition, newCondition, Reason, setCondition } from './conditions.js';
import { controllerRefOf } from './deps.js';
import { isRollingUpdate, maxSurge, progressDeadlineSeconds, replicasOf } from './fenceposts.js';
import { computeHash } from './hash.js';
import { equalIgnoreHash, findNewReplicaSet, findOldReplicaSets, POD_TEMPLATE_HASH_LABEL, sumSpecReplicas } from './replicasets.js';
import { setDeploymentRevision, writeStatus, type Rollout } from './rollout.js';

/** newRSReplicas is NewRSNewReplicas: how big the new ReplicaSet may be right now. */
export function newRSReplicas(d: KubeObject, allRSs: KubeObject[], newRS: KubeObject): number {
  const desired = replicasOf(d);
  if (!isRollingUpdate(d)) return desired;
  const maxTotal = desired + maxSurge(d);
  const current = sumSpecReplicas(allRSs);
  if (current >= maxTotal) return replicasOf(newRS);
  return replicasOf(newRS) + Math.min(maxTotal - current, desired - replicasOf(newRS));
}

const errMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** syncExistingNewRS refreshes the new ReplicaSet's annotations/minReadySeconds and the Deployment's revision. */
async function syncExistingNewRS(r: Rollout, existing: KubeObject, newRevision: number): Promise<KubeObject> {
  const copy = deepCopy(existing);
  const desired = replicasOf(r.d);
  const annotationsChanged = setNewReplicaSetAnnotations(r.d, copy, newRevision, true, desired, desired + maxSurge(r.d));
  const minReady = num(r.d, 'spec', 'minReadySeconds') ?? 0;
  if (annotationsChanged || (num(copy, 'spec', 'minReadySeconds') ?? 0) !== minReady) {
    (copy.spec as Record<string, unknown>).minReadySeconds = minReady;
    return r.deps.replicaSets.update(copy);
  }
  await setDeploymentRevision(r, copy.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
  if (progressDeadlineSeconds(r.d) !== undefined && !getCondition(r.status.conditions, 'Progressing')) {
    const cond = newCondition('Progressing', 'True', Reason.FoundNewRS, `Found new replica set "${copy.metadata.name ?? ''}"`, r.deps.clock.now());
    await writeStatus(r, { ...r.status, conditions: setCondition(r.status.conditions, cond) });
  }
  return copy;
}

/** buildNewRS is the ReplicaSet a Deployment's current template calls for. */
function buildNewRS(r: Rollout): KubeObject {
  const template = deepCopy(field(r.d, 'spec', 'template')) as Record<string, unknown>;
  const hash = computeHash(field(r.d, 'spec', 'template'), r.status.collisionCount);
  const meta = isObject(template.metadata) ? template.metadata : (template.metadata = {});
  const labels = { ...(isObject(meta.labels) ? (meta.labels as Record<string, string>) : {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  meta.labels = labels;
  const selector = deepCopy(field(r.d, 'spec', 'selector')) as Record<string, unknown>;
  selector.matchLabels = { ...(isObject(selector.matchLabels) ? selector.matchLabels : {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${r.d.metadata.name ?? ''}-${hash}`,
      namespace: r.d.metadata.namespace ?? '',
      labels: { ...labels },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: r.d.metadata.name ?? '', uid: r.d.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: 0, minReadySeconds: num(r.d, 'spec', 'minReadySeconds') ?? 0, selector, template },
  };
}

/** onCreateConflict handles AlreadyExists: our own new RS (slow cache) or a hash collision. */
async function onCreateConflict(r: Rollout, wanted: KubeObject, err: unknown): Promise<KubeObject> {
  const existing = r.deps.rsLister.get(`${wanted.metadata.namespace ?? ''}/${wanted.metadata.name ?? ''}`) ?? (await r.deps.replicaSets.get(wanted.metadata.namespace ?? '', wanted.metadata.name ?? ''));
  if (controllerRefOf(existing)?.uid === r.d.metadata.uid && equalIgnoreHash(field(r.d, 'spec', 'template'), field(existing, 'spec', 'template'))) return existing;
  // A different template hashed to the same name: bump collisionCount so the next hash differs.
  await writeStatus(r, { ...r.status, collisionCount: (r.status.collisionCount ?? 0) + 1 });
  throw err;
}

async function createNewRS(r: Rollout, oldRSs: KubeObject[], newRevision: number): Promise<KubeObject> {
  const rs = buildNewRS(r);
  const replicas = newRSReplicas(r.d, [...oldRSs, rs], rs);
  (rs.spec as Record<string, unknown>).replicas = replicas;
  const desired = replicasOf(r.d);
  setNewReplicaSetAnnotations(r.d, rs, newRevision, false, desired, desired + maxSurge(r.d));
  let created: KubeObject;
  let alreadyExists = false;
  try {
    created = await r.deps.replicaSets.create(rs.metadata.namespace ?? '', rs);
  } catch (e) {
    if (isStatusError(e) && e.code === 409 && e.reason === 'AlreadyExists') {
      alreadyExists = true;
      created = await onCreateConflict(r, rs, e);
    } else {
      const msg = `Failed to create new replica set "${rs.metadata.name ?? ''}": ${errMessage(e)}`;
      if (progressDeadlineSeconds(r.d) !== undefined) {
        const cond = newCondition('Progressing', 'False', Reason.FailedRSCreate, msg, r.deps.clock.now());
        await writeStatus(r, { ...r.status, conditions: setCondition(r.status.conditions, cond) }).catch(() => undefined);
      }
      r.deps.recorder.event(r.d, 'Warning', Reason.FailedRSCreate, msg);
      throw e;
    }
  }
  if (!alreadyExists && replicas > 0) {
    r.deps.recorder.event(r.d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name ?? ''} from 0 to ${replicas}`);
  }
  await setDeploymentRevision(r, String(newRevision));
  if (!alreadyExists && progressDeadlineSeconds(r.d) !== undefined) {
    const cond = newCondition('Progressing', 'True', Reason.NewRSCreated, `Created new replica set "${created.metadata.name ?? ''}"`, r.deps.clock.now());
    await writeStatus(r, { ...r.status, conditions: setCondition(r.status.conditions, cond) });
  }
  return created;
}

/**
 * getAllReplicaSetsAndSyncRevision splits the Deployment's ReplicaSets into the new one (created
 * if `create` and missing) and the old ones, giving the new one revision max(old)+1 — which, for
 * an old ReplicaSet whose template came back (a rollback), moves its revision forward.
 */
export async function getAllReplicaSetsAndSyncRevision(r: Rollout, rsList: KubeObject[], create: boolean): Promise<{ newRS: KubeObject | undefined; oldRSs: KubeObject[] }> {
  const oldRSs = findOldReplicaSets(r.d, rsList);
  const newRevision = maxRevision(oldRSs) + 1;
  const existing = findNewReplicaSet(r.d, rsList);
  if (existing) {
    const newRS = await syncExistingNewRS(r, existing, newRevision);
    // Later steps of this sync see the stored version (no conflict on a second look).
    const i = rsList.indexOf(existing);
    if (i >= 0) rsList[i] = newRS;
    return { newRS, oldRSs };
  }
  if (!create) return { newRS: undefined, oldRSs };
  return { newRS: await createNewRS(r, oldRSs, newRevision), oldRSs };
}
