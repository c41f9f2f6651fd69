/** CronJob (batch/v1): defaults, schedule and time zone validation, printing as kube-apiserver v1.32 does them. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, ensureObj, field, objAt, setDefault, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import type { KubeObject } from '../../types.js';
import { validateNonNegative } from '../apps/int_or_percent.js';
import { AGE_COLUMN, column, CONTAINERS_COLUMN, containerCells, formatSelectorCell, IMAGES_COLUMN, NAME_COLUMN } from '../apps/workload_columns.js';
import { keepStatus, resetStatus } from '../apps/workload_validation.js';
import { defaultPodTemplateSpec } from '../core/pod_spec.js';
import { isKnownTimeZone, parseCronSchedule } from './cron_schedule.js';
import { validateJobSpecBody } from './job_validation.js';

/** defaultCronJob applies SetDefaults_CronJob and the job template's pod template defaults. */
export function defaultCronJob(obj: KubeObject): void {
  const spec = ensureObj(obj, 'spec');
  setDefault(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  defaultPodTemplateSpec(ensureObj(ensureObj(ensureObj(spec, 'jobTemplate'), 'spec'), 'template'));
}

/** validateSchedule checks spec.schedule syntax and the TZ rules (TZ in the schedule is only kept if it was there before). */
export function validateSchedule(schedule: string, allowTZ: boolean, timeZone: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const parsed = parseCronSchedule(schedule);
  if ('error' in parsed) errs.push(fieldErr.invalid(path, schedule, parsed.error));
  if (allowTZ && schedule.includes('TZ') && timeZone !== undefined && timeZone !== null) {
    errs.push(fieldErr.invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!allowTZ && schedule.includes('TZ')) {
    errs.push(fieldErr.invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  return errs;
}

const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** validateTimeZone checks spec.timeZone: unset, or an explicit IANA zone the runtime knows. */
export function validateTimeZone(tz: unknown, path: string): FieldError[] {
  if (tz === undefined || tz === null) return [];
  if (typeof tz !== 'string' || tz === '') return [fieldErr.invalid(path, tz, 'timeZone must be nil or non-empty string')];
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !TIME_ZONE_PART.test(part)) return [fieldErr.invalid(path, tz, `unknown time zone ${tz}`)];
  }
  const errs: FieldError[] = [];
  if (tz.toLowerCase() === 'local') errs.push(fieldErr.invalid(path, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  else if (!isKnownTimeZone(tz)) errs.push(fieldErr.invalid(path, tz, `unknown time zone ${tz}`));
  return errs;
}

function validateJobTemplate(tpl: unknown, path: string): FieldError[] {
  const spec = objAt(tpl, 'spec') ?? {};
  const errs = validateJobSpecBody(spec, `${path}.spec`);
  if (spec.selector !== undefined && spec.selector !== null) errs.push(fieldErr.invalid(`${path}.spec.selector`, spec.selector, '`selector` will be auto-generated'));
  if (spec.manualSelector === true) errs.push(fieldErr.notSupported(`${path}.spec.manualSelector`, true, ['nil', 'false']));
  return errs;
}

/** validateCronJob is ValidateCronJobCreate / ValidateCronJobUpdate. */
export function validateCronJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = objAt(obj, 'spec') ?? {};
  const oldSpec = old ? objAt(old, 'spec') : undefined;
  const errs: FieldError[] = [];
  const name = obj.metadata.name ?? '';
  // The controller appends an 11-character suffix to Job names, which are limited to 63.
  if (!old && name.length > 52) errs.push(fieldErr.invalid('metadata.name', name, 'must be no more than 52 characters'));
  const schedule = str(spec, 'schedule') ?? '';
  if (schedule === '') errs.push(fieldErr.required('spec.schedule'));
  else errs.push(...validateSchedule(schedule, (str(oldSpec, 'schedule') ?? '').includes('TZ'), spec.timeZone, 'spec.schedule'));
  errs.push(...validateNonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  if (!oldSpec || oldSpec.timeZone !== spec.timeZone) errs.push(...validateTimeZone(spec.timeZone, 'spec.timeZone'));
  const cp = str(spec, 'concurrencyPolicy') ?? '';
  if (cp === '') errs.push(fieldErr.required('spec.concurrencyPolicy'));
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(fieldErr.notSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  errs.push(...validateJobTemplate(spec.jobTemplate, 'spec.jobTemplate'));
  errs.push(...validateNonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...validateNonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  return errs;
}

function boolPtrCell(v: unknown): string {
  return v === true ? 'True' : v === false ? 'False' : '<unset>';
}

/** cronJobRow is printCronJob: schedule, time zone, suspend, active, last schedule, age, then the wide cells. */
export function cronJobRow(obj: KubeObject, now: number): unknown[] {
  const jobSpec = field(obj, 'spec', 'jobTemplate', 'spec');
  const [names, images] = containerCells(field(jobSpec, 'template', 'spec'));
  const last = str(obj, 'status', 'lastScheduleTime');
  return [
    obj.metadata.name ?? '',
    str(obj, 'spec', 'schedule') ?? '',
    str(obj, 'spec', 'timeZone') ?? '<none>',
    boolPtrCell(field(obj, 'spec', 'suspend')),
    arr(obj, 'status', 'active').length,
    last ? age(last, now) : '<none>',
    age(obj.metadata.creationTimestamp, now),
    names,
    images,
    formatSelectorCell(field(jobSpec, 'selector')),
  ];
}

/** cronjobs is the batch/v1 CronJob resource (short name `cj`, category `all`). */
export const cronjobs: ResourceType = {
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  singular: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  nameRule: 'subdomain',
  hasStatus: true,
  tracksGeneration: true,
  subresources: [],
  defaults: defaultCronJob,
  validate: validateCronJob,
  prepareForCreate: resetStatus,
  prepareForUpdate: keepStatus,
  columns: [
    NAME_COLUMN,
    column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.'),
    column('Active', 'integer', 'A list of pointers to currently running jobs.'),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column('Selector', 'string', 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', 1),
  ],
  row: cronJobRow,
};
