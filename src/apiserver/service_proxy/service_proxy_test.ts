import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { startFakeKubelet, type FakeKubelet } from '../node_proxy/node_proxy_test_helper.js';
import { startBackend, startProxyApi, type Backend, type ProxyApi } from './service_proxy_test_helper.js';

let api: ProxyApi;
let a: Backend;
let b: Backend;
let kubelet: FakeKubelet;
let closedPort = 0;

const create = (resource: string, namespace: string, body: object): Promise<unknown> => api.client.request({ verb: 'create', group: '', version: 'v1', resource, namespace, body });

async function pod(name: string, ip: string, containerPort?: number): Promise<void> {
  const ports = containerPort ? [{ containerPort }] : [];
  await create('pods', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox', ports }] } });
  await api.client.request({ verb: 'patch', group: '', version: 'v1', resource: 'pods', namespace: 'default', name, subresource: 'status', patchType: 'merge', body: { status: { podIP: ip, podIPs: [{ ip }] } } });
}

function endpoints(name: string, subsets: object[]): object {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name }, subsets };
}

const podRef = (name: string): object => ({ kind: 'Pod', namespace: 'default', name });

before(async () => {
  api = await startProxyApi();
  a = await startBackend('a');
  b = await startBackend('b');
  const spare = await startBackend('closed');
  closedPort = spare.port;
  await spare.close();
  kubelet = await startFakeKubelet(api.clientCA.certPem);
  await create('namespaces', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  await pod('pod-a', '10.42.0.10', a.port);
  await pod('pod-loopback', '127.0.0.1', a.port);
  await create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80 }, { name: 'other', port: 81 }] } });
  await create('endpoints', 'default', endpoints('web', [{ addresses: [{ ip: '10.42.0.10', targetRef: podRef('pod-a') }], ports: [{ name: 'http', port: a.port }, { name: 'other', port: b.port }] }]));
  await create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'empty' }, spec: { ports: [{ port: 80 }] } });
  await create('endpoints', 'default', endpoints('empty', []));
  await create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'nopod' }, spec: { ports: [{ port: 80 }] } });
  await create('endpoints', 'default', endpoints('nopod', [{ addresses: [{ ip: '10.42.0.10' }], ports: [{ port: a.port }] }]));
  await create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'down' }, spec: { ports: [{ port: 80 }] } });
  await create('endpoints', 'default', endpoints('down', [{ addresses: [{ ip: '10.42.0.10', targetRef: podRef('pod-a') }], ports: [{ port: closedPort }] }]));
  await create('nodes', '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } } });
});

after(async () => {
  await api.stop();
  await a.close();
  await b.close();
  await kubelet.close();
});

