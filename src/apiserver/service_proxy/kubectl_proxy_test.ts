import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKubeconfig } from '../../pki/index.js';
import { startBackend, startProxyApi, type Backend, type ProxyApi } from './service_proxy_test_helper.js';

let api: ProxyApi;
let backend: Backend;
let dir: string;
let proxy: ChildProcess | undefined;
let proxyPort = 0;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function fetchText(url: string): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

before(async () => {
  api = await startProxyApi();
  backend = await startBackend('web');
  const create = (resource: string, namespace: string, body: object): Promise<unknown> => api.client.request({ verb: 'create', group: '', version: 'v1', resource, namespace, body });
  await create('namespaces', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  await create('pods', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  await api.client.request({ verb: 'patch', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'web-1', subresource: 'status', patchType: 'merge', body: { status: { podIP: '10.42.0.7', podIPs: [{ ip: '10.42.0.7' }] } } });
  await create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } });
  await create('endpoints', 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.42.0.7', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1' } }], ports: [{ port: backend.port }] }] });
  dir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-proxy-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, buildKubeconfig({ server: `https://127.0.0.1:${api.port}`, caPem: api.serverCA.certPem, clientCertPem: api.admin.certPem, clientKeyPem: api.admin.keyPem }));
  proxyPort = await freePort();
  const child = spawn('kubectl', ['proxy', `--port=${proxyPort}`, '--address=127.0.0.1', `--kubeconfig=${kubeconfig}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  proxy = child;
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('kubectl proxy did not start in 15 s')), 15_000);
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('Starting to serve')) {
        clearTimeout(t);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`kubectl proxy exited with ${code}`)));
  });
});

after(async () => {
  if (proxy && proxy.exitCode === null) {
    const exited = new Promise((r) => proxy?.once('exit', r));
    proxy.kill('SIGTERM');
    await exited;
  }
  await api.stop();
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

test('kubectl proxy reaches a Service through services/NAME/proxy', async () => {
  const r = await fetchText(`http://127.0.0.1:${proxyPort}/api/v1/namespaces/default/services/web/proxy/hello?x=1`);
  assert.equal(r.code, 200);
  assert.deepEqual(JSON.parse(r.body), { label: 'web', method: 'GET', url: '/hello?x=1', body: '' });
  const byPort = await fetchText(`http://127.0.0.1:${proxyPort}/api/v1/namespaces/default/services/http:web:80/proxy/`);
  assert.equal((JSON.parse(byPort.body) as { url: string }).url, '/');
});
