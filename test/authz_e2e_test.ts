// Authorization as kube-apiserver's Node,RBAC modes enforce it, driven by the real kubectl as each
// identity: the admin, a user with no bindings, a user with a namespaced Role, a view-only user, a
// node, a service account and anonymous; plus NodeRestriction, impersonation and escalation checks.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:https';
import { kubectl, kubectlOk, startServer, type TestServer } from './harness.js';
import { buildKubeconfig, issueClientCert, loadCA } from '../src/pki/index.js';

let s: TestServer;
const configs: Record<string, string> = {};

after(async () => {
  await s?.stop();
  if (s) rmSync(s.dir, { recursive: true, force: true });
});

const admin = (args: string[], input?: string): string => kubectlOk('kubectl', s.kubeconfig, args, input === undefined ? {} : { input });

before(async () => {
  s = await startServer([], undefined, { withAgent: false });
  const tls = join(s.dir, 'data', 'server', 'tls');
  const ca = await loadCA('client-ca', readFileSync(join(tls, 'client-ca.crt'), 'utf8'), readFileSync(join(tls, 'client-ca.key'), 'utf8'));
  const serverCA = readFileSync(join(tls, 'server-ca.crt'), 'utf8');
  const users: Record<string, { commonName: string; organizations?: string[] }> = {
    alice: { commonName: 'alice', organizations: ['dev'] },
    bob: { commonName: 'bob' },
    viewer: { commonName: 'viewer' },
    node: { commonName: 'system:node:n1', organizations: ['system:nodes'] },
  };
  for (const [key, subject] of Object.entries(users)) {
    const cert = await issueClientCert(ca, subject);
    const path = join(s.dir, `${key}.kubeconfig`);
    writeFileSync(path, buildKubeconfig({ server: `https://127.0.0.1:${s.port}`, caPem: serverCA, clientCertPem: cert.certPem, clientKeyPem: cert.keyPem }));
    configs[key] = path;
  }
  admin(['create', 'namespace', 'dev']);
  admin(['create', 'namespace', 'other']);
  admin(['-n', 'dev', 'create', 'role', 'pod-manager', '--verb=get,list,watch,create,delete', '--resource=pods']);
  admin(['-n', 'dev', 'create', 'role', 'deploy-reader', '--verb=get,list', '--resource=deployments.apps']);
  admin(['-n', 'dev', 'create', 'role', 'rbac-writer', '--verb=create,get,update', '--resource=roles.rbac.authorization.k8s.io,rolebindings.rbac.authorization.k8s.io']);
  for (const role of ['pod-manager', 'deploy-reader', 'rbac-writer']) admin(['-n', 'dev', 'create', 'rolebinding', `bob-${role}`, `--role=${role}`, '--user=bob']);
  admin(['create', 'clusterrolebinding', 'viewer-view', '--clusterrole=view', '--user=viewer']);
  admin(['-n', 'dev', 'create', 'serviceaccount', 'app']);
  admin(['-n', 'dev', 'create', 'rolebinding', 'app-view', '--clusterrole=view', '--serviceaccount=dev:app']);
  admin(['-n', 'dev', 'create', 'secret', 'generic', 's1', '--from-literal=k=v']);
  admin(['-n', 'dev', 'create', 'secret', 'generic', 's2', '--from-literal=k=v']);
  admin(['-n', 'dev', 'create', 'configmap', 'c1', '--from-literal=k=v']);
  admin(['-n', 'dev', 'create', 'configmap', 'c2', '--from-literal=k=v']);
  for (const n of ['n1', 'n2']) admin(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: n } }));
  admin(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p1', namespace: 'dev' },
      spec: {
        nodeName: 'n1',
        automountServiceAccountToken: false,
        containers: [{ name: 'c', image: 'busybox', envFrom: [{ configMapRef: { name: 'c1' } }] }],
        volumes: [{ name: 's', secret: { secretName: 's1' } }],
      },
    }),
  );
  admin(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p2', namespace: 'dev' }, spec: { nodeName: 'n2', serviceAccountName: 'app', containers: [{ name: 'c', image: 'busybox' }] } }));
});

