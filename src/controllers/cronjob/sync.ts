/** syncCronJob: one pass over a CronJob — active list, history, then the due run, status last. */
import { arr, deepCopy, num, str } from '../../api/object.js';
import { parseCronSchedule, type CronFields } from '../../api/resources/batch/cron_schedule.js';
import { isObject, type JsonObject, type KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { controllerUidOf, type CronJobDeps, rfc3339, SCHEDULED_TIMESTAMP } from './deps.js';
import { cleanupHistory, deleteJob, jobFromTemplate, jobRef, reconcileActive } from './jobs.js';
import { mostRecentBefore, nextAfter, Zone } from './schedule.js';

/** syncCronJob reconciles one CronJob and re-queues it for its next scheduled time. */
export async function syncCronJob(d: CronJobDeps, key: string): Promise<void> {
  const cj = d.cronjobs.get(key);
  if (!cj) return;
  const owned = d.jobs.list(cj.metadata.namespace).filter((j) => controllerUidOf(j) === cj.metadata.uid);
  const status: JsonObject = deepCopy(isObject(cj.status) ? cj.status : {});
  await reconcileActive(d, cj, status, owned);
  await cleanupHistory(d, cj, owned);
  if (!cj.metadata.deletionTimestamp && cj.spec !== undefined && isObject(cj.spec) && cj.spec.suspend !== true) {
    const next = await runIfDue(d, cj, status);
    if (next !== undefined) d.queue.addAfter(key, next - d.clock.now() + 100);
  }
  if (JSON.stringify(status) !== JSON.stringify(cj.status ?? {})) await d.client.resource(R.cronjobs).updateStatus({ ...deepCopy(cj), status });
}

function scheduleOf(d: CronJobDeps, cj: KubeObject): { fields: CronFields; zone: Zone } | undefined {
  const schedule = str(cj, 'spec', 'schedule') ?? '';
  const parsed = parseCronSchedule(schedule);
  if ('error' in parsed) {
    d.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(schedule)} : ${parsed.error}`);
    return undefined;
  }
  const tz = str(cj, 'spec', 'timeZone') ?? parsed.schedule.timeZone;
  try {
    return { fields: parsed.schedule, zone: new Zone(tz === '' || tz === 'Local' ? undefined : tz) };
  } catch (e) {
    d.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: ${(e as Error).message}`);
    return undefined;
  }
}

/**
 * runIfDue starts the Job of the most recent missed schedule time, if it is not too late and the
 * concurrency policy allows; it returns the next time to look again (undefined: never).
 */
async function runIfDue(d: CronJobDeps, cj: KubeObject, status: JsonObject): Promise<number | undefined> {
  const sched = scheduleOf(d, cj);
  if (!sched) return undefined;
  const now = d.clock.now();
  const next = nextAfter(sched.fields, sched.zone, now);
  const deadline = num(cj, 'spec', 'startingDeadlineSeconds');
  let earliest = Date.parse(str(status, 'lastScheduleTime') ?? cj.metadata.creationTimestamp ?? '') || now;
  if (deadline !== undefined) earliest = Math.max(earliest, now - deadline * 1000);
  const { time: scheduled, missed } = mostRecentBefore(sched.fields, sched.zone, earliest, now);
  if (scheduled === undefined) return next;
  if (missed > 100) {
    d.recorder.event(cj, 'Warning', 'TooManyMissedTimes', `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
  }
  if (deadline !== undefined && scheduled + deadline * 1000 < now) {
    d.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${sched.zone.format(scheduled)}`);
    return next;
  }
  const name = `${cj.metadata.name ?? ''}-${Math.floor(scheduled / 60_000)}`;
  const active = arr(status, 'active').filter(isObject);
  if (active.some((r) => r.name === name)) return next;
  const policy = str(cj, 'spec', 'concurrencyPolicy') ?? 'Allow';
  if (policy === 'Forbid' && active.length > 0) {
    d.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
    return next;
  }
  if (policy === 'Replace') {
    for (const ref of active) await deleteJob(d, cj, String(ref.namespace ?? ''), String(ref.name ?? ''));
    delete status.active;
  }
  const job = await createJob(d, cj, jobFromTemplate(cj, name, [SCHEDULED_TIMESTAMP, sched.zone.format(scheduled)]));
  if (job) status.active = [...arr(status, 'active').filter(isObject), jobRef(job)];
  status.lastScheduleTime = rfc3339(scheduled);
  return next;
}

/** createJob creates the Job; an existing one of ours counts as created, someone else's is an error event. */
async function createJob(d: CronJobDeps, cj: KubeObject, job: KubeObject): Promise<KubeObject | undefined> {
  const ns = cj.metadata.namespace ?? '';
  const name = job.metadata.name ?? '';
  try {
    const created = await d.client.resource(R.jobs).create(ns, job);
    d.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`);
    return created;
  } catch (e) {
    if ((e as { code?: number }).code !== 409) {
      d.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message}`);
      throw e;
    }
    const existing = await d.client.resource(R.jobs).get(ns, name);
    if (controllerUidOf(existing) === cj.metadata.uid) return undefined;
    d.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: jobs.batch "${name}" already exists`);
    return undefined;
  }
}
