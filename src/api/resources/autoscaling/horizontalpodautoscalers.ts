/** HorizontalPodAutoscaler (autoscaling/v2, also served as autoscaling/v1): defaults, basic validation and printing as kube-apiserver v1.32 does them. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, ensureObj, num, objAt, setDefault, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import { isObject, type JsonObject, type KubeObject } from '../../types.js';
import { isValidPathSegmentName } from '../../validation/names.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../apps/workload_columns.js';
import { keepStatus, resetStatus } from '../apps/workload_validation.js';
import { hpaV1Converter, hpaV1ToV2 } from './hpa_convert.js';
import { validateBehavior, validateMetricSources } from './hpa_validation.js';

function defaultRules(rules: unknown, window: number | undefined, policies: JsonObject[]): JsonObject {
  const r: JsonObject = isObject(rules) ? rules : {};
  if (window !== undefined) setDefault(r, 'stabilizationWindowSeconds', window);
  setDefault(r, 'selectPolicy', 'Max');
  setDefault(r, 'policies', policies);
  return r;
}

/**
 * defaultHPA applies SetDefaults_HorizontalPodAutoscaler: minReplicas 1, CPU at 80% when no
 * metrics, behavior rules when behavior is set. The scale-down window stays unset: the controller's
 * --horizontal-pod-autoscaler-downscale-stabilization supplies it.
 */
export function defaultHPA(obj: KubeObject): void {
  const spec = ensureObj(obj, 'spec');
  setDefault(spec, 'minReplicas', 1);
  if (arr(spec, 'metrics').length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  const behavior = spec.behavior;
  if (isObject(behavior)) {
    behavior.scaleUp = defaultRules(behavior.scaleUp, 0, [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ]);
    behavior.scaleDown = defaultRules(behavior.scaleDown, undefined, [{ type: 'Percent', value: 100, periodSeconds: 15 }]);
  }
}

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];

/** validateHPA checks scaleTargetRef, the replica bounds, the metrics and the behavior (ValidateHorizontalPodAutoscaler). */
export function validateHPA(obj: KubeObject): FieldError[] {
  const spec = objAt(obj, 'spec') ?? {};
  const errs: FieldError[] = [];
  for (const key of ['kind', 'name']) {
    const v = str(spec, 'scaleTargetRef', key) ?? '';
    if (v === '') errs.push(fieldErr.required(`spec.scaleTargetRef.${key}`));
    else errs.push(...isValidPathSegmentName(v).map((m) => fieldErr.invalid(`spec.scaleTargetRef.${key}`, v, m)));
  }
  const min = num(spec, 'minReplicas');
  const max = num(spec, 'maxReplicas') ?? 0;
  if (min !== undefined && min < 1) errs.push(fieldErr.invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(fieldErr.invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (min !== undefined && max < min) errs.push(fieldErr.invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  arr(spec, 'metrics').forEach((m, i) => {
    const type = str(m, 'type') ?? '';
    if (type === '') errs.push(fieldErr.required(`spec.metrics[${i}].type`, `must specify a metric source type, must be one of "${METRIC_TYPES.join('", "')}"`));
    else if (!METRIC_TYPES.includes(type)) errs.push(fieldErr.notSupported(`spec.metrics[${i}].type`, type, METRIC_TYPES));
  });
  errs.push(...validateMetricSources(arr(spec, 'metrics'), 'spec.metrics'), ...validateBehavior(spec.behavior, 'spec.behavior'));
  return errs;
}

function resourceMetricCell(spec: unknown, status: unknown, key: string): string {
  const name = str(spec, key, 'name') ?? '';
  const avgValue = str(spec, key, 'target', 'averageValue');
  if (avgValue !== undefined) return `${name}: ${str(status, key, 'current', 'averageValue') ?? '<unknown>'}/${avgValue}`;
  const cur = num(status, key, 'current', 'averageUtilization');
  const target = num(spec, key, 'target', 'averageUtilization');
  return `${name}: ${cur !== undefined ? `${cur}%` : '<unknown>'}/${target !== undefined ? `${target}%` : '<auto>'}`;
}

function valueMetricCell(spec: unknown, status: unknown, key: string): string {
  const avg = str(spec, key, 'target', 'averageValue');
  if (avg !== undefined) return `${str(status, key, 'current', 'averageValue') ?? '<unknown>'}/${avg} (avg)`;
  return `${str(status, key, 'current', 'value') ?? '<unknown>'}/${str(spec, key, 'target', 'value') ?? ''}`;
}

/** hpaTargetsCell is formatHPAMetrics: `cpu: 40%/80%`, at most two metrics then `+ N more...`. */
export function hpaTargetsCell(obj: KubeObject): string {
  const specs = arr(obj, 'spec', 'metrics');
  if (specs.length === 0) return '<none>';
  const statuses = arr(obj, 'status', 'currentMetrics');
  const list = specs.map((s, i) => {
    const st = statuses[i];
    switch (str(s, 'type')) {
      case 'Resource':
        return resourceMetricCell(s, st, 'resource');
      case 'ContainerResource':
        return resourceMetricCell(s, st, 'containerResource');
      case 'Pods':
        return `${str(st, 'pods', 'current', 'averageValue') ?? '<unknown>'}/${str(s, 'pods', 'target', 'averageValue') ?? ''}`;
      case 'Object':
        return valueMetricCell(s, st, 'object');
      case 'External':
        return valueMetricCell(s, st, 'external');
      default:
        return '<unknown type>';
    }
  });
  const max = 2;
  return list.length > max ? `${list.slice(0, max).join(', ')} + ${list.length - max} more...` : list.join(', ');
}

/** hpaRow is printHorizontalPodAutoscaler: reference, targets, min, max, current replicas, age (the same for v1 and v2). */
export function hpaRow(served: KubeObject, now: number): unknown[] {
  // Upstream prints the internal object; a v1 object is brought back to the full v2 shape first.
  const obj = served.apiVersion === 'autoscaling/v1' ? hpaV1ToV2(served) : served;
  const min = num(obj, 'spec', 'minReplicas');
  return [
    obj.metadata.name ?? '',
    `${str(obj, 'spec', 'scaleTargetRef', 'kind') ?? ''}/${str(obj, 'spec', 'scaleTargetRef', 'name') ?? ''}`,
    hpaTargetsCell(obj),
    min !== undefined ? String(min) : '<unset>',
    num(obj, 'spec', 'maxReplicas') ?? 0,
    num(obj, 'status', 'currentReplicas') ?? 0,
    age(obj.metadata.creationTimestamp, now),
  ];
}

/** horizontalpodautoscalers is the autoscaling/v2 HorizontalPodAutoscaler resource (short name `hpa`, category `all`), also served as autoscaling/v1. */
export const horizontalpodautoscalers: ResourceType = {
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  nameRule: 'subdomain',
  hasStatus: true,
  tracksGeneration: false,
  subresources: [],
  otherVersions: [hpaV1Converter],
  defaults: defaultHPA,
  validate: validateHPA,
  prepareForCreate: resetStatus,
  prepareForUpdate: keepStatus,
  columns: [
    NAME_COLUMN,
    column('Reference', 'string', 'reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.'),
    column('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).'),
    column('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    column('MaxPods', 'string', 'maxReplicas is the upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.'),
    column('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    AGE_COLUMN,
  ],
  row: hpaRow,
};
