// --max-mutating-requests-inflight as kube-apiserver applies it: past the limit a request gets 429
// with Retry-After at once; the admin (system:masters) and long-running requests are not counted.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, type RequestOptions } from 'node:https';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type TestServer } from './harness.js';
import { issueClientCert, loadCA } from '../src/pki/index.js';

const servers: TestServer[] = [];
after(async () => {
  for (const s of servers) {
    await s.stop();
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('past --max-mutating-requests-inflight a user gets 429 with Retry-After; the admin still gets through', async () => {
  const s = await startServer(['--max-mutating-requests-inflight', '1']);
  servers.push(s);
  const tls = join(s.dir, 'data', 'server', 'tls');
  const ca = await loadCA('client-ca', readFileSync(join(tls, 'client-ca.crt'), 'utf8'), readFileSync(join(tls, 'client-ca.key'), 'utf8'));
  const alice = await issueClientCert(ca, { commonName: 'alice', organizations: ['dev'] });
  const admin = await issueClientCert(ca, { commonName: 'admin', organizations: ['system:masters'] });
  const base = (cert: { certPem: string; keyPem: string }): RequestOptions => ({ host: '127.0.0.1', port: s.port, cert: cert.certPem, key: cert.keyPem, rejectUnauthorized: false, agent: false });
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'slow' } });
  // Alice's first create stays in flight: its body never finishes arriving.
  const held = request({ ...base(alice), method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length) } });
  held.on('error', () => {});
  held.write(body.slice(0, 10));
  await new Promise((r) => setTimeout(r, 300));
  const send = (cert: { certPem: string; keyPem: string }, name: string): Promise<{ code: number; retryAfter: string | undefined; text: string }> =>
    new Promise((resolve, reject) => {
      const b = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
      const req = request({ ...base(cert), method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: { 'Content-Type': 'application/json' }, timeout: 10_000 }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, text }));
      });
      req.on('error', reject);
      req.end(b);
    });
  try {
    const refused = await send(alice, 'second');
    assert.equal(refused.code, 429, refused.text);
    assert.equal(refused.retryAfter, '1');
    const status = JSON.parse(refused.text) as { reason: string; message: string; details?: { retryAfterSeconds?: number } };
    assert.equal(status.reason, 'TooManyRequests');
    assert.equal(status.message, 'Too many requests, please try again later.');
    assert.equal(status.details?.retryAfterSeconds, 1);
    assert.equal((await send(admin, 'by-admin')).code, 201, 'system:masters is not counted');
  } finally {
    held.destroy();
  }
  // Once the held request is gone its slot is free again.
  await new Promise((r) => setTimeout(r, 300));
  assert.notEqual((await send(alice, 'third')).code, 429);
});

test('per-user fairness: a user past a quarter of the seats is refused once half are taken, while another user is still served', async () => {
  const s = await startServer(['--max-mutating-requests-inflight', '8']);
  servers.push(s);
  const tls = join(s.dir, 'data', 'server', 'tls');
  const ca = await loadCA('client-ca', readFileSync(join(tls, 'client-ca.crt'), 'utf8'), readFileSync(join(tls, 'client-ca.key'), 'utf8'));
  const alice = await issueClientCert(ca, { commonName: 'alice' });
  const carol = await issueClientCert(ca, { commonName: 'carol' });
  const bob = await issueClientCert(ca, { commonName: 'bob' });
  const opts = (cert: { certPem: string; keyPem: string }): RequestOptions => ({ host: '127.0.0.1', port: s.port, cert: cert.certPem, key: cert.keyPem, rejectUnauthorized: false, agent: false, method: 'POST', path: '/api/v1/namespaces/default/configmaps' });
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
  // A request whose body never finishes keeps its seat until the server gives up on it.
  const holds: ReturnType<typeof request>[] = [];
  const hold = (cert: { certPem: string; keyPem: string }): void => {
    const req = request({ ...opts(cert), headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length) } });
    req.on('error', () => {});
    req.write(body.slice(0, 5));
    holds.push(req);
  };
  const code = (cert: { certPem: string; keyPem: string }): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request({ ...opts(cert), headers: { 'Content-Type': 'application/json' }, timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  try {
    hold(alice);
    hold(alice);
    hold(carol);
    hold(carol);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await code(alice), 429, 'alice holds her quarter and half the seats are taken');
    assert.notEqual(await code(bob), 429, 'bob still gets a seat');
  } finally {
    for (const h of holds) h.destroy();
  }
});
