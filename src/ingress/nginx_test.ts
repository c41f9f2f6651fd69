// The ingress against a real nginx on loopback: routing, TLS by SNI, WebSocket, keep-alive and
// reloads that leave requests in flight alone. Skipped where nginx is not installed.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../api/types.js';
import type { EventHandlers } from '../client/informer.js';
import { realClock } from '../lib/clock.js';
import { silentLogger } from '../lib/log.js';
import { createCA, issueServingCert } from '../pki/index.js';
import { startIngress, type RunningIngress } from './controller.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

/** Source is an in-memory stand-in for an informer. */
class Source {
  private items = new Map<string, KubeObject>();
  private handlers: EventHandlers[] = [];
  constructor(objs: KubeObject[] = []) {
    for (const o of objs) this.items.set(this.key(o), o);
  }
  private key(o: KubeObject): string {
    return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : String(o.metadata.name);
  }
  list(ns?: string): KubeObject[] {
    return [...this.items.values()].filter((o) => ns === undefined || o.metadata.namespace === ns);
  }
  get(k: string): KubeObject | undefined {
    return this.items.get(k);
  }
  addHandlers(h: EventHandlers): void {
    this.handlers.push(h);
  }
  async waitForSync(): Promise<void> {}
  set(o: KubeObject): void {
    const old = this.items.get(this.key(o));
    this.items.set(this.key(o), o);
    for (const h of this.handlers) {
      if (old) h.onUpdate?.(old, o);
      else h.onAdd?.(o);
    }
  }
  delete(o: KubeObject): void {
    this.items.delete(this.key(o));
    for (const h of this.handlers) h.onDelete?.(o);
  }
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

const service = (name: string, port: number): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'd' }, spec: { ports: [{ name: 'http', port: 80, targetPort: port, protocol: 'TCP' }] } });
const slice = (svc: string, port: number, ready = true): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${svc}-1`, namespace: 'd', labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  ports: [{ name: 'http', port, protocol: 'TCP' }],
  endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready } }],
});
const path = (p: string, pathType: string, svc: string) => ({ path: p, pathType, backend: { service: { name: svc, port: { number: 80 } } } });
const ingress = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'd', creationTimestamp: '2026-01-01T00:00:00Z' }, spec });

interface Reply {
  status: number;
  body: string;
}

function get(port: number, host: string, urlPath = '/'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers: { host }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  let last = '';
  for (let i = 0; i < 100; i++) {
    try {
      if (await check()) return;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${what} did not happen in 5 s ${last}`);
}