interface Answer {
  code: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(method: string, path: string, body = '', headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port: api.port, method, path, headers, ca: api.serverCA.certPem, cert: api.admin.certPem, key: api.admin.keyPem, agent: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = (r: Answer): Record<string, unknown> => JSON.parse(r.body) as Record<string, unknown>;
const SVC = '/api/v1/namespaces/default/services';

test('services/NAME:PORTNAME/proxy passes method, path, query and body to an endpoint', async () => {
  const r = await call('POST', `${SVC}/web:http/proxy/a/b%20c/?q=1&q=2`, 'hello', { 'X-Custom': 'v', Authorization: 'Bearer secret' });
  assert.equal(r.code, 200);
  assert.deepEqual(json(r), { label: 'a', method: 'POST', url: '/a/b%20c/?q=1&q=2', body: 'hello' });
  const seen = a.seen.at(-1);
  assert.equal(seen?.headers['x-custom'], 'v');
  assert.equal(seen?.headers.authorization, undefined);
  assert.equal(seen?.headers['x-forwarded-uri'], `${SVC}/web:http/proxy/a/b%20c/`);
  assert.equal(seen?.headers['x-forwarded-for'], '127.0.0.1');
});

test('a port number selects the Service port of that number', async () => {
  assert.equal(json(await call('GET', `${SVC}/web:81/proxy/`)).label, 'b');
  assert.equal(json(await call('DELETE', `${SVC}/web:80/proxy/x`)).method, 'DELETE');
  const r = await call('GET', `${SVC}/web:82/proxy/`);
  assert.equal(r.code, 503);
  assert.equal(json(r).message, 'no service port 82 found for service "web"');
});

test('.../proxy without a slash redirects to .../proxy/', async () => {
  const r = await call('GET', `${SVC}/web:http/proxy?x=1`);
  assert.equal(r.code, 301);
  assert.equal(r.headers.location, `${SVC}/web:http/proxy/?x=1`);
});

test('a redirect to the backend itself is rewritten under the proxy path', async () => {
  const r = await call('GET', `${SVC}/web:http/proxy/redirect`);
  assert.equal(r.code, 302);
  assert.equal(r.headers.location, `${SVC}/web:http/proxy/target/?x=1`);
  // The backend saw the client's Host, so its absolute URL keeps that host (as upstream's rewriteURL).
  const abs = await call('GET', `${SVC}/web:http/proxy/redirect-absolute`);
  assert.equal(abs.headers.location, `http://127.0.0.1:${api.port}${SVC}/web:http/proxy/target`);
});

test('hop-by-hop and CORS answer headers are dropped', async () => {
  const r = await call('GET', `${SVC}/web:http/proxy/cors`);
  assert.equal(r.body, 'cors');
  assert.equal(r.headers['x-kept'], 'yes');
  assert.equal(r.headers['access-control-allow-origin'], undefined);
  assert.equal(r.headers['x-hop'], undefined);
});

test('Services without usable endpoints answer 503 as kube-apiserver', async () => {
  const empty = await call('GET', `${SVC}/empty/proxy/`);
  assert.equal(empty.code, 503);
  assert.equal(json(empty).message, 'no endpoints available for service "empty"');
  assert.equal(json(empty).reason, 'ServiceUnavailable');
  // An address that is no pod's IP is never proxied to.
  assert.equal(json(await call('GET', `${SVC}/nopod/proxy/`)).message, 'no endpoints available for service "nopod"');
  const down = await call('GET', `${SVC}/down/proxy/`);
  assert.equal(down.code, 503);
  assert.equal(json(down).message, `error trying to reach service: dial tcp 10.42.0.10:${closedPort}: connect: connection refused`);
  assert.equal((await call('GET', `${SVC}/missing/proxy/`)).code, 404);
  assert.equal((await call('GET', `${SVC}/a:b:c:d/proxy/`)).code, 400);
});

test('pods/NAME[:PORT]/proxy reaches the pod IP (first container port by default)', async () => {
  const r = await call('PUT', `/api/v1/namespaces/default/pods/pod-a/proxy/put`, 'body');
  assert.deepEqual(json(r), { label: 'a', method: 'PUT', url: '/put', body: 'body' });
  assert.equal(json(await call('GET', `/api/v1/namespaces/default/pods/http:pod-a:${b.port}/proxy/x`)).label, 'b');
});

test('nodes/NAME/proxy reaches the kubelet with the kubelet client certificate; other ports plainly', async () => {
  kubelet.logBody = 'kubelet says hi';
  const r = await call('GET', '/api/v1/nodes/node-1/proxy/configz');
  assert.equal(r.body, 'kubelet says hi');
  assert.deepEqual([kubelet.seen.at(-1)?.url, kubelet.seen.at(-1)?.user], ['/configz', 'system:kube-apiserver-kubelet-client']);
  assert.equal(json(await call('GET', `/api/v1/nodes/node-1:${a.port}/proxy/metrics`)).url, '/metrics');
});

test('pods on addresses that are not global unicast are refused', async () => {
  const r = await call('GET', '/api/v1/namespaces/default/pods/pod-loopback/proxy/');
  assert.equal(r.code, 400);
  assert.equal(json(r).message, 'address not allowed');
});

test('upgrade requests are passed on and the connections spliced', async () => {
  const s = tlsConnect({ host: '127.0.0.1', port: api.port, ca: api.serverCA.certPem, cert: api.admin.certPem, key: api.admin.keyPem });
  s.setEncoding('utf8');
  let got = '';
  s.on('data', (d: string) => (got += d));
  await new Promise<void>((r) => s.once('secureConnect', () => r()));
  s.write(`GET ${SVC}/web:http/proxy/ws?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nAuthorization: Bearer secret\r\n\r\n`);
  const deadline = Date.now() + 3000;
  while (!got.includes('\r\n\r\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.match(got, /^HTTP\/1\.1 101 /);
  assert.match(got, /X-Url: \/ws\?x=1/);
  got = '';
  s.write('ping');
  while (!got.includes('ping') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(got, 'ping');
  s.destroy();
});
