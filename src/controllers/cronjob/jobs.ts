/** The Jobs of a CronJob: which are finished, the active list, and history clean-up. */
import { arr, deepCopy, num, objAt, str } from '../../api/object.js';
import { isObject, type JsonObject, type KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { type CronJobDeps, rfc3339 } from './deps.js';

/** finishedAs returns "Complete" or "Failed" once a Job has that condition, else undefined. */
export function finishedAs(job: KubeObject): 'Complete' | 'Failed' | undefined {
  for (const c of arr(job, 'status', 'conditions')) {
    const type = str(c, 'type');
    if ((type === 'Complete' || type === 'Failed') && str(c, 'status') === 'True') return type;
  }
  return undefined;
}

/** jobRef is the ObjectReference status.active holds. */
export function jobRef(job: KubeObject): JsonObject {
  return { kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion };
}

async function stillExists(d: CronJobDeps, ref: JsonObject): Promise<boolean> {
  try {
    const live = await d.client.resource(R.jobs).get(String(ref.namespace ?? ''), String(ref.name ?? ''));
    return live.metadata.uid === ref.uid && finishedAs(live) === undefined;
  } catch (e) {
    if ((e as { code?: number }).code === 404) return false;
    throw e;
  }
}

/**
 * reconcileActive updates status.active from the owned Jobs: adds running ones it lacks, drops
 * finished and vanished ones (a live read confirms a Job the cache has not seen yet), and moves
 * lastSuccessfulTime forward for completed ones.
 */
export async function reconcileActive(d: CronJobDeps, cj: KubeObject, status: JsonObject, owned: KubeObject[]): Promise<void> {
  const byUid = new Map(owned.map((j) => [j.metadata.uid ?? '', j]));
  const active: JsonObject[] = [];
  for (const ref of arr(status, 'active').filter(isObject)) {
    const job = byUid.get(String(ref.uid ?? ''));
    if (job && finishedAs(job) === undefined) active.push(ref);
    else if (!job && (await stillExists(d, ref))) active.push(ref);
    else if (job) {
      const how = finishedAs(job) ?? '';
      d.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata.name ?? ''}, condition: ${how}`);
    }
  }
  const listed = new Set(active.map((r) => String(r.uid ?? '')));
  for (const job of owned) if (finishedAs(job) === undefined && !listed.has(job.metadata.uid ?? '')) active.push(jobRef(job));
  if (active.length) status.active = active;
  else delete status.active;
  for (const job of owned) {
    const done = str(job, 'status', 'completionTime');
    if (finishedAs(job) !== 'Complete' || !done) continue;
    const last = str(status, 'lastSuccessfulTime');
    if (!last || Date.parse(done) > Date.parse(last)) status.lastSuccessfulTime = rfc3339(Date.parse(done));
  }
}

/** deleteJob deletes a Job with its pods (background propagation) and records SuccessfulDelete. */
export async function deleteJob(d: CronJobDeps, cj: KubeObject, namespace: string, name: string): Promise<void> {
  try {
    await d.client.resource(R.jobs).delete(namespace, name, { propagationPolicy: 'Background' });
    d.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`);
  } catch (e) {
    if ((e as { code?: number }).code !== 404) throw e;
  }
}

/** cleanupHistory deletes the oldest finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit. */
export async function cleanupHistory(d: CronJobDeps, cj: KubeObject, owned: KubeObject[]): Promise<void> {
  const startOf = (j: KubeObject): string => str(j, 'status', 'startTime') ?? j.metadata.creationTimestamp ?? '';
  for (const [kind, limitField] of [['Complete', 'successfulJobsHistoryLimit'], ['Failed', 'failedJobsHistoryLimit']] as const) {
    const limit = num(cj, 'spec', limitField);
    if (limit === undefined) continue;
    const done = owned.filter((j) => finishedAs(j) === kind && !j.metadata.deletionTimestamp).sort((a, b) => startOf(a).localeCompare(startOf(b)));
    for (const job of done.slice(0, Math.max(0, done.length - limit))) await deleteJob(d, cj, job.metadata.namespace ?? '', job.metadata.name ?? '');
  }
}

/** jobFromTemplate builds the Job a CronJob starts at `scheduled`. */
export function jobFromTemplate(cj: KubeObject, name: string, scheduledAnnotation: [string, string]): KubeObject {
  const tpl = objAt(cj, 'spec', 'jobTemplate') ?? {};
  const meta = objAt(tpl, 'metadata') ?? {};
  const labels = { ...((meta.labels as Record<string, string> | undefined) ?? {}) };
  const annotations = { ...((meta.annotations as Record<string, string> | undefined) ?? {}), [scheduledAnnotation[0]]: scheduledAnnotation[1] };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cj.metadata.namespace ?? 'default',
      labels,
      annotations,
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name ?? '', uid: cj.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: deepCopy(objAt(tpl, 'spec') ?? {}),
  };
}
