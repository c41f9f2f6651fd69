import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { fakeApi } from '../../client/testing/fake_api_test_helper.js';
import type { Client } from '../../client/client.js';
import { silentLogger } from '../../lib/log.js';
import type { ApiCore } from '../core.js';
import { clusterRoleBindings, clusterRoles, roleBindings, roles } from './bootstrap_policy.js';
import { reconcileBootstrapPolicy } from './reconcile.js';

const gvr = (resource: string) => ({ group: 'rbac.authorization.k8s.io', version: 'v1', resource });
const CR = gvr('clusterroles');
const CRB = gvr('clusterrolebindings');

async function versions(client: Client): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const r of ['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings']) {
    for (const o of (await client.resource(gvr(r)).list('')).items) out.set(`${r}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`, o.metadata.resourceVersion ?? '');
  }
  return out;
}

async function withApi(fn: (client: Client, core: ApiCore) => Promise<void>): Promise<void> {
  const api = await fakeApi();
  try {
    await fn(api.client, api.core as ApiCore);
  } finally {
    api.stop();
  }
}

test('first start creates the whole policy; a second start changes nothing', () =>
  withApi(async (client, core) => {
    await reconcileBootstrapPolicy(core, silentLogger);
    const before = await versions(client);
    assert.equal(before.size, clusterRoles().length + clusterRoleBindings().length + roles().length + roleBindings().length);
    const admin = await client.resource(CR).get('', 'cluster-admin');
    assert.deepEqual(admin.metadata.labels, { 'kubernetes.io/bootstrapping': 'rbac-defaults' });
    assert.deepEqual(admin.metadata.annotations, { 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
    const nodeBinding = await client.resource(CRB).get('', 'system:controller:node-controller');
    assert.deepEqual(nodeBinding.subjects, [{ kind: 'ServiceAccount', name: 'node-controller', namespace: 'kube-system' }]);
    assert.equal((await client.resource(gvr('roles')).get('kube-public', 'system:controller:bootstrap-signer')).metadata.namespace, 'kube-public');
    await reconcileBootstrapPolicy(core, silentLogger);
    assert.deepEqual(await versions(client), before);
  }));

test('a removed rule, label and subject come back; extra rules and subjects stay', () =>
  withApi(async (client, core) => {
    await reconcileBootstrapPolicy(core, silentLogger);
    const roles = client.resource(CR);
    const basic = await roles.get('', 'system:basic-user');
    const extra = { verbs: ['get'], apiGroups: [''], resources: ['configmaps'] };
    await roles.update({ ...basic, metadata: { ...basic.metadata, labels: {} }, rules: [(basic.rules as unknown[])[0], extra] } as KubeObject);
    const binding = await client.resource(CRB).get('', 'system:discovery');
    const mine = { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' };
    await client.resource(CRB).update({ ...binding, subjects: [mine] } as KubeObject);
    await reconcileBootstrapPolicy(core, silentLogger);
    const fixed = await roles.get('', 'system:basic-user');
    assert.deepEqual(fixed.rules, [
      (basic.rules as unknown[])[0],
      extra,
      { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
    ]);
    assert.equal(fixed.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults');
    assert.deepEqual((await client.resource(CRB).get('', 'system:discovery')).subjects, [mine, { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' }]);
  }));

test('autoupdate "false" keeps an administrator\'s edit', () =>
  withApi(async (client, core) => {
    await reconcileBootstrapPolicy(core, silentLogger);
    const roles = client.resource(CR);
    const cur = await roles.get('', 'system:discovery');
    const narrowed = { ...cur, metadata: { ...cur.metadata, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } }, rules: [{ verbs: ['get'], nonResourceURLs: ['/version'] }] } as KubeObject;
    await roles.update(narrowed);
    await reconcileBootstrapPolicy(core, silentLogger);
    assert.deepEqual((await roles.get('', 'system:discovery')).rules, [{ verbs: ['get'], nonResourceURLs: ['/version'] }]);
  }));

test('aggregated roles keep the rules the aggregation controller wrote; their selectors come back', () =>
  withApi(async (client, core) => {
    await reconcileBootstrapPolicy(core, silentLogger);
    const roles = client.resource(CR);
    const view = await roles.get('', 'view');
    const filled = [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }];
    await roles.update({ ...view, rules: filled, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { mine: 'true' } }] } } as KubeObject);
    await reconcileBootstrapPolicy(core, silentLogger);
    const after = await roles.get('', 'view');
    assert.deepEqual(after.rules, filled);
    assert.deepEqual(after.aggregationRule, { clusterRoleSelectors: [{ matchLabels: { mine: 'true' } }, { matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }] });
  }));

test('a binding whose roleRef changed is replaced', () =>
  withApi(async (client, core) => {
    await reconcileBootstrapPolicy(core, silentLogger);
    const bindings = client.resource(CRB);
    await bindings.delete('', 'system:basic-user');
    await bindings.create('', { metadata: { name: 'system:basic-user' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [] } as unknown as KubeObject);
    await reconcileBootstrapPolicy(core, silentLogger);
    const b = await bindings.get('', 'system:basic-user');
    assert.equal((b.roleRef as { name: string }).name, 'system:basic-user');
    assert.equal(b.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults');
  }));
