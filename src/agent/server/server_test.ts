import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../api/types.js';
import { silentLogger } from '../../lib/log.js';
import type { AttachRequest, ExecRequest } from '../cri/types.js';
import { KubeletServer } from './server.js';
import { criLogPath, type StreamingRuntime } from './types.js';
import { rawExchange, startUpgradeServer, testPki, type TestPki, type UpgradeServer } from './server_test_helper.js';

const running = { running: { startedAt: '2024-01-02T03:04:05Z' } };
const pods: Record<string, KubeObject> = {
  web: {
    metadata: { namespace: 'default', name: 'web', uid: 'u1' },
    spec: { containers: [{ name: 'nginx' }, { name: 'side' }, { name: 'new' }] },
    status: {
      containerStatuses: [
        { name: 'nginx', restartCount: 1, containerID: 'containerd://c2', state: running, lastState: { terminated: { exitCode: 1, containerID: 'containerd://c1' } } },
        { name: 'side', restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} },
      ],
    },
  },
};

let pki: TestPki;
let dir: string;
let upstream: UpgradeServer;
let kubelet: KubeletServer;
let port: number;
const calls: (ExecRequest | AttachRequest | { ports: number[] })[] = [];

before(async () => {
  pki = await testPki();
  dir = mkdtempSync(join(tmpdir(), 'skiff-kubelet-'));
  upstream = await startUpgradeServer();
  const runtime: StreamingRuntime = {
    exec: async (req) => (calls.push(req), `http://127.0.0.1:${upstream.port}/exec/tok1`),
    attach: async (req) => (calls.push(req), `http://127.0.0.1:${upstream.port}/attach/tok2`),
    portForward: async (_pod, ports) => (calls.push({ ports }), `http://127.0.0.1:${upstream.port}/portforward/tok3`),
    logPath: (pod, c, n) => criLogPath(dir, pod, c, n),
  };
  for (const [n, text] of [[0, 'first run'], [1, 'second run']] as const) {
    const p = criLogPath(dir, pods.web!, 'nginx', n);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, `2024-01-02T03:04:05.5Z stdout F ${text}\n2024-01-02T03:04:06Z stderr F ${text} err\n`);
  }
  kubelet = new KubeletServer({ bindAddress: '127.0.0.1', port: 0, tls: { ...pki.serving, clientCaPem: pki.clientCaPem }, pods: async (ns, name) => (ns === 'default' ? pods[name] : undefined), runtime, logger: silentLogger });
  port = await kubelet.start();
});