type Want = 'ok' | 'forbidden' | 'unauthorized' | RegExp;

/** MATRIX is identity × command → expected outcome. */
const MATRIX: [string, string[], Want][] = [
  ['admin', ['get', 'namespaces'], 'ok'],
  ['admin', ['get', 'secrets', '-A'], 'ok'],
  ['admin', ['get', 'nodes'], 'ok'],
  ['admin', ['create', 'namespace', 'scratch'], 'ok'],
  ['admin', ['delete', 'namespace', 'scratch', '--wait=false'], 'ok'],
  ['admin', ['auth', 'can-i', '*', '*'], /^yes$/m],
  ['admin', ['get', 'clusterroles', 'cluster-admin', 'admin', 'edit', 'view', 'system:node', 'system:basic-user', 'system:discovery'], 'ok'],
  ['alice', ['-n', 'dev', 'get', 'pods'], /pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "dev"/],
  ['alice', ['get', 'namespaces'], /namespaces is forbidden: User "alice" cannot list resource "namespaces" in API group "" at the cluster scope/],
  ['alice', ['delete', 'namespace', 'dev'], /namespaces "dev" is forbidden: User "alice" cannot delete resource "namespaces" in API group "" at the cluster scope/],
  ['alice', ['get', 'nodes'], 'forbidden'],
  ['alice', ['-n', 'dev', 'create', 'configmap', 'x'], 'forbidden'],
  ['alice', ['-n', 'dev', 'get', 'secret', 's1'], 'forbidden'],
  ['alice', ['get', '--raw', '/api'], 'ok'],
  ['alice', ['get', '--raw', '/version'], 'ok'],
  ['alice', ['get', '--raw', '/healthz'], 'ok'],
  ['alice', ['get', '--raw', '/metrics'], /forbidden: User "alice" cannot get path "\/metrics"/],
  ['alice', ['auth', 'can-i', 'list', 'pods', '-n', 'dev'], /^no$/m],
  ['alice', ['auth', 'can-i', 'create', 'selfsubjectaccessreviews.authorization.k8s.io'], /^yes$/m],
  ['alice', ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username} {.status.userInfo.groups}'], /^alice \["dev","system:authenticated"\]/],
  ['alice', ['-n', 'dev', 'get', 'pods', '--as', 'bob'], /users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope/],
  ['bob', ['-n', 'dev', 'get', 'pods'], 'ok'],
  ['bob', ['-n', 'dev', 'get', 'pod', 'p1'], 'ok'],
  ['bob', ['-n', 'dev', 'run', 'bobs', '--image=busybox', '--restart=Never'], 'ok'],
  ['bob', ['-n', 'dev', 'delete', 'pod', 'bobs', '--wait=false'], 'ok'],
  ['bob', ['-n', 'dev', 'label', 'pod', 'p1', 'a=b'], 'forbidden'],
  ['bob', ['-n', 'other', 'get', 'pods'], /in the namespace "other"/],
  ['bob', ['get', 'pods', '-A'], /at the cluster scope/],
  ['bob', ['-n', 'dev', 'get', 'deployments'], 'ok'],
  ['bob', ['-n', 'dev', 'create', 'deployment', 'web', '--image=nginx'], 'forbidden'],
  ['bob', ['-n', 'dev', 'get', 'secrets'], 'forbidden'],
  ['bob', ['-n', 'dev', 'get', 'pods', '-o', 'name', '--watch', '--request-timeout=1s'], /pod\/p1|Timeout|timed out/],
  ['bob', ['auth', 'can-i', '--list', '-n', 'dev'], /pods\s+\[\]\s+\[\]\s+\[get list watch create delete\]/],
  ['bob', ['auth', 'can-i', 'delete', 'pods', '-n', 'dev'], /^yes$/m],
  ['bob', ['auth', 'can-i', 'delete', 'pods', '-n', 'other'], /^no$/m],
  ['viewer', ['get', 'pods', '-A'], 'ok'],
  ['viewer', ['get', 'deployments', '-A'], 'ok'],
  ['viewer', ['get', 'configmaps', '-n', 'dev'], 'ok'],
  ['viewer', ['get', 'namespaces'], 'ok'],
  ['viewer', ['get', 'services', '-A'], 'ok'],
  ['viewer', ['-n', 'dev', 'get', 'secrets'], 'forbidden'],
  ['viewer', ['-n', 'dev', 'create', 'configmap', 'x'], 'forbidden'],
  ['viewer', ['-n', 'dev', 'delete', 'pod', 'p1'], 'forbidden'],
  ['viewer', ['get', 'nodes'], 'forbidden'],
  ['viewer', ['-n', 'dev', 'get', 'roles'], 'forbidden'],
  ['viewer', ['-n', 'dev', 'delete', 'deployment', 'x'], 'forbidden'],
  ['node', ['-n', 'dev', 'get', 'secret', 's1'], 'ok'],
  ['node', ['-n', 'dev', 'get', 'secret', 's2'], /secrets "s2" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "dev": no relationship found between node 'n1' and this object/],
  ['node', ['-n', 'dev', 'get', 'secrets'], 'forbidden'],
  ['node', ['-n', 'dev', 'get', 'configmap', 'c1'], 'ok'],
  ['node', ['-n', 'dev', 'get', 'configmap', 'c2'], 'forbidden'],
  ['node', ['get', 'nodes'], 'ok'],
  ['node', ['get', 'pods', '-A'], 'ok'],
  ['node', ['label', 'node', 'n1', 'skiff.test/ok=yes'], 'ok'],
  ['node', ['label', 'node', 'n2', 'skiff.test/ok=yes'], /node "system:node:n1"|not allowed to modify node "n2"/],
  ['node', ['label', 'node', 'n1', 'node-restriction.kubernetes.io/pool=a'], /is not allowed to modify labels: node-restriction.kubernetes.io\/pool/],
  ['node', ['delete', 'node', 'n2'], 'forbidden'],
  ['node', ['-n', 'dev', 'run', 'rogue', '--image=busybox', '--restart=Never'], /can only create mirror pods/],
  ['node', ['create', 'namespace', 'rogue'], 'forbidden'],
  ['node', ['-n', 'dev', 'create', 'token', 'default', '--bound-object-kind=Pod', '--bound-object-name=p1'], /^eyJ/m],
  ['node', ['-n', 'dev', 'create', 'token', 'default'], /node requested token not bound to a pod/],
  ['node', ['-n', 'dev', 'create', 'token', 'app', '--bound-object-kind=Pod', '--bound-object-name=p2'], /no relationship found between node 'n1' and this object/],
  ['node', ['-n', 'dev', 'delete', 'pod', 'p1', '--dry-run=server'], 'ok'],
  ['node', ['-n', 'kube-node-lease', 'create', '-f', '-', '#lease:n2'], /same name as the requesting node/],
  ['node', ['-n', 'kube-node-lease', 'create', '-f', '-', '#lease:n1'], 'ok'],
  ['admin', ['-n', 'dev', 'get', 'pods', '--as=system:serviceaccount:dev:app'], 'ok'],
  ['admin', ['-n', 'other', 'get', 'pods', '--as=system:serviceaccount:dev:app'], /User "system:serviceaccount:dev:app" cannot list resource "pods"/],
  ['admin', ['-n', 'dev', 'get', 'secrets', '--as=system:serviceaccount:dev:app'], 'forbidden'],
  ['admin', ['-n', 'dev', 'create', 'configmap', 'y', '--as=system:serviceaccount:dev:app'], 'forbidden'],
  ['admin', ['auth', 'whoami', '--as=system:serviceaccount:dev:app', '-o', 'jsonpath={.status.userInfo.groups}'], /system:serviceaccounts:dev/],
  ['admin', ['auth', 'can-i', 'list', 'pods', '-n', 'dev', '--as=bob'], /^yes$/m],
  ['admin', ['auth', 'can-i', 'list', 'secrets', '-n', 'dev', '--as=bob'], /^no$/m],
  ['admin', ['-n', 'dev', 'get', 'pods', '--as=alice'], /User "alice" cannot list/],
  ['anonymous', ['GET', '/api/v1/pods'], 'unauthorized'],
  ['anonymous', ['GET', '/api/v1/namespaces/dev/secrets/s1'], 'unauthorized'],
  ['anonymous', ['GET', '/version'], 'ok'],
  ['anonymous', ['GET', '/healthz'], 'ok'],
  ['bob', ['-n', 'dev', 'create', 'role', 'more', '--verb=get', '--resource=secrets'], /is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["secrets"\], Verbs:\["get"\]\}/],
  ['bob', ['-n', 'dev', 'create', 'role', 'less', '--verb=get', '--resource=pods'], 'ok'],
  ['bob', ['-n', 'dev', 'create', 'rolebinding', 'bob-admin', '--clusterrole=admin', '--user=bob'], /attempting to grant RBAC permissions not currently held/],
  ['bob', ['-n', 'dev', 'create', 'rolebinding', 'alice-less', '--role=less', '--user=alice'], 'ok'],
  ['alice', ['-n', 'dev', 'get', 'pod', 'p1'], 'ok'],
];

