/** Job validation as pkg/apis/batch/validation does it (the parts a lightweight cluster needs). */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { validateLabelSelector } from '../../labels/selector.js';
import { deepCopy, field, num, objAt, str } from '../../object.js';
import { isObject, type JsonObject, type KubeObject } from '../../types.js';
import { isDNS1123Label } from '../../validation/names.js';
import { validateNonNegative } from '../apps/int_or_percent.js';
import { semanticEqual, toMatcher, validateImmutable, validateTemplateLabelsMatch } from '../apps/workload_validation.js';
import { validatePodTemplateSpec } from '../core/pod_spec.js';

/** Label keys the API server puts on a Job's pods and selector (batch/v1 constants). */
export const JOB_LABELS = {
  controllerUid: 'batch.kubernetes.io/controller-uid',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  legacyJobName: 'job-name',
};

const MAX_PARALLELISM_FOR_INDEXED_JOB = 100000;

function validateCompletionMode(spec: JsonObject, path: string): FieldError[] {
  const mode = spec.completionMode;
  if (mode === undefined || mode === null) return [];
  if (mode !== 'NonIndexed' && mode !== 'Indexed') return [fieldErr.notSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed'])];
  const errs: FieldError[] = [];
  if (mode === 'Indexed') {
    if (spec.completions === undefined || spec.completions === null) errs.push(fieldErr.required(`${path}.completions`, 'when completion mode is Indexed'));
    const p = spec.parallelism;
    if (typeof p === 'number' && p > MAX_PARALLELISM_FOR_INDEXED_JOB) {
      errs.push(fieldErr.invalid(`${path}.parallelism`, p, `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`));
    }
  }
  return errs;
}

/** validateJobSpecBody is upstream's validateJobSpec: counts, completion mode, the pod template and its restartPolicy (no selector rules). */
export function validateJobSpecBody(spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes']) {
    errs.push(...validateNonNegative(spec[k], `${path}.${k}`));
  }
  if (spec.backoffLimitPerIndex !== undefined && spec.backoffLimitPerIndex !== null && spec.completionMode !== 'Indexed') {
    errs.push(fieldErr.forbidden(`${path}.backoffLimitPerIndex`, 'requires indexed completion mode'));
  }
  errs.push(...validateCompletionMode(spec, path));
  const prp = spec.podReplacementPolicy;
  if (prp !== undefined && prp !== null && prp !== 'TerminatingOrFailed' && prp !== 'Failed') {
    errs.push(fieldErr.notSupported(`${path}.podReplacementPolicy`, prp, ['TerminatingOrFailed', 'Failed']));
  }
  errs.push(...validatePodTemplateSpec(spec.template ?? {}, `${path}.template`));
  const rp = str(spec, 'template', 'spec', 'restartPolicy') ?? '';
  if (rp !== 'OnFailure' && rp !== 'Never') {
    errs.push(fieldErr.notSupported(`${path}.template.spec.restartPolicy`, rp, ['OnFailure', 'Never']));
  } else if (rp === 'OnFailure' && isObject(spec.podFailurePolicy)) {
    errs.push(fieldErr.invalid(`${path}.template.spec.restartPolicy`, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

/** validateJobSpec is ValidateJobSpec: the body plus a required, valid selector that matches the template labels. */
export function validateJobSpec(spec: JsonObject, path: string): FieldError[] {
  const errs = validateJobSpecBody(spec, path);
  const sel = spec.selector;
  if (sel === undefined || sel === null) errs.push(fieldErr.required(`${path}.selector`));
  else errs.push(...validateLabelSelector(sel, `${path}.selector`));
  const matcher = toMatcher(sel);
  if (matcher) {
    // Unlike ReplicaSets, an empty Job selector still has to "match" (it always does).
    errs.push(...validateTemplateLabelsMatch(spec.template, { ...matcher, empty: false }, `${path}.template`));
  }
  return errs;
}

function validateHasLabel(labels: JsonObject | undefined, key: string, expected: string): FieldError[] {
  const path = `spec.template.metadata.labels[${key}]`;
  const actual = labels?.[key];
  if (actual === undefined) return [fieldErr.required(path, `must be '${expected}'`)];
  return actual === expected ? [] : [fieldErr.invalid(path, labels, `must be '${expected}'`)];
}

/** validateGeneratedSelector checks that an auto-generated selector and template labels carry the Job's uid and name. */
export function validateGeneratedSelector(obj: KubeObject, requirePrefixed: boolean): FieldError[] {
  const spec = objAt(obj, 'spec') ?? {};
  const labels = objAt(spec, 'template', 'metadata', 'labels');
  if (spec.manualSelector === true || !labels || spec.selector === undefined || spec.selector === null) return [];
  const uid = obj.metadata.uid ?? '';
  const name = obj.metadata.name ?? '';
  const errs: FieldError[] = uid === '' ? [fieldErr.required('metadata.uid')] : [];
  errs.push(...validateHasLabel(labels, JOB_LABELS.legacyControllerUid, uid), ...validateHasLabel(labels, JOB_LABELS.legacyJobName, name));
  const expected: Record<string, string> = { [JOB_LABELS.legacyControllerUid]: uid, [JOB_LABELS.legacyJobName]: name };
  if (requirePrefixed) {
    errs.push(...validateHasLabel(labels, JOB_LABELS.controllerUid, uid), ...validateHasLabel(labels, JOB_LABELS.jobName, name));
    expected[JOB_LABELS.controllerUid] = uid;
    expected[JOB_LABELS.jobName] = name;
  }
  const matcher = toMatcher(spec.selector);
  if (matcher && !matcher.matches(expected)) errs.push(fieldErr.invalid('spec.selector', spec.selector, '`selector` not auto-generated'));
  return errs;
}

/** mutableSchedulingView blanks the template fields a suspended, never-started Job may change. */
function mutableSchedulingView(tpl: unknown): unknown {
  const t = deepCopy(isObject(tpl) ? tpl : {});
  const meta = objAt(t, 'metadata');
  if (meta) {
    delete meta.labels;
    delete meta.annotations;
  }
  const spec = objAt(t, 'spec');
  if (spec) {
    for (const k of ['nodeSelector', 'tolerations', 'schedulingGates']) delete spec[k];
    const aff = objAt(spec, 'affinity');
    if (aff) delete aff.nodeAffinity;
    if (aff && Object.keys(aff).length === 0) delete spec.affinity;
  }
  return t;
}

/** validateJobSpecUpdate is ValidateJobSpecUpdate: selector, template (mostly), completion mode and policies are immutable. */
export function validateJobSpecUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = objAt(obj, 'spec') ?? {};
  const oldSpec = objAt(old, 'spec') ?? {};
  const errs: FieldError[] = [];
  if (spec.completionMode !== 'Indexed') {
    errs.push(...validateImmutable(spec.completions, oldSpec.completions, 'spec.completions'));
  } else if (spec.completions !== oldSpec.completions && spec.completions !== spec.parallelism) {
    errs.push(fieldErr.invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
  }
  errs.push(...validateImmutable(spec.selector, oldSpec.selector, 'spec.selector'));
  const schedulingMutable = oldSpec.suspend === true && field(old, 'status', 'startTime') === undefined;
  const same = schedulingMutable
    ? semanticEqual(mutableSchedulingView(spec.template), mutableSchedulingView(oldSpec.template))
    : semanticEqual(spec.template, oldSpec.template);
  if (!same) errs.push(fieldErr.invalid('spec.template', spec.template, 'field is immutable'));
  for (const k of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy']) {
    errs.push(...validateImmutable(spec[k], oldSpec[k], `spec.${k}`));
  }
  return errs;
}

/** validateJob is ValidateJob / ValidateJobUpdate for a batch/v1 Job. */
export function validateJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = objAt(obj, 'spec') ?? {};
  const requirePrefixed = !old || objAt(old, 'spec', 'template', 'metadata', 'labels')?.[JOB_LABELS.controllerUid] !== undefined;
  const errs = [...validateGeneratedSelector(obj, requirePrefixed), ...validateJobSpec(spec, 'spec')];
  const completions = num(spec, 'completions');
  if (spec.completionMode === 'Indexed' && completions !== undefined && completions > 0) {
    const hostname = `${obj.metadata.name ?? ''}-${completions - 1}`;
    if (isDNS1123Label(hostname).length > 0) {
      errs.push(fieldErr.invalid('metadata.name', obj.metadata.name, `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  if (old) errs.push(...validateJobSpecUpdate(obj, old));
  return errs;
}