describe('ingress on a real nginx', { skip: NGINX ? false : 'nginx not installed (Debian nginx-light)' }, () => {
  let dir = '';
  let httpPort = 0;
  let httpsPort = 0;
  const backends: http.Server[] = [];
  const ports: Record<string, number> = {};
  const sockets = new Set<string>();
  let ingress$: RunningIngress;
  const ingresses = new Source();
  const services = new Source();
  const slices = new Source();
  const secrets = new Source();
  let caPem = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-ingress-'));
    httpPort = await freePort();
    httpsPort = await freePort();
    for (const name of ['web', 'api', 'slow']) {
      const srv = http.createServer((req, res) => {
        sockets.add(`${name} ${req.socket.remotePort}`);
        const reply = (): void => {
          res.setHeader('content-type', 'text/plain');
          res.end(`${name} ${req.url} host=${req.headers.host} xff=${req.headers['x-forwarded-for'] ?? ''} proto=${req.headers['x-forwarded-proto'] ?? ''}`);
        };
        if (name === 'slow') setTimeout(reply, 1500);
        else reply();
      });
      srv.on('upgrade', (req, socket) => {
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
        socket.on('data', (d: Buffer) => socket.write(`echo:${d.toString()}`));
      });
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
      ports[name] = (srv.address() as AddressInfo).port;
      backends.push(srv);
      services.set(service(name, ports[name]!));
      slices.set(slice(name, ports[name]!));
    }
    services.set(service('down', 1));
    slices.set(slice('down', 1, false));
    const ca = await createCA('ingress-test', realClock);
    caPem = ca.certPem;
    const leaf = await issueServingCert(ca, { commonName: 'secure.example', dnsNames: ['secure.example'] });
    secrets.set({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'd' }, type: 'kubernetes.io/tls', data: { 'tls.crt': Buffer.from(leaf.certPem).toString('base64'), 'tls.key': Buffer.from(leaf.keyPem).toString('base64') } });
    ingresses.set(ingress('main', {
      rules: [
        { host: 'www.example', http: { paths: [path('/', 'Prefix', 'web'), path('/api', 'Prefix', 'api'), path('/exact', 'Exact', 'api'), path('/slow', 'Prefix', 'slow'), path('/down', 'Prefix', 'down')] } },
        { host: '*.wild.example', http: { paths: [path('/', 'Prefix', 'api')] } },
        { host: 'secure.example', http: { paths: [path('/', 'ImplementationSpecific', 'web')] } },
      ],
      tls: [{ hosts: ['secure.example'], secretName: 'tls' }],
    }));
    ingress$ = await startIngress({ ingresses, ingressClasses: new Source(), services, endpointSlices: slices, secrets, nodeName: 'n1', listenIP: '127.0.0.1', httpPort, httpsPort, dir, nginxBinary: NGINX!, logger: silentLogger });
    await ingress$.flush();
    await eventually('nginx answers', async () => (await get(httpPort, 'www.example')).status === 200);
  });

  after(async () => {
    await ingress$?.stop();
    for (const b of backends) b.closeAllConnections();
    for (const b of backends) b.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('routes by host and path with the path types of upstream', async () => {
    assert.match((await get(httpPort, 'www.example', '/')).body, /^web \/ host=www\.example/);
    assert.match((await get(httpPort, 'www.example', '/api')).body, /^api \/api /);
    assert.match((await get(httpPort, 'www.example', '/api/v1')).body, /^api \/api\/v1 /);
    assert.match((await get(httpPort, 'www.example', '/apis')).body, /^web /, 'Prefix matches whole path elements');
    assert.match((await get(httpPort, 'www.example', '/exact')).body, /^api /);
    assert.match((await get(httpPort, 'www.example', '/exact/more')).body, /^web /, 'Exact is one path only');
    assert.match((await get(httpPort, 'a.wild.example', '/x')).body, /^api \/x host=a\.wild\.example/);
    assert.equal((await get(httpPort, 'a.b.wild.example')).status, 404, 'a wildcard covers one label');
  });

  it('answers 404 for an unknown host and 503 for a backend without ready endpoints', async () => {
    const unknown = await get(httpPort, 'nobody.example');
    assert.equal(unknown.status, 404);
    assert.match(unknown.body, /404 page not found/);
    assert.equal((await get(httpPort, 'www.example', '/down')).status, 503);
  });

  it('passes the client address and scheme on', async () => {
    assert.match((await get(httpPort, 'www.example')).body, /xff=127\.0\.0\.1 proto=http$/);
  });

  it('serves TLS chosen by SNI from the kubernetes.io/tls Secret', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      https.get({ host: '127.0.0.1', port: httpsPort, servername: 'secure.example', headers: { host: 'secure.example' }, ca: caPem, agent: false }, (res) => {
        let b = '';
        res.on('data', (c: Buffer) => (b += c.toString()));
        res.on('end', () => resolve(b));
      }).on('error', reject);
    });
    assert.match(body, /^web \/ host=secure\.example .*proto=https$/);
    await assert.rejects(new Promise((resolve, reject) => {
      https.get({ host: '127.0.0.1', port: httpsPort, servername: 'other.example', rejectUnauthorized: false, agent: false }, resolve).on('error', reject);
    }), 'an unknown name gets no certificate');
  });

  it('upgrades WebSocket connections', async () => {
    const echoed = await new Promise<string>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: httpPort, path: '/ws', headers: { host: 'www.example', connection: 'Upgrade', upgrade: 'websocket' }, agent: false });
      req.on('upgrade', (res, socket) => {
        assert.equal(res.statusCode, 101);
        socket.once('data', (d: Buffer) => {
          resolve(d.toString());
          socket.destroy();
        });
        socket.write('ping');
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(echoed, 'echo:ping');
  });

  it('keeps connections to backends alive across requests', async () => {
    sockets.clear();
    for (let i = 0; i < 10; i++) await get(httpPort, 'www.example', '/api');
    const used = [...sockets].filter((s) => s.startsWith('api '));
    assert.ok(used.length < 10, `10 requests used ${used.length} backend connections`);
  });

  it('applies a change without dropping a request in flight', async () => {
    const slow = get(httpPort, 'www.example', '/slow');
    await new Promise((r) => setTimeout(r, 200));
    ingresses.set(ingress('more', { rules: [{ host: 'new.example', http: { paths: [path('/', 'Prefix', 'api')] } }] }));
    await ingress$.flush();
    await eventually('the new host is served', async () => (await get(httpPort, 'new.example')).status === 200);
    const r = await slow;
    assert.equal(r.status, 200);
    assert.match(r.body, /^slow /);
    ingresses.delete(ingress('more', {}));
    await ingress$.flush();
    await eventually('the removed host is gone', async () => (await get(httpPort, 'new.example')).status === 404);
  });

  it('answers 503 while a backend has no ready endpoint and recovers when one is back', async () => {
    slices.set(slice('web', ports['web']!, false));
    await ingress$.flush();
    await eventually('503 without ready endpoints', async () => (await get(httpPort, 'www.example')).status === 503);
    slices.set(slice('web', ports['web']!));
    await ingress$.flush();
    await eventually('200 again', async () => (await get(httpPort, 'www.example')).status === 200);
  });
});