/** anonymousGet is a request without credentials (kubectl would prompt for a user name). */
function anonymousGet(path: string): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path, rejectUnauthorized: false, agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test(`authorization matrix (${MATRIX.length} rows) with kubectl as each identity`, async () => {
  const failures: string[] = [];
  for (const [who, argv, want] of MATRIX) {
    if (who === 'anonymous') {
      const r = await anonymousGet(argv[1] ?? '/');
      const ok = want === 'ok' ? r.code === 200 : want === 'unauthorized' ? r.code === 401 : false;
      if (!ok) failures.push(`anonymous: GET ${argv[1]} → want ${String(want)}, got ${r.code} ${r.body}`);
      continue;
    }
    let args = argv;
    let input: string | undefined;
    const lease = args.find((a) => a.startsWith('#lease:'));
    if (lease) {
      args = args.filter((a) => a !== lease);
      input = JSON.stringify({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: lease.slice(7), namespace: 'kube-node-lease' }, spec: { holderIdentity: lease.slice(7) } });
    }
    const config = who === 'admin' ? s.kubeconfig : configs[who]!;
    const r = kubectl('kubectl', config, args, input === undefined ? {} : { input });
    const out = `${r.stdout}\n${r.stderr}`;
    let ok: boolean;
    if (want === 'ok') ok = r.code === 0;
    else if (want === 'forbidden') ok = r.code !== 0 && /\(Forbidden\)| is forbidden: /.test(out);
    else if (want === 'unauthorized') ok = r.code !== 0 && /Unauthorized|must be logged in/.test(out);
    else ok = want.test(out);
    if (!ok) failures.push(`${who}: kubectl ${argv.join(' ')} → want ${String(want)}, got code ${r.code}:\n${out.trim()}`);
  }
  assert.deepEqual(failures, []);
});

