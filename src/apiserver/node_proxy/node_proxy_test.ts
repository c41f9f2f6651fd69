import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { startTestCluster, type TestCluster } from './node_proxy_test_helper.js';

let c: TestCluster;
let dir: string;

before(async () => {
  c = await startTestCluster();
  dir = mkdtempSync(join(tmpdir(), 'skiff-nodeproxy-'));
  writeFileSync(join(dir, 'kubeconfig'), c.kubeconfig);
  const create = (resource: string, namespace: string, body: object): Promise<unknown> => c.client.request({ verb: 'create', group: '', version: 'v1', resource, namespace, body });
  await create('namespaces', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  await create('nodes', '', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1' },
    status: { addresses: [{ type: 'Hostname', address: 'node-1' }, { type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: c.kubelet.port } } },
  });
  const pod = (name: string, nodeName: string | undefined, containers: string[]): object => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { ...(nodeName ? { nodeName } : {}), containers: containers.map((n) => ({ name: n, image: 'busybox' })) },
  });
  await create('pods', 'default', pod('web', 'node-1', ['nginx']));
  await create('pods', 'default', pod('two', 'node-1', ['a', 'b']));
  await create('pods', 'default', pod('pending', undefined, ['nginx']));
});

after(async () => {
  await c.stop();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string): Promise<{ code: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port: c.port, path, ca: c.serverCaPem, cert: c.admin.certPem, key: c.admin.keyPem, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const message = (body: string): string => (JSON.parse(body) as { message: string }).message;

test('pods/log streams the kubelet containerLogs answer, with the options passed on', async () => {
  c.kubelet.logBody = 'hello\nworld\n';
  c.kubelet.seen.length = 0;
  const r = await get('/api/v1/namespaces/default/pods/web/log?follow=true&tailLines=5&timestamps=true&sinceSeconds=10');
  assert.deepEqual(r, { code: 200, type: 'text/plain', body: 'hello\nworld\n' });
  assert.equal(c.kubelet.seen[0]?.url, '/containerLogs/default/web/nginx?follow=true&timestamps=true&sinceSeconds=10&tailLines=5');
  assert.equal(c.kubelet.seen[0]?.user, 'system:kube-apiserver-kubelet-client');
  assert.equal(c.kubelet.seen[0]?.headers.authorization, undefined);
});

test('pods/log errors follow kube-apiserver', async () => {
  assert.deepEqual(await get('/api/v1/namespaces/default/pods/pending/log'), { code: 200, type: 'text/plain', body: '' });
  const cases: [string, number, string][] = [
    ['/api/v1/namespaces/default/pods/nope/log', 404, 'pods "nope" not found'],
    ['/api/v1/namespaces/default/pods/web/log?container=x', 400, 'container x is not valid for pod web'],
    ['/api/v1/namespaces/default/pods/two/log', 400, 'a container name must be specified for pod two, choose one of: [a b]'],
    ['/api/v1/namespaces/default/pods/web/log?tailLines=-1', 422, 'PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0'],
  ];
  for (const [path, code, msg] of cases) {
    const r = await get(path);
    assert.equal(r.code, code, path);
    assert.equal(message(r.body), msg, path);
  }
  c.kubelet.logError = { code: 400, text: 'container "nginx" in pod "web" is waiting to start: ContainerCreating' };
  const r = await get('/api/v1/namespaces/default/pods/web/log');
  delete c.kubelet.logError;
  assert.equal(r.code, 400);
  assert.deepEqual(JSON.parse(r.body), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'container "nginx" in pod "web" is waiting to start: ContainerCreating', reason: 'BadRequest', code: 400 });
});

/** upgrade sends a raw upgrade request to the API server and collects the answer (plus the echo of `after`). */
function upgrade(path: string, headers: string, after = ''): Promise<string> {
  return new Promise((resolve) => {
    const s = tlsConnect({ host: '127.0.0.1', port: c.port, ca: c.serverCaPem, cert: c.admin.certPem, key: c.admin.keyPem });
    let got = '';
    const finish = (): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(got);
    };
    const timer = setTimeout(finish, 5000);
    s.on('error', finish);
    s.on('close', finish);
    s.once('secureConnect', () => s.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n${headers}\r\n${after}`));
    s.on('data', (d: Buffer) => {
      got += d.toString();
      const head = got.indexOf('\r\n\r\n');
      if (head >= 0 && (!got.startsWith('HTTP/1.1 101') || got.slice(head + 4) === after)) finish();
    });
  });
}

test('pods/exec is forwarded to the kubelet as an upgrade and piped both ways', async () => {
  c.kubelet.seen.length = 0;
  const got = await upgrade('/api/v1/namespaces/default/pods/web/exec?command=echo&command=hi&stdin=true&stdout=true&tty=false', 'Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n', 'early-bytes');
  assert.match(got, /^HTTP\/1.1 101 Switching Protocols/);
  assert.ok(got.endsWith('\r\n\r\nearly-bytes'));
  const seen = c.kubelet.seen[0]!;
  assert.deepEqual([seen.method, seen.url, seen.user, seen.headers['x-stream-protocol-version']], ['POST', '/exec/default/web/nginx?input=1&output=1&command=echo&command=hi', 'system:kube-apiserver-kubelet-client', 'v4.channel.k8s.io']);
  const pf = await upgrade('/api/v1/namespaces/default/pods/web/portforward?ports=8080', 'Upgrade: SPDY/3.1\r\n');
  assert.match(pf, /^HTTP\/1.1 101/);
  assert.equal(c.kubelet.seen[1]?.url, '/portForward/default/web?port=8080');
});

test('pods/exec refusals: WebSocket v5 relayed, unbound pod, missing upgrade, bad container', async () => {
  const ws = await upgrade('/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true', 'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n');
  assert.match(ws, /^HTTP\/1.1 403 Forbidden/);
  const unbound = await upgrade('/api/v1/namespaces/default/pods/pending/exec?command=ls&stdout=true', 'Upgrade: SPDY/3.1\r\n');
  assert.match(unbound, /^HTTP\/1.1 400 [^]*"message":"pod pending does not have a host assigned"/);
  const bad = await upgrade('/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true&container=zz', 'Upgrade: SPDY/3.1\r\n');
  assert.match(bad, /^HTTP\/1.1 400 [^]*container zz is not valid for pod web/);
  const plain = await get('/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true');
  assert.equal(plain.code, 400);
  assert.equal(message(plain.body), 'Upgrade request required');
});

function kubectl(bin: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(bin, ['--kubeconfig', join(dir, 'kubeconfig'), ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

const KUBECTLS = [['1.32', '/usr/bin/kubectl'], ['1.20', '/usr/local/lib/skiff-test/kubectl-1.20']].filter(([, p]) => existsSync(p!));

test('real kubectl: logs through the chain; exec falls back from WebSocket to SPDY', { skip: KUBECTLS.length === 0 && 'no kubectl' }, async () => {
  c.kubelet.logBody = 'line one\nline two\n';
  for (const [version, bin] of KUBECTLS) {
    const logs = await kubectl(bin!, ['logs', 'web']);
    assert.deepEqual(logs, { code: 0, out: 'line one\nline two\n' }, version);
    c.kubelet.seen.length = 0;
    // The fake kubelet refuses this exec like a kubelet without the container: kubectl reports it.
    const exec = await kubectl(bin!, ['exec', 'web', '--', 'fail']);
    assert.equal(exec.code, 1, version);
    assert.match(exec.out, /container not found \("x"\)/, version);
    const kinds = c.kubelet.seen.map((s) => s.upgrade.toLowerCase());
    // kubectl ≥ 1.30 tries WebSocket (v5) first; the 403 makes it fall back to SPDY.
    assert.deepEqual(kinds, version === '1.20' ? ['spdy/3.1'] : ['websocket', 'spdy/3.1'], version);
  }
});
