// Service-account tokens through the real kubectl: `kubectl create token` (TokenRequest), requests
// authenticated by the token, TokenReview, pod-bound tokens dying with their pod, legacy
// Secret tokens, OIDC discovery, and the ServiceAccount admission plugin on pods.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubectl, kubectlOk, startServer, type TestServer } from './harness.js';
import { eventually } from './eventually.js';

let s: TestServer;

before(async () => {
  s = await startServer();
});

after(async () => {
  await s?.stop();
  if (s) rmSync(s.dir, { recursive: true, force: true });
});

const admin = (args: string[], input?: string): string => kubectlOk('kubectl', s.kubeconfig, args, input === undefined ? {} : { input });

/** asToken runs kubectl with nothing but the bearer token (and the CA). */
function asToken(token: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const path = join(s.dir, 'token.kubeconfig');
  const ca = Buffer.from(readFileSync(join(s.dir, 'data', 'server', 'tls', 'server-ca.crt'))).toString('base64');
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:${s.port}\n    certificate-authority-data: ${ca}\nusers:\n- name: u\n  user:\n    token: ${token}\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\n`,
  );
  return kubectl('kubectl', path, args);
}

function review(token: string, audiences?: string[]): Record<string, unknown> {
  const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, ...(audiences ? { audiences } : {}) } });
  const out = JSON.parse(admin(['create', '--raw', '/apis/authentication.k8s.io/v1/tokenreviews', '-f', '-'], body)) as { status: Record<string, unknown> };
  return out.status;
}

test('kubectl create token: a signed token that authenticates as the service account', async () => {
  const key = join(s.dir, 'data', 'server', 'tls', 'service.key');
  assert.equal(statSync(key).mode & 0o777, 0o600);
  const token = await eventually('default ServiceAccount', () => admin(['create', 'token', 'default']).trim());
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
  assert.equal(claims.iss, 'https://kubernetes.default.svc.cluster.local');
  assert.equal(claims.sub, 'system:serviceaccount:default:default');
  assert.equal((claims.exp as number) - (claims.iat as number), 3600);
  const r = asToken(token, ['get', '--raw', '/api']);
  assert.doesNotMatch(r.stderr, /Unauthorized/);
  const whoami = JSON.parse(asToken(token, ['auth', 'whoami', '-o', 'json']).stdout) as { status: { userInfo: { username: string } } };
  assert.equal(whoami.status.userInfo.username, 'system:serviceaccount:default:default');
  // Authenticated, and then only what RBAC grants the account (nothing, here).
  assert.match(asToken(token, ['get', 'pods']).stderr, /User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"/);
  const status = review(token);
  assert.equal(status.authenticated, true);
  assert.deepEqual(status.user && (status.user as { username: string; groups: string[] }).groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
  assert.equal((status.user as { username: string }).username, 'system:serviceaccount:default:default');
  assert.deepEqual(status.audiences, ['https://kubernetes.default.svc.cluster.local']);
  // Audiences: a token for vault is no API credential, but a review for vault accepts it.
  const vault = admin(['create', 'token', 'default', '--audience', 'vault', '--duration', '15m']).trim();
  assert.match(asToken(vault, ['get', '--raw', '/api']).stderr, /Unauthorized/);
  assert.equal(review(vault, ['vault']).authenticated, true);
  assert.match(String(review(vault).error), /^\[invalid bearer token, token audiences \["vault"\] is invalid for the target audiences/);
  assert.match(asToken(`${token}x`, ['get', '--raw', '/api']).stderr, /Unauthorized/);
});

test('TokenRequest refusals as kube-apiserver words them', () => {
  const r = kubectl('kubectl', s.kubeconfig, ['create', 'token', 'default', '--duration', '5m']);
  assert.match(r.stderr, /TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes/);
  assert.match(kubectl('kubectl', s.kubeconfig, ['create', 'token', 'ghost']).stderr, /serviceaccounts "ghost" not found/);
  assert.match(kubectl('kubectl', s.kubeconfig, ['create', 'token', 'default', '--bound-object-kind', 'Pod', '--bound-object-name', 'nope']).stderr, /pods "nope" not found/);
});

test('pods get the kube-api-access volume; a token bound to a pod stops working when it is deleted', async () => {
  admin(['create', 'serviceaccount', 'builder']);
  admin(['run', 'web', '--image=busybox', '--overrides={"spec":{"serviceAccountName":"builder"}}']);
  const pod = JSON.parse(admin(['get', 'pod', 'web', '-o', 'json'])) as { metadata: { uid: string }; spec: { volumes: { name: string; projected?: unknown }[]; containers: { volumeMounts: { mountPath: string; readOnly: boolean }[] }[] } };
  const volume = pod.spec.volumes.find((v) => v.name.startsWith('kube-api-access-'));
  assert.match(volume?.name ?? '', /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(pod.spec.containers[0]?.volumeMounts[0], { name: volume?.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' });
  const r = kubectl('kubectl', s.kubeconfig, ['run', 'stray', '--image=busybox', '--overrides={"spec":{"serviceAccountName":"ghost"}}']);
  assert.match(r.stderr, /pods "stray" is forbidden: error looking up service account default\/ghost: serviceaccount "ghost" not found/);
  const token = admin(['create', 'token', 'builder', '--bound-object-kind', 'Pod', '--bound-object-name', 'web', '--bound-object-uid', pod.metadata.uid]).trim();
  const extra = (review(token).user as { extra: Record<string, string[]> }).extra;
  assert.deepEqual(extra['authentication.kubernetes.io/pod-name'], ['web']);
  assert.deepEqual(extra['authentication.kubernetes.io/pod-uid'], [pod.metadata.uid]);
  assert.match(kubectl('kubectl', s.kubeconfig, ['create', 'token', 'builder', '--bound-object-kind', 'Pod', '--bound-object-name', 'web', '--bound-object-uid', 'stale']).stderr, /does not match the UID in record/);
  admin(['delete', 'pod', 'web', '--grace-period=0', '--force']);
  await eventually('the token of the deleted pod refused', () => assert.equal(review(token).error, '[invalid bearer token, service account token has been invalidated]'), 10_000);
  assert.match(asToken(token, ['get', '--raw', '/api']).stderr, /Unauthorized/);
});

test('a legacy service-account-token Secret is filled in and its token authenticates', async () => {
  admin(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'builder-token', annotations: { 'kubernetes.io/service-account.name': 'builder' } }, type: 'kubernetes.io/service-account-token' }));
  const data = await eventually('token filled in', () => {
    const d = (JSON.parse(admin(['get', 'secret', 'builder-token', '-o', 'json'])) as { data?: Record<string, string> }).data ?? {};
    assert.ok(d.token && d['ca.crt'] && d.namespace);
    return d;
  });
  const token = Buffer.from(data.token ?? '', 'base64').toString();
  assert.equal(Buffer.from(data.namespace ?? '', 'base64').toString(), 'default');
  assert.equal((review(token).user as { username: string }).username, 'system:serviceaccount:default:builder');
  assert.doesNotMatch(asToken(token, ['get', '--raw', '/api']).stderr, /Unauthorized/);
  admin(['delete', 'secret', 'builder-token']);
  await eventually('the token of the deleted Secret refused', () => assert.equal(review(token).error, '[invalid bearer token, Token has been invalidated]'), 10_000);
});

test('OIDC discovery documents', () => {
  const config = JSON.parse(admin(['get', '--raw', '/.well-known/openid-configuration'])) as Record<string, unknown>;
  assert.equal(config.issuer, 'https://kubernetes.default.svc.cluster.local');
  assert.equal(config.jwks_uri, `https://127.0.0.1:${s.port}/openid/v1/jwks`);
  const jwks = JSON.parse(admin(['get', '--raw', '/openid/v1/jwks'])) as { keys: { alg: string; kid: string }[] };
  const token = admin(['create', 'token', 'default']).trim();
  const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string; alg: string };
  assert.deepEqual([jwks.keys[0]?.alg, jwks.keys[0]?.kid], [header.alg, header.kid]);
});