test('no token, key or password reaches the log, even at debug level', async () => {
  const d = await startServer(['--debug', '--token', 'sekrit-node-token-4711'], undefined, { withAgent: false });
  try {
    const token = kubectlOk('kubectl', d.kubeconfig, ['create', 'token', 'default']).trim();
    kubectl('kubectl', d.kubeconfig, ['--token', token, 'get', 'pods']);
    kubectl('kubectl', d.kubeconfig, ['--token', `${token}x`, 'get', 'pods']);
    kubectlOk('kubectl', d.kubeconfig, ['create', 'secret', 'generic', 'pw', '--from-literal=password=hunter2-pass']);
    kubectlOk('kubectl', d.kubeconfig, ['get', 'secret', 'pw', '-o', 'yaml']);
    const log = d.logs();
    assert.ok(log.length > 0);
    const adminKey = readFileSync(join(d.dir, 'data', 'server', 'tls', 'client-admin.key'), 'utf8').split('\n')[1] ?? 'none';
    for (const secret of [token.split('.')[1]!, token.split('.')[2]!, 'sekrit-node-token-4711', 'hunter2-pass', Buffer.from('hunter2-pass').toString('base64'), 'PRIVATE KEY', adminKey]) {
      assert.ok(!log.includes(secret), `the log holds ${secret.slice(0, 12)}…`);
    }
  } finally {
    await d.stop();
    rmSync(d.dir, { recursive: true, force: true });
  }
});

