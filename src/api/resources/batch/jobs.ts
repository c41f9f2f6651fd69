/** Job (batch/v1): defaults, selector generation, validation and printing as kube-apiserver v1.32 does them. */
import { arr, ensureObj, field, num, objAt, setDefault, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age, humanDuration } from '../../table/format.js';
import { isObject, type KubeObject } from '../../types.js';
import { AGE_COLUMN, column, CONTAINERS_COLUMN, containerCells, formatSelectorCell, IMAGES_COLUMN, NAME_COLUMN } from '../apps/workload_columns.js';
import { keepStatus, resetStatus } from '../apps/workload_validation.js';
import { defaultPodTemplateSpec } from '../core/pod_spec.js';
import { JOB_LABELS, validateJob } from './job_validation.js';

/** defaultJob applies SetDefaults_Job and the pod template defaults. */
export function defaultJob(obj: KubeObject): void {
  const spec = ensureObj(obj, 'spec');
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6);
  const tpl = ensureObj(spec, 'template');
  const tplLabels = objAt(tpl, 'metadata', 'labels');
  if (tplLabels && Object.keys(obj.metadata.labels ?? {}).length === 0) {
    // Upstream assigns the same map, so labels generated later on the template also show on the
    // Job itself; sharing the object reproduces that.
    obj.metadata.labels = tplLabels as Record<string, string>;
  }
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  for (const rule of arr(spec, 'podFailurePolicy', 'rules')) {
    for (const pattern of arr(rule, 'onPodConditions')) if (isObject(pattern)) setDefault(pattern, 'status', 'True');
  }
  setDefault(spec, 'podReplacementPolicy', isObject(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed');
  setDefault(spec, 'manualSelector', false);
  defaultPodTemplateSpec(tpl);
}

/**
 * generateJobSelector adds the job-name and controller-uid labels (prefixed and legacy) to the
 * template, unless already set, and selects on `batch.kubernetes.io/controller-uid`.
 */
export function generateJobSelector(obj: KubeObject): void {
  const spec = ensureObj(obj, 'spec');
  const labels = ensureObj(ensureObj(ensureObj(spec, 'template'), 'metadata'), 'labels');
  const name = obj.metadata.name ?? '';
  const uid = obj.metadata.uid ?? '';
  for (const k of [JOB_LABELS.legacyJobName, JOB_LABELS.jobName]) setDefault(labels, k, name);
  for (const k of [JOB_LABELS.legacyControllerUid, JOB_LABELS.controllerUid]) setDefault(labels, k, uid);
  const matchLabels = ensureObj(ensureObj(spec, 'selector'), 'matchLabels');
  setDefault(matchLabels, JOB_LABELS.controllerUid, uid);
}

/** prepareJobForCreate clears status and generates the selector unless spec.manualSelector is true. */
export function prepareJobForCreate(obj: KubeObject): void {
  resetStatus(obj);
  if (field(obj, 'spec', 'manualSelector') !== true) generateJobSelector(obj);
}

function hasCondition(obj: KubeObject, type: string): boolean {
  const c = arr(obj, 'status', 'conditions').find((x) => str(x, 'type') === type);
  return c !== undefined && str(c, 'status') === 'True';
}

/** jobStatusCell is the STATUS column: Complete, Failed, Terminating, Suspended, FailureTarget, SuccessCriteriaMet or Running. */
export function jobStatusCell(obj: KubeObject): string {
  if (hasCondition(obj, 'Complete')) return 'Complete';
  if (hasCondition(obj, 'Failed')) return 'Failed';
  if (obj.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(obj, 'Suspended')) return 'Suspended';
  if (hasCondition(obj, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(obj, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** jobCompletionsCell is the COMPLETIONS column: `succeeded/completions`, or `n/1 of parallelism` for work queues. */
export function jobCompletionsCell(obj: KubeObject): string {
  const succeeded = num(obj, 'status', 'succeeded') ?? 0;
  const completions = num(obj, 'spec', 'completions');
  if (completions !== undefined) return `${succeeded}/${completions}`;
  const parallelism = num(obj, 'spec', 'parallelism') ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** jobDurationCell is the DURATION column: completion − start, now − start while running, "" before start. */
export function jobDurationCell(obj: KubeObject, now: number): string {
  const start = Date.parse(str(obj, 'status', 'startTime') ?? '');
  if (Number.isNaN(start)) return '';
  const done = Date.parse(str(obj, 'status', 'completionTime') ?? '');
  return humanDuration((Number.isNaN(done) ? now : done) - start);
}

/** jobRow is printJob: name, status, completions, duration, age, then the wide cells. */
export function jobRow(obj: KubeObject, now: number): unknown[] {
  const [names, images] = containerCells(field(obj, 'spec', 'template', 'spec'));
  return [
    obj.metadata.name ?? '',
    jobStatusCell(obj),
    jobCompletionsCell(obj),
    jobDurationCell(obj, now),
    age(obj.metadata.creationTimestamp, now),
    names,
    images,
    formatSelectorCell(field(obj, 'spec', 'selector')),
  ];
}

/** jobs is the batch/v1 Job resource (category `all`, field label status.successful). */
export const jobs: ResourceType = {
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  singular: 'job',
  namespaced: true,
  shortNames: [],
  categories: ['all'],
  nameRule: 'subdomain',
  hasStatus: true,
  tracksGeneration: true,
  subresources: [],
  defaults: defaultJob,
  validate: validateJob,
  prepareForCreate: prepareJobForCreate,
  prepareForUpdate: keepStatus,
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column('Selector', 'string', 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', 1),
  ],
  row: jobRow,
  fieldLabels: (obj) => ({ 'status.successful': String(num(obj, 'status', 'succeeded') ?? 0) }),
};
