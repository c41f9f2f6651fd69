import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { clusterrolebindings, rolebindings } from './bindings.js';
import { clusterroles, roles } from './roles.js';

const T = '2024-01-01T00:00:00Z';
const msgs = (errs: ReturnType<typeof roles.validate>): string[] => errs.map((e) => fieldErrorMessage(e));
const obj = (name: string, extra: Record<string, unknown>): KubeObject => ({ metadata: { name, creationTimestamp: T }, ...extra });

test('policy rules: verbs required, resources need groups, URLs only in ClusterRoles and alone', () => {
  const cases: { rules: unknown[]; role: string[]; cluster: string[] }[] = [
    { rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], role: [], cluster: [] },
    { rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }], role: ['rules[0].nonResourceURLs: Invalid value: []interface {}{"/healthz"}: namespaced rules cannot apply to non-resource URLs'], cluster: [] },
    {
      rules: [{ apiGroups: [''] }],
      role: ['rules[0].verbs: Required value: verbs must contain at least one value', 'rules[0].resources: Required value: resource rules must supply at least one resource'],
      cluster: ['rules[0].verbs: Required value: verbs must contain at least one value', 'rules[0].resources: Required value: resource rules must supply at least one resource'],
    },
    { rules: [{ verbs: ['get'], resources: ['pods'] }], role: ['rules[0].apiGroups: Required value: resource rules must supply at least one api group'], cluster: ['rules[0].apiGroups: Required value: resource rules must supply at least one api group'] },
    {
      rules: [{ verbs: ['get'], nonResourceURLs: ['/x'], resources: ['pods'] }],
      role: ['rules[0].nonResourceURLs: Invalid value: []interface {}{"/x"}: namespaced rules cannot apply to non-resource URLs', 'rules[0].nonResourceURLs: Invalid value: []interface {}{"/x"}: rules cannot apply to both regular resources and non-resource URLs'],
      cluster: ['rules[0].nonResourceURLs: Invalid value: []interface {}{"/x"}: rules cannot apply to both regular resources and non-resource URLs'],
    },
  ];
  for (const c of cases) {
    assert.deepEqual(msgs(roles.validate(obj('r', { rules: c.rules }))), c.role, JSON.stringify(c.rules));
    assert.deepEqual(msgs(clusterroles.validate(obj('r', { rules: c.rules }))), c.cluster, JSON.stringify(c.rules));
  }
});

test('clusterrole aggregationRule needs a valid selector', () => {
  assert.deepEqual(msgs(clusterroles.validate(obj('agg', { aggregationRule: {} }))), ['aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil']);
  assert.deepEqual(msgs(clusterroles.validate(obj('agg', { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'a/b/c': 'x' } }] } }))).length, 1);
  assert.deepEqual(msgs(clusterroles.validate(obj('agg', { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] } }))), []);
});

test('binding defaults fill the API groups of roleRef and subjects', () => {
  const b = obj('b', { roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'alice' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }] });
  rolebindings.defaults(b);
  assert.deepEqual(b.roleRef, { kind: 'ClusterRole', name: 'view', apiGroup: 'rbac.authorization.k8s.io' });
  assert.deepEqual((b.subjects as { apiGroup?: string }[]).map((s) => s.apiGroup), ['rbac.authorization.k8s.io', 'rbac.authorization.k8s.io', undefined]);
  assert.deepEqual(msgs(rolebindings.validate(b)), []);
});

test('binding validation: roleRef kinds, subjects, ServiceAccount namespace in a ClusterRoleBinding', () => {
  const bad = obj('b', { roleRef: { apiGroup: 'x', kind: 'Role', name: '' }, subjects: [{ kind: 'Robot', name: 'r' }, { kind: 'ServiceAccount', name: 'Bad_Name' }, { kind: 'User', name: '', apiGroup: 'rbac.authorization.k8s.io' }] });
  assert.deepEqual(msgs(clusterrolebindings.validate(bad)), [
    'roleRef.apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io"',
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    'roleRef.name: Required value',
    'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    "subjects[1].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    'subjects[1].namespace: Required value',
    'subjects[2].name: Required value',
  ]);
  const namespaced = obj('b', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }] });
  assert.deepEqual(msgs(rolebindings.validate(namespaced)), []);
});

test('roleRef is immutable', () => {
  const old = obj('b', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } });
  const changed = obj('b', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' } });
  assert.deepEqual(msgs(rolebindings.validate(changed, old)), ['roleRef: Invalid value: map[string]string{"apiGroup":"rbac.authorization.k8s.io", "kind":"ClusterRole", "name":"edit"}: cannot change roleRef']);
  assert.deepEqual(msgs(clusterrolebindings.validate(old, old)), []);
});

test('rows: roles print CREATED AT, bindings ROLE and the wide subject columns', () => {
  const now = Date.parse('2024-01-03T00:00:00Z');
  assert.deepEqual(clusterroles.columns.map((c) => c.name), ['Name', 'Created At']);
  assert.deepEqual(roles.row(obj('r', {}), now), ['r', T]);
  assert.deepEqual(rolebindings.columns.map((c) => [c.name, c.priority]), [['Name', 0], ['Role', 0], ['Age', 0], ['Users', 1], ['Groups', 1], ['ServiceAccounts', 1]]);
  const b = obj('b', { roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'a' }, { kind: 'User', name: 'b' }, { kind: 'Group', name: 'g' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }] });
  assert.deepEqual(clusterrolebindings.row(b, now), ['b', 'ClusterRole/view', '2d', 'a, b', 'g', 'ns/sa']);
});
