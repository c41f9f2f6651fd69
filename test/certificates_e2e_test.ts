// Adding a user the standard way, with real openssl and kubectl: a CSR for the
// kube-apiserver-client signer, `kubectl certificate approve`, a kubeconfig with the issued
// certificate, and requests that authenticate as that user.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { startServer, kubectl, kubectlOk, REPO, type TestServer } from './harness.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

const k = (args: string[], input?: string): string => kubectlOk('kubectl', server.kubeconfig, args, input === undefined ? {} : { input });

/** newRequest makes an RSA key and a CSR with openssl, as the Kubernetes docs show. */
function newRequest(name: string, subject: string): { key: string; csr: string } {
  const key = join(server.dir, `${name}.key`);
  const csr = join(server.dir, `${name}.csr`);
  execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', subject], { stdio: 'ignore' });
  return { key, csr };
}

function csrManifest(name: string, csrFile: string, extra = ''): string {
  return `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata:
  name: ${name}
spec:
  request: ${readFileSync(csrFile).toString('base64')}
  signerName: kubernetes.io/kube-apiserver-client
  usages: [client auth]
${extra}`;
}

async function waitForCertificate(name: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const b64 = k(['get', 'csr', name, '-o', 'jsonpath={.status.certificate}']).trim();
    if (b64) return Buffer.from(b64, 'base64').toString();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no certificate issued for ${name}`);
}

test('openssl CSR → kubectl certificate approve → kubeconfig → requests authenticate as the user', async () => {
  const { key, csr } = newRequest('alice', '/CN=alice/O=dev');
  k(['apply', '-f', '-'], csrManifest('alice', csr, '  expirationSeconds: 86400\n'));
  const pending = k(['get', 'csr', 'alice']);
  assert.match(pending, /^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION$/m);
  assert.match(pending, /^alice\s+\S+\s+kubernetes.io\/kube-apiserver-client\s+system:admin\s+24h\s+Pending$/m);
  assert.match(k(['certificate', 'approve', 'alice']), /certificatesigningrequest.certificates.k8s.io\/alice approved/);
  const certPem = await waitForCertificate('alice');
  assert.match(k(['get', 'csr', 'alice']), /Approved,Issued/);
  const cert = new X509Certificate(certPem);
  assert.match(cert.subject, /CN=alice/);
  const certFile = join(server.dir, 'alice.crt');
  writeFileSync(certFile, certPem);

  // The kubeconfig as the docs build it: the admin's cluster entry, the new user's credentials.
  const kc = join(server.dir, 'alice.kubeconfig');
  writeFileSync(kc, readFileSync(server.kubeconfig));
  kubectlOk('kubectl', kc, ['config', 'set-credentials', 'alice', `--client-key=${key}`, `--client-certificate=${certFile}`, '--embed-certs=true']);
  const cluster = kubectlOk('kubectl', kc, ['config', 'view', '-o', 'jsonpath={.clusters[0].name}']).trim();
  kubectlOk('kubectl', kc, ['config', 'set-context', 'alice', `--cluster=${cluster}`, '--user=alice']);
  kubectlOk('kubectl', kc, ['config', 'use-context', 'alice']);
  assert.match(kubectlOk('kubectl', kc, ['get', '--raw', '/version']), /"gitVersion"/);
  const ns = kubectl('kubectl', kc, ['get', 'namespaces']);
  // Authenticated as alice: allowed (no authorization yet) or refused by name, never 401.
  if (ns.code !== 0) assert.match(ns.stderr, /User "alice" cannot list resource "namespaces"/);
  assert.doesNotMatch(ns.stderr, /Unauthorized|must be logged in/);
});

test('kubectl certificate deny; Approved and Denied exclude each other; spec is immutable', async () => {
  const { csr } = newRequest('bob', '/CN=bob');
  k(['apply', '-f', '-'], csrManifest('bob', csr));
  assert.match(k(['certificate', 'deny', 'bob']), /certificatesigningrequest.certificates.k8s.io\/bob denied/);
  assert.match(k(['get', 'csr', 'bob']), /^bob\s+\S+\s+\S+\s+system:admin\s+<none>\s+Denied$/m);
  // kubectl refuses to approve a denied request itself; the API server refuses it too.
  assert.match(kubectl('kubectl', server.kubeconfig, ['certificate', 'approve', 'bob']).stderr, /is already Denied/);
  const denied = JSON.parse(k(['get', 'csr', 'bob', '-o', 'json'])) as { status: { conditions: object[] } };
  denied.status.conditions.push({ type: 'Approved', status: 'True', reason: 'Sneaky' });
  const both = kubectl('kubectl', server.kubeconfig, ['replace', '--raw', '/apis/certificates.k8s.io/v1/certificatesigningrequests/bob/approval', '-f', '-'], { input: JSON.stringify(denied) });
  assert.notEqual(both.code, 0);
  assert.match(both.stderr + both.stdout, /Approved and Denied conditions are mutually exclusive/);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(k(['get', 'csr', 'bob', '-o', 'jsonpath={.status.certificate}']), '', 'a denied request is never signed');
  // A changed spec is ignored on update, as kube-apiserver does.
  k(['patch', 'csr', 'bob', '--type=merge', '-p', '{"spec":{"signerName":"example.com/other"}}']);
  assert.equal(k(['get', 'csr', 'bob', '-o', 'jsonpath={.spec.signerName}']), 'kubernetes.io/kube-apiserver-client');
});

test('bad requests are refused with kube-apiserver\'s messages', () => {
  const bad = kubectl('kubectl', server.kubeconfig, ['apply', '-f', '-'], {
    input: `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata: {name: junk}
spec:
  request: ${Buffer.from('not a csr').toString('base64')}
  signerName: kubernetes.io/kube-apiserver-client
  usages: [client auth]
  expirationSeconds: 60
`,
  });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /spec.request: Invalid value: .*PEM block type must be CERTIFICATE REQUEST/);
  assert.match(bad.stderr, /spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds \(10 minutes\)/);
  const { csr } = newRequest('root', '/CN=root/O=system:masters');
  const masters = kubectl('kubectl', server.kubeconfig, ['apply', '-f', '-'], { input: csrManifest('root', csr) });
  assert.match(masters.stderr, /use of kubernetes.io\/kube-apiserver-client signer with system:masters group is not allowed/);
});

const skiff = (args: string[]): { code: number; out: string } => {
  try {
    return { code: 0, out: execFileSync(process.execPath, [join(REPO, 'bin', 'skiff'), ...args], { encoding: 'utf8', timeout: 30_000 }) };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return { code: err.status ?? -1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
};

test('skiff certificate check and rotate on a stopped server; the next start issues new certificates', async () => {
  await server.stop();
  const dataDir = join(server.dir, 'data');
  const table = skiff(['certificate', 'check', '--output', 'table', '--data-dir', dataDir]);
  assert.equal(table.code, 0, table.out);
  assert.match(table.out, /^FILENAME\s+SUBJECT\s+USAGES\s+EXPIRES\s+RESIDUAL TIME\s+STATUS$/m);
  assert.match(table.out, /^server\/tls\/client-admin.crt\s+system:admin\s+ClientAuth\s+\S+\s+1 year\s+OK$/m);
  assert.match(table.out, /^server\/tls\/server-ca.crt\s+skiff-server-ca@\d+\s+CertSign\s+\S+\s+10 years\s+OK$/m);
  assert.match(skiff(['certificate', 'check', '--data-dir', dataDir, '--service', 'api-server']).out, /^server\/tls\/serving-kube-apiserver.crt: certificate kube-apiserver is ok, expires at /m);
  const oldAdmin = readFileSync(join(dataDir, 'server', 'tls', 'client-admin.crt'), 'utf8');
  const rotated = skiff(['certificate', 'rotate', '--service', 'admin', '--data-dir', dataDir]);
  assert.equal(rotated.code, 0, rotated.out);
  const backup = /backed up the certificates to (\S+)/.exec(rotated.out)?.[1] ?? '';
  assert.match(backup, /server\/tls-\d+$/);
  assert.equal(readFileSync(join(backup, 'client-admin.crt'), 'utf8'), oldAdmin);
  assert.ok(!existsSync(join(dataDir, 'server', 'tls', 'client-admin.crt')));
  assert.match(skiff(['certificate', 'rotate', '--service', 'etcd', '--data-dir', dataDir]).out, /unknown --service "etcd"/);
  server = await startServer([], server.dir);
  const newAdmin = readFileSync(join(dataDir, 'server', 'tls', 'client-admin.crt'), 'utf8');
  assert.notEqual(newAdmin, oldAdmin);
  assert.match(k(['get', 'csr']), /^alice\s/m, 'the new admin certificate works');
});
