/**
 * Small builders for the bootstrap policy data (upstream's rbacv1helpers): rules with sorted,
 * de-duplicated lists, and the objects with the bootstrapping label and autoupdate annotation.
 */

import type { PolicyRule } from '../authz/rules.js';

export type { PolicyRule };

/** Subject is one subject of a binding (ServiceAccounts carry no apiGroup). */
export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  apiGroup?: string;
  name: string;
  namespace?: string;
}

/** BOOTSTRAP_LABELS is the label every bootstrap object carries. */
export const BOOTSTRAP_LABELS: Readonly<Record<string, string>> = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

/** AUTOUPDATE_ANNOTATION: "false" on an object keeps reconciliation away from it. */
export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Verb sets of policy.go. */
export const READ = ['get', 'list', 'watch'];
export const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
export const READ_WRITE = [...READ, ...WRITE];

const sorted = (xs: string[]): string[] => [...new Set(xs)].sort();

/** rule builds a resource rule; verbs, groups, resources and names come out sorted, as NewRule(...).RuleOrDie() does. */
export function rule(verbs: string[], groups: string[], resources: string[], names: string[] = []): PolicyRule {
  const r: PolicyRule = { verbs: sorted(verbs), apiGroups: sorted(groups), resources: sorted(resources) };
  if (names.length) r.resourceNames = sorted(names);
  return r;
}

/** urlRule builds a non-resource rule. */
export function urlRule(verbs: string[], urls: string[]): PolicyRule {
  return { verbs: sorted(verbs), nonResourceURLs: sorted(urls) };
}

/** eventsRule lets a component record events in both event APIs. */
export function eventsRule(): PolicyRule {
  return rule(['create', 'update', 'patch'], ['', 'events.k8s.io'], ['events']);
}

/** user, group and sa build binding subjects. */
export const user = (name: string): Subject => ({ kind: 'User', apiGroup: RBAC_GROUP, name });
export const group = (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC_GROUP, name });
export const sa = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', name, namespace });

function meta(name: string, namespace?: string, labels: Record<string, string> = {}): Record<string, unknown> {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    labels: { ...BOOTSTRAP_LABELS, ...labels },
    annotations: { [AUTOUPDATE_ANNOTATION]: 'true' },
  };
}

/** clusterRole builds a bootstrap ClusterRole. */
export function clusterRole(name: string, rules: PolicyRule[], labels: Record<string, string> = {}): Record<string, unknown> {
  return { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata: meta(name, undefined, labels), rules };
}

/** aggregatedClusterRole builds a ClusterRole whose rules the aggregation controller fills from the roles labelled `selectorLabel: "true"`. */
export function aggregatedClusterRole(name: string, selectorLabel: string, labels: Record<string, string> = {}): Record<string, unknown> {
  return { ...clusterRole(name, [], labels), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [selectorLabel]: 'true' } }] } };
}

/** clusterRoleBinding binds the ClusterRole `role` (by default of the same name) to subjects. */
export function clusterRoleBinding(name: string, subjects: Subject[], role = name): Record<string, unknown> {
  const b: Record<string, unknown> = { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRoleBinding', metadata: meta(name), roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role } };
  if (subjects.length) b.subjects = subjects;
  return b;
}

/** role builds a bootstrap Role in namespace. */
export function role(namespace: string, name: string, rules: PolicyRule[]): Record<string, unknown> {
  return { apiVersion: `${RBAC_GROUP}/v1`, kind: 'Role', metadata: meta(name, namespace), rules };
}

/** roleBinding binds the Role `roleName` of namespace to subjects. */
export function roleBinding(namespace: string, name: string, roleName: string, subjects: Subject[]): Record<string, unknown> {
  return { apiVersion: `${RBAC_GROUP}/v1`, kind: 'RoleBinding', metadata: meta(name, namespace), roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: roleName }, subjects };
}
