/**
 * Validation shared by the workload kinds (pkg/apis/apps/validation): the selector rules, the
 * "selector matches template labels" rule, the restart policy a controller accepts, and the
 * status / immutability helpers the strategies use.
 */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { labelSelectorFromObject, validateLabelSelector } from '../../labels/selector.js';
import { deepCopy, field, objAt, str } from '../../object.js';
import type { KubeObject } from '../../types.js';
import { isObject } from '../../types.js';
import { validatePodTemplateSpec } from '../core/pod_spec.js';

/** TemplateMatcher is the part of a label selector the template check needs. */
export interface TemplateMatcher {
  matches(labels: Record<string, string>): boolean;
  /** empty: the selector selects everything (no requirements). */
  empty: boolean;
}

/** NOTHING matches no labels: what LabelSelectorAsSelector returns for a missing selector. */
const NOTHING: TemplateMatcher = { matches: () => false, empty: false };

/** isEmptySelector tells whether a LabelSelector has neither matchLabels nor matchExpressions. */
export function isEmptySelector(sel: unknown): boolean {
  const ml = objAt(sel, 'matchLabels');
  const me = field(sel, 'matchExpressions');
  return Object.keys(ml ?? {}).length + (Array.isArray(me) ? me.length : 0) === 0;
}

/** toMatcher converts a LabelSelector (missing = nothing), or returns undefined when it does not convert. */
export function toMatcher(sel: unknown): TemplateMatcher | undefined {
  if (sel === undefined || sel === null) return NOTHING;
  try {
    const s = labelSelectorFromObject(sel);
    return { matches: (l) => s.matches(l), empty: s.empty };
  } catch {
    return undefined;
  }
}

/**
 * validateRequiredSelector checks a workload's spec.selector: required, syntactically valid and
 * not empty (`empty selector is invalid for <kindWord>`). It returns the errors and the matcher
 * for the template check (undefined when the selector does not convert; the error is included).
 */
export function validateRequiredSelector(sel: unknown, path: string, kindWord: string, invalidDetail = 'invalid label selector'): { errs: FieldError[]; matcher: TemplateMatcher | undefined } {
  const errs: FieldError[] = [];
  if (sel === undefined || sel === null) {
    errs.push(fieldErr.required(path));
  } else {
    errs.push(...validateLabelSelector(sel, path));
    if (isEmptySelector(sel)) errs.push(fieldErr.invalid(path, sel, `empty selector is invalid for ${kindWord}`));
  }
  const matcher = toMatcher(sel);
  if (!matcher) errs.push(fieldErr.invalid(path, sel, invalidDetail));
  return { errs, matcher };
}

/** sortedLabels returns the template labels with sorted keys (Go prints maps sorted), or undefined. */
export function sortedLabels(tpl: unknown): Record<string, string> | undefined {
  const labels = objAt(tpl, 'metadata', 'labels');
  if (!labels) return undefined;
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) {
    const v = labels[k];
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** validateTemplateLabelsMatch reports `<path>.metadata.labels` when a non-empty selector does not select the template. */
export function validateTemplateLabelsMatch(tpl: unknown, matcher: TemplateMatcher, path: string): FieldError[] {
  if (matcher.empty) return [];
  const labels = sortedLabels(tpl);
  if (matcher.matches(labels ?? {})) return [];
  return [fieldErr.invalid(`${path}.metadata.labels`, labels, '`selector` does not match template `labels`')];
}

/**
 * validateControllerTemplate is ValidatePodTemplateSpecForReplicaSet: labels match the selector,
 * the pod template is valid, restartPolicy is Always and activeDeadlineSeconds is not set.
 * kind names the controller in the activeDeadlineSeconds message ("ReplicaSet", "StatefulSet").
 */
export function validateControllerTemplate(tpl: unknown, matcher: TemplateMatcher, path: string, kind: string): FieldError[] {
  const errs = validateTemplateLabelsMatch(tpl, matcher, path);
  errs.push(...validatePodTemplateSpec(tpl ?? {}, path));
  errs.push(...validateAlwaysRestart(tpl, path));
  if (field(tpl, 'spec', 'activeDeadlineSeconds') !== undefined) {
    errs.push(fieldErr.forbidden(`${path}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return errs;
}

/** validateAlwaysRestart requires the template's restartPolicy to be Always (`Unsupported value`). */
export function validateAlwaysRestart(tpl: unknown, path: string): FieldError[] {
  const rp = str(tpl, 'spec', 'restartPolicy') ?? '';
  return rp === 'Always' ? [] : [fieldErr.notSupported(`${path}.spec.restartPolicy`, rp, ['Always'])];
}

/** canonicalJson renders a JSON value with sorted keys, so equal values render equally. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return v === undefined ? 'null' : JSON.stringify(v);
}

/** semanticEqual compares two JSON values structurally (key order ignored). */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** validateImmutable is ValidateImmutableField: `<path>: Invalid value: <new>: field is immutable` when changed. */
export function validateImmutable(newValue: unknown, oldValue: unknown, path: string): FieldError[] {
  return semanticEqual(newValue, oldValue) ? [] : [fieldErr.invalid(path, newValue, 'field is immutable')];
}

/** resetStatus clears status on create: clients may not set it through the main endpoint. */
export function resetStatus(obj: KubeObject): void {
  obj.status = {};
}

/** keepStatus restores the stored status on an update through the main endpoint. */
export function keepStatus(obj: KubeObject, old: KubeObject): void {
  if (old.status === undefined) delete obj.status;
  else obj.status = deepCopy(old.status);
}
