/**
 * The pure half of bootstrap policy reconciliation (upstream's pkg/registry/rbac/reconciliation),
 * in its union mode: what a stored role or binding must gain so it grants at least what the
 * bootstrap policy says. Extra permissions, labels and subjects stay.
 */
import type { KubeObject } from '../../api/types.js';
import { isObject } from '../../api/types.js';
import { deepEqual } from '../object_meta.js';
import { uncovered, type PolicyRule } from '../authz/rules.js';
import { AUTOUPDATE_ANNOTATION } from './policy_builders.js';

/** isProtected: an administrator set autoupdate to "false", so reconciliation leaves the object alone. */
export function isProtected(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === 'false';
}

const rulesOf = (obj: KubeObject): PolicyRule[] => (Array.isArray(obj.rules) ? (obj.rules as PolicyRule[]) : []);
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** mergeMeta adds the expected labels and annotations that are missing; existing values win. */
function mergeMeta(next: KubeObject, expected: KubeObject): void {
  const labels = { ...expected.metadata.labels, ...next.metadata.labels };
  const annotations = { ...expected.metadata.annotations, ...next.metadata.annotations };
  if (Object.keys(labels).length) next.metadata.labels = labels;
  if (Object.keys(annotations).length) next.metadata.annotations = annotations;
}

/** selectorsOf returns an aggregationRule's selectors, or undefined when the role aggregates nothing. */
function selectorsOf(obj: KubeObject): unknown[] | undefined {
  return isObject(obj.aggregationRule) ? listOf(obj.aggregationRule.clusterRoleSelectors) : undefined;
}

/**
 * reconcileRole returns the existing Role or ClusterRole with the expected labels, annotations,
 * missing rules (as single-verb rules, as upstream adds them) and aggregation selectors added, or
 * undefined when it already has them. The rules of an aggregated role are left to the
 * aggregation controller: the bootstrap policy expects none there.
 */
export function reconcileRole(existing: KubeObject, expected: KubeObject): KubeObject | undefined {
  const next = structuredClone(existing);
  mergeMeta(next, expected);
  const missing = uncovered(rulesOf(existing), rulesOf(expected));
  if (missing.length) next.rules = [...rulesOf(existing), ...missing];
  const want = selectorsOf(expected);
  const have = selectorsOf(existing);
  if (want === undefined) {
    delete next.aggregationRule;
  } else {
    const absent = want.filter((w) => !(have ?? []).some((h) => deepEqual(h, w)));
    if (absent.length) next.aggregationRule = { clusterRoleSelectors: [...(have ?? []), ...absent] };
  }
  return deepEqual(next, existing) ? undefined : next;
}

const subjectKey = (s: unknown): string => {
  const o = isObject(s) ? s : {};
  return [o.kind, o.apiGroup ?? '', o.name, o.namespace ?? ''].map(String).join('\u0000');
};

/** BindingPlan is what a binding needs: nothing, an update, or (its roleRef differs) replacing by the expected one. */
export type BindingPlan = { action: 'none' } | { action: 'update'; obj: KubeObject } | { action: 'recreate'; obj: KubeObject };

/** reconcileBinding plans the change that gives an existing binding the expected roleRef, labels, annotations and subjects. */
export function reconcileBinding(existing: KubeObject, expected: KubeObject): BindingPlan {
  if (!deepEqual(existing.roleRef, expected.roleRef)) return { action: 'recreate', obj: structuredClone(expected) };
  const next = structuredClone(existing);
  mergeMeta(next, expected);
  const have = listOf(existing.subjects);
  const missing = listOf(expected.subjects).filter((s) => !have.some((h) => subjectKey(h) === subjectKey(s)));
  if (missing.length) next.subjects = [...have, ...missing];
  return deepEqual(next, existing) ? { action: 'none' } : { action: 'update', obj: next };
}