test('SubjectAccessReview and LocalSubjectAccessReview answer for another user; only those allowed may ask', () => {
  const sar = (kind: string, spec: object, ns?: string): string =>
    JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind, ...(ns ? { metadata: { namespace: ns } } : {}), spec });
  const ask = (config: string, path: string, body: string): { code: number; out: string } => {
    const r = kubectl('kubectl', config, ['create', '--raw', path, '-f', '-'], { input: body });
    return { code: r.code, out: r.stdout + r.stderr };
  };
  const allowed = (out: string): boolean => (JSON.parse(out) as { status: { allowed: boolean } }).status.allowed;
  const bobPods = sar('SubjectAccessReview', { user: 'bob', resourceAttributes: { namespace: 'dev', verb: 'delete', resource: 'pods' } });
  assert.equal(allowed(ask(s.kubeconfig, '/apis/authorization.k8s.io/v1/subjectaccessreviews', bobPods).out), true);
  const bobSecrets = sar('SubjectAccessReview', { user: 'bob', resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'secrets' } });
  assert.equal(allowed(ask(s.kubeconfig, '/apis/authorization.k8s.io/v1/subjectaccessreviews', bobSecrets).out), false);
  const viewerGroup = sar('SubjectAccessReview', { user: 'viewer', groups: ['system:authenticated'], nonResourceAttributes: { path: '/healthz', verb: 'get' } });
  assert.equal(allowed(ask(s.kubeconfig, '/apis/authorization.k8s.io/v1/subjectaccessreviews', viewerGroup).out), true);
  const local = sar('LocalSubjectAccessReview', { user: 'bob', resourceAttributes: { namespace: 'dev', verb: 'list', resource: 'pods' } }, 'dev');
  assert.equal(allowed(ask(s.kubeconfig, '/apis/authorization.k8s.io/v1/namespaces/dev/localsubjectaccessreviews', local).out), true);
  const mismatch = sar('LocalSubjectAccessReview', { user: 'bob', resourceAttributes: { namespace: 'other', verb: 'list', resource: 'pods' } }, 'dev');
  assert.match(ask(s.kubeconfig, '/apis/authorization.k8s.io/v1/namespaces/dev/localsubjectaccessreviews', mismatch).out, /spec\.resourceAttributes\.namespace: Invalid value: "other": must match metadata\.namespace/);
  const noSubject = sar('SubjectAccessReview', { resourceAttributes: { verb: 'get', resource: 'pods' } });
  assert.match(ask(s.kubeconfig, '/apis/authorization.k8s.io/v1/subjectaccessreviews', noSubject).out, /at least one of user or group must be specified/);
  assert.match(ask(configs.alice!, '/apis/authorization.k8s.io/v1/subjectaccessreviews', bobPods).out, /subjectaccessreviews\.authorization\.k8s\.io is forbidden: User "alice" cannot create resource "subjectaccessreviews"/);
});
