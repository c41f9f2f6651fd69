/** HorizontalPodAutoscaler metric sources and behavior, validated as kube-apiserver 1.32's autoscaling validation does. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, field, str } from '../../object.js';
import { isObject } from '../../types.js';
import { isValidPathSegmentName } from '../../validation/names.js';
import { parseQuantity } from '../core/quantity.js';

const SOURCES = ['object', 'external', 'pods', 'resource', 'containerResource'];
const SOURCE_OF: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource' };
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
const MAX_PERIOD_SECONDS = 1800;

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function validateTarget(t: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(t, 'type') ?? '';
  if (type === '') errs.push(fieldErr.required(`${path}.type`, 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(type)) errs.push(fieldErr.invalid(`${path}.type`, type, 'must be either Utilization, Value, or AverageValue'));
  for (const key of ['value', 'averageValue']) {
    const v = field(t, key);
    if (isSet(v) && !((parseQuantity(v as string) ?? 0) > 0)) errs.push(fieldErr.invalid(`${path}.${key}`, v, 'must be positive'));
  }
  const u = field(t, 'averageUtilization');
  if (typeof u === 'number' && u < 1) errs.push(fieldErr.invalid(`${path}.averageUtilization`, u, 'must be greater than 0'));
  return errs;
}

function validateIdentifier(m: unknown, path: string): FieldError[] {
  const name = str(m, 'name') ?? '';
  if (name === '') return [fieldErr.required(`${path}.name`, 'must specify a metric name')];
  return isValidPathSegmentName(name).map((msg) => fieldErr.invalid(`${path}.name`, name, msg));
}

function validateSource(key: string, src: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const target = field(src, 'target');
  const has = (k: string): boolean => isSet(field(target, k));
  if (key === 'resource' || key === 'containerResource') {
    if ((str(src, 'name') ?? '') === '') errs.push(fieldErr.required(`${path}.name`, 'must specify a resource name'));
    if (key === 'containerResource' && (str(src, 'container') ?? '') === '') errs.push(fieldErr.required(`${path}.container`, 'must specify a container'));
    errs.push(...validateTarget(target, `${path}.target`));
    if (!has('averageUtilization') && !has('averageValue')) errs.push(fieldErr.required(`${path}.target.averageUtilization`, 'must set either a target raw value or a target utilization'));
    if (has('averageUtilization') && has('averageValue')) errs.push(fieldErr.forbidden(`${path}.target.averageValue`, 'may not set both a target raw value and a target utilization'));
    return errs;
  }
  errs.push(...validateIdentifier(field(src, 'metric'), `${path}.metric`), ...validateTarget(target, `${path}.target`));
  if (key === 'pods' && !has('averageValue')) errs.push(fieldErr.required(`${path}.target.averageValue`, 'must specify a positive target averageValue'));
  if (key === 'object' && !has('value') && !has('averageValue')) errs.push(fieldErr.required(`${path}.target.averageValue`, 'must set either a target value or averageValue'));
  if (key === 'external') {
    if (!has('value') && !has('averageValue')) errs.push(fieldErr.required(`${path}.target.averageValue`, 'must set either a target value for metric or a per-pod target'));
    if (has('value') && has('averageValue')) errs.push(fieldErr.forbidden(`${path}.target.value`, 'may not set both a target value for metric and a per-pod target'));
  }
  return errs;
}

/** validateMetricSources checks each metric's source block (the type itself is checked by the caller). */
export function validateMetricSources(metrics: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  metrics.forEach((m, i) => {
    const p = `${path}[${i}]`;
    const present = SOURCES.filter((k) => isObject(field(m, k)));
    const first = present[0];
    if (first) errs.push(...validateSource(first, field(m, first), `${p}.${first}`));
    const expected = SOURCE_OF[str(m, 'type') ?? ''];
    if (expected && !present.includes(expected)) errs.push(fieldErr.required(`${p}.${expected}`, 'must populate information for the given metric source'));
    if (present.length !== 1) for (const k of present.filter((x) => x !== expected)) errs.push(fieldErr.forbidden(`${p}.${k}`, 'must populate the given metric source only'));
  });
  return errs;
}

function validateRules(rules: unknown, path: string): FieldError[] {
  if (!isObject(rules)) return [];
  const errs: FieldError[] = [];
  const w = rules.stabilizationWindowSeconds;
  if (typeof w === 'number' && w < 0) errs.push(fieldErr.invalid(`${path}.stabilizationWindowSeconds`, w, 'must be greater than or equal to zero'));
  if (typeof w === 'number' && w > MAX_STABILIZATION_WINDOW_SECONDS) errs.push(fieldErr.invalid(`${path}.stabilizationWindowSeconds`, w, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  const sel = rules.selectPolicy;
  if (isSet(sel) && !['Disabled', 'Max', 'Min'].includes(String(sel))) errs.push(fieldErr.notSupported(`${path}.selectPolicy`, sel, ['Disabled', 'Max', 'Min']));
  const policies = arr(rules, 'policies');
  if (policies.length === 0) errs.push(fieldErr.required(`${path}.policies`, 'must specify at least one Policy'));
  policies.forEach((pol, i) => {
    const p = `${path}.policies[${i}]`;
    const type = str(pol, 'type') ?? '';
    if (type !== 'Pods' && type !== 'Percent') errs.push(fieldErr.notSupported(`${p}.type`, type, ['Percent', 'Pods']));
    const value = Number(field(pol, 'value') ?? 0);
    if (value <= 0) errs.push(fieldErr.invalid(`${p}.value`, value, 'must be greater than zero'));
    const period = Number(field(pol, 'periodSeconds') ?? 0);
    if (period <= 0) errs.push(fieldErr.invalid(`${p}.periodSeconds`, period, 'must be greater than zero'));
    if (period > MAX_PERIOD_SECONDS) errs.push(fieldErr.invalid(`${p}.periodSeconds`, period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  });
  return errs;
}

/** validateBehavior checks spec.behavior's scaling rules (after defaulting, so policies are present unless emptied). */
export function validateBehavior(behavior: unknown, path: string): FieldError[] {
  if (!isObject(behavior)) return [];
  return [...validateRules(behavior.scaleUp, `${path}.scaleUp`), ...validateRules(behavior.scaleDown, `${path}.scaleDown`)];
}
