// kubectl (1.32, and 1.20 when installed) against `skiff server --disable-agent`: the RBAC objects
// through kubectl create role|clusterrole|rolebinding|clusterrolebinding, get, apply and explain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, kubectlBinaries, kubectl, kubectlOk, type TestServer } from './harness.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

const roleManifest = (ns: string, verbs: string): string => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: applied
  namespace: ${ns}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [${verbs}]
`;

for (const { name: version, bin } of kubectlBinaries()) {
  const ns = `rbac-${version.replace('.', '-')}`;
  const k = (args: string[], opts: { input?: string } = {}): string => kubectlOk(bin, server.kubeconfig, args, opts);

  test(`kubectl ${version}: create role, rolebinding, clusterrole, clusterrolebinding and get them`, () => {
    k(['create', 'namespace', ns]);
    assert.match(k(['-n', ns, 'create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods,pods/log']), /role.rbac.authorization.k8s.io\/pod-reader created/);
    assert.match(k(['-n', ns, 'create', 'rolebinding', 'read-pods', '--role=pod-reader', '--user=alice', '--group=devs', `--serviceaccount=${ns}:robot`]), /rolebinding.rbac.authorization.k8s.io\/read-pods created/);
    assert.match(k(['create', 'clusterrole', `${ns}-urls`, '--verb=get', '--non-resource-url=/logs/*']), /created/);
    assert.match(k(['create', 'clusterrolebinding', `${ns}-view`, '--clusterrole=view', '--user=bob', `--serviceaccount=${ns}:robot`]), /clusterrolebinding.rbac.authorization.k8s.io\/.*-view created/);

    const roles = k(['-n', ns, 'get', 'roles']);
    assert.match(roles, /^NAME\s+CREATED AT\n/);
    assert.match(roles, /^pod-reader\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
    const wide = k(['-n', ns, 'get', 'rolebindings', '-o', 'wide']);
    assert.match(wide, /^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\n/);
    assert.match(wide, new RegExp(`^read-pods\\s+Role/pod-reader\\s+\\S+\\s+alice\\s+devs\\s+${ns}/robot$`, 'm'));
    assert.match(k(['get', 'clusterrolebinding', `${ns}-view`]), new RegExp(`^${ns}-view\\s+ClusterRole/view\\s+\\S+$`, 'm'));
    const rule = JSON.parse(k(['-n', ns, 'get', 'role', 'pod-reader', '-o', 'json'])).rules[0];
    assert.deepEqual(rule, { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] });
    const subjects = JSON.parse(k(['-n', ns, 'get', 'rolebinding', 'read-pods', '-o', 'json'])).subjects;
    assert.deepEqual(subjects.map((s: { kind: string; apiGroup?: string }) => [s.kind, s.apiGroup ?? '']), [['User', 'rbac.authorization.k8s.io'], ['Group', 'rbac.authorization.k8s.io'], ['ServiceAccount', '']]);
  });

  test(`kubectl ${version}: bootstrap roles are listed`, () => {
    const out = k(['get', 'clusterroles']);
    for (const name of ['cluster-admin', 'admin', 'edit', 'view', 'system:node', 'system:controller:replicaset-controller']) {
      assert.match(out, new RegExp(`^${name}\\s+\\d{4}-`, 'm'));
    }
    assert.match(k(['get', 'clusterrolebinding', 'cluster-admin', '-o', 'wide']), /^cluster-admin\s+ClusterRole\/cluster-admin\s+\S+\s+system:masters\s*$/m);
    assert.match(k(['-n', 'kube-system', 'get', 'roles']), /^system::leader-locking-kube-scheduler\s/m);
  });

  test(`kubectl ${version}: the aggregation controller fills view, edit and admin`, async () => {
    const rulesOf = (role: string): { verbs: string[]; resources?: string[] }[] => JSON.parse(k(['get', 'clusterrole', role, '-o', 'json'])).rules ?? [];
    const grants = (role: string, verb: string, resource: string): boolean => rulesOf(role).some((r) => r.verbs.includes(verb) && (r.resources ?? []).includes(resource));
    for (let i = 0; i < 100 && !(grants('view', 'list', 'pods') && grants('admin', 'create', 'rolebindings')); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(grants('view', 'list', 'pods'), 'view lists pods');
    assert.ok(grants('edit', 'create', 'deployments') && !grants('edit', 'create', 'rolebindings'), 'edit writes deployments, not bindings');
    assert.ok(grants('admin', 'create', 'rolebindings'), 'admin writes bindings');
  });

  test(`kubectl ${version}: apply a Role twice, change it; roleRef cannot change; bad rules are refused`, () => {
    assert.match(k(['apply', '-f', '-'], { input: roleManifest(ns, 'get') }), /role.rbac.authorization.k8s.io\/applied created/);
    assert.match(k(['apply', '-f', '-'], { input: roleManifest(ns, 'get') }), /unchanged/);
    assert.match(k(['apply', '-f', '-'], { input: roleManifest(ns, 'get, list') }), /configured/);
    const change = kubectl(bin, server.kubeconfig, ['-n', ns, 'patch', 'rolebinding', 'read-pods', '--type=merge', '-p', '{"roleRef":{"name":"other"}}']);
    assert.notEqual(change.code, 0);
    assert.match(change.stderr, /roleRef: Invalid value: .*cannot change roleRef/);
    const noVerbs = kubectl(bin, server.kubeconfig, ['apply', '-f', '-'], { input: roleManifest(ns, '').replace('name: applied', 'name: no-verbs') });
    assert.match(noVerbs.stderr, /rules\[0\]\.verbs: Required value: verbs must contain at least one value/);
  });

  test(`kubectl ${version}: explain knows the RBAC kinds`, () => {
    assert.match(k(['explain', 'clusterrole.aggregationRule']), /clusterRoleSelectors/);
    assert.match(k(['explain', 'rolebinding.roleRef']), /apiGroup/);
  });
}