after(async () => {
  await kubelet.stop();
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, cert: { certPem: string; keyPem: string } | null = pki.client): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsGet({ host: '127.0.0.1', port, path, ca: pki.serving.caPem, agent: false, ...(cert ? { cert: cert.certPem, key: cert.keyPem } : {}) }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

test('the kubelet API requires a client certificate from the cluster client CA', async () => {
  assert.deepEqual(await get('/healthz', null), { code: 401, body: 'Unauthorized' });
  assert.deepEqual(await get('/healthz', pki.stranger), { code: 401, body: 'Unauthorized' });
  assert.deepEqual(await get('/healthz'), { code: 200, body: 'ok' });
  const up = await rawExchange(port, undefined, 'POST /exec/default/web/nginx?command=ls&output=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n', { until: (g) => g.includes('Unauthorized') });
  assert.match(up, /^HTTP\/1.1 401/);
});

test('containerLogs serves the CRI log of the current or previous run, with the kubelet errors', async () => {
  const cases: [string, number, string][] = [
    ['/containerLogs/default/web/nginx', 200, 'second run\nsecond run err\n'],
    ['/containerLogs/default/web/nginx?previous=true', 200, 'first run\nfirst run err\n'],
    ['/containerLogs/default/web/nginx?tailLines=1&timestamps=true', 200, '2024-01-02T03:04:06.000000000Z second run err\n'],
    ['/containerLogs/default/web/nginx?limitBytes=4', 200, 'seco'],
    ['/containerLogs/default/web/nginx?sinceTime=2024-01-02T03:04:06Z', 200, 'second run err\n'],
    ['/containerLogs/default/web/side', 400, 'container "side" in pod "web" is waiting to start: ContainerCreating'],
    ['/containerLogs/default/web/side?previous=true', 400, 'previous terminated container "side" in pod "web" not found'],
    ['/containerLogs/default/web/new', 400, 'container "new" in pod "web" is not available'],
    ['/containerLogs/default/web/nope', 404, 'container "nope" not found in pod "web"'],
    ['/containerLogs/default/gone/nginx', 404, 'pod "gone" does not exist'],
    ['/containerLogs/default/web/nginx?follow=maybe', 400, 'Unable to decode query.'],
  ];
  for (const [path, code, body] of cases) assert.deepEqual(await get(path), { code, body }, path);
});

test('exec is proxied to the runtime streaming URL: 101 then bytes both ways', async () => {
  calls.length = 0;
  const req = 'POST /exec/default/web/nginx?command=echo&command=hi&input=1&output=1&error=1&tty=1 HTTP/1.1\r\nHost: 10.0.0.1:10250\r\nAuthorization: Bearer secret\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n';
  const got = await rawExchange(port, pki.client, req, { after: 'ping-from-client', until: (g) => g.includes('ping-from-client') });
  assert.match(got, /^HTTP\/1.1 101 Switching Protocols\r\n/);
  assert.ok(got.endsWith('ping-from-client'));
  // tty merges stderr into stdout, as the kubelet does.
  assert.deepEqual(calls, [{ containerId: 'c2', cmd: ['echo', 'hi'], stdin: true, stdout: true, stderr: false, tty: true }]);
  const head = upstream.heads.at(-1)!;
  assert.match(head, /^POST \/exec\/tok1 HTTP\/1.1\r\nHost: 127.0.0.1:\d+\r\n/);
  assert.match(head, /X-Stream-Protocol-Version: v4.channel.k8s.io/);
  assert.doesNotMatch(head, /Authorization/);
});

test('attach and portForward reach the runtime; unknown containers and plain requests are refused', async () => {
  calls.length = 0;
  const up = (path: string, extra = ''): Promise<string> =>
    rawExchange(port, pki.client, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n${extra}\r\n`, { until: (g) => g.includes('\r\n\r\n') && (g.startsWith('HTTP/1.1 101') || g.endsWith('"') || g.endsWith(')') || g.endsWith(']')) });
  assert.match(await up('/attach/default/web/nginx?output=1'), /^HTTP\/1.1 101/);
  assert.match(await up('/portForward/default/web?port=80,8080'), /^HTTP\/1.1 101/);
  assert.deepEqual(calls, [{ containerId: 'c2', stdin: false, stdout: true, stderr: false, tty: false }, { ports: [80, 8080] }]);
  assert.match(await up('/exec/default/web/side?command=ls&output=1'), /^HTTP\/1.1 500 [^]*container not found \("side"\)$/);
  assert.match(await up('/exec/default/web/nginx?command=ls'), /^HTTP\/1.1 400 [^]*you must specify at least 1 of stdin, stdout, stderr/);
  assert.deepEqual(await get('/exec/default/web/nginx?command=ls&output=1'), { code: 400, body: 'Upgrade request required' });
});

test('WebSocket upgrades offering only protocols the runtime lacks get 403 (clients fall back to SPDY)', async () => {
  const ws = (protocols: string): string =>
    `GET /exec/default/web/nginx?command=ls&output=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: ${protocols}\r\n\r\n`;
  const refused = await rawExchange(port, pki.client, ws('v5.channel.k8s.io'), { until: (g) => g.includes(']; supports [') && g.endsWith(']') });
  assert.match(refused, /^HTTP\/1.1 403 Forbidden/);
  assert.match(refused, /requested protocol\(s\) are not supported: \[v5.channel.k8s.io\]/);
  const accepted = await rawExchange(port, pki.client, ws('v4.channel.k8s.io, v5.channel.k8s.io'), { until: (g) => g.includes('\r\n\r\n') });
  assert.match(accepted, /^HTTP\/1.1 101/);
});
