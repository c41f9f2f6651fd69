import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import type { Client } from '../../client/client.js';
import { clusterRoles } from '../../apiserver/rbac/bootstrap_policy.js';
import { startHarness } from '../namespace/harness_test_helper.js';
import { aggregatedRules, CLUSTER_ROLES, startClusterRoleAggregationController } from './index.js';

type Rule = { verbs: string[]; apiGroups?: string[]; resources?: string[] };

const seedBootstrapRoles = async (c: Client): Promise<void> => {
  for (const r of clusterRoles()) await c.resource(CLUSTER_ROLES).create('', r as KubeObject);
};
const rulesOf = async (c: Client, name: string): Promise<Rule[]> => ((await c.resource(CLUSTER_ROLES).get('', name)).rules as Rule[] | null) ?? [];
const grants = (rules: Rule[], verb: string, group: string, resource: string): boolean =>
  rules.some((r) => r.verbs.includes(verb) && (r.apiGroups ?? []).includes(group) && (r.resources ?? []).includes(resource));

test('aggregatedRules: selectors in order, roles by name, each rule once, never the role itself', () => {
  const role = (name: string, labels: Record<string, string>, rules: Rule[], agg?: Record<string, string>[]): KubeObject => ({
    metadata: { name, labels },
    rules,
    ...(agg ? { aggregationRule: { clusterRoleSelectors: agg.map((m) => ({ matchLabels: m })) } } : {}),
  });
  const get = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
  const list = { verbs: ['list'], apiGroups: [''], resources: ['pods'] };
  const target = role('target', { a: 'true' }, [], [{ b: 'true' }, { a: 'true' }]);
  const all = [target, role('z', { a: 'true' }, [get]), role('y', { b: 'true' }, [list, get]), role('x', { a: 'true' }, [list])];
  assert.deepEqual(aggregatedRules(target, all), [list, get]);
  assert.deepEqual(aggregatedRules(role('t', {}, [], [{ none: 'true' }]), all), []);
});

test('admin, edit and view get their rules; a new aggregate-to-view role joins view, edit and admin', async () => {
  const h = await startHarness([startClusterRoleAggregationController], { seed: seedBootstrapRoles });
  try {
    const cr = h.client.resource(CLUSTER_ROLES);
    await h.waitFor(async () => grants(await rulesOf(h.client, 'admin'), 'create', 'rbac.authorization.k8s.io', 'rolebindings') && grants(await rulesOf(h.client, 'admin'), 'get', 'apps', 'deployments'), 'admin aggregated');
    const view = await rulesOf(h.client, 'view');
    assert.ok(grants(view, 'get', '', 'pods') && !grants(view, 'get', '', 'secrets'), 'view reads pods but not secrets');
    const edit = await rulesOf(h.client, 'edit');
    assert.ok(grants(edit, 'create', '', 'pods') && grants(edit, 'get', '', 'secrets') && grants(edit, 'list', '', 'pods'), 'edit has its own rules and view\'s');
    assert.ok(!grants(edit, 'create', 'rbac.authorization.k8s.io', 'roles'), 'edit cannot write roles');

    const widgets = { verbs: ['get', 'list', 'watch'], apiGroups: ['example.com'], resources: ['widgets'] };
    await cr.create('', { metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }, rules: [widgets] } as unknown as KubeObject);
    await h.waitFor(async () => grants(await rulesOf(h.client, 'view'), 'list', 'example.com', 'widgets'), 'widgets in view');
    await h.waitFor(async () => grants(await rulesOf(h.client, 'admin'), 'list', 'example.com', 'widgets'), 'widgets in admin, through edit');

    // Stable: nothing is written again once the rules are in place.
    const rv = (await cr.get('', 'view')).metadata.resourceVersion;
    await cr.delete('', 'widgets-view');
    await h.waitFor(async () => !grants(await rulesOf(h.client, 'view'), 'list', 'example.com', 'widgets'), 'widgets gone from view');
    assert.notEqual((await cr.get('', 'view')).metadata.resourceVersion, rv);
    const settled = (await cr.get('', 'edit')).metadata.resourceVersion;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await cr.get('', 'edit')).metadata.resourceVersion, settled);
  } finally {
    await h.stop();
  }
});
