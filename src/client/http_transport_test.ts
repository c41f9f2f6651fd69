import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startServer, type TestServer } from '../../test/harness.js';
import { createCA, issueServingCert } from '../pki/index.js';
import { realClock } from '../lib/clock.js';
import { StatusError } from '../api/errors.js';
import type { WatchMessage } from '../api/transport.js';
import { apiPath, HttpTransport } from './http_transport.js';
import { Client, R } from './client.js';

let server: TestServer;
let transport: HttpTransport;
let client: Client;
let caPem = '';

before(async () => {
  server = await startServer();
  const kc = parseYaml(readFileSync(server.kubeconfig, 'utf8')) as { clusters: { cluster: Record<string, string> }[]; users: { user: Record<string, string> }[] };
  const b64 = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString('utf8');
  caPem = b64(kc.clusters[0]?.cluster['certificate-authority-data']);
  transport = new HttpTransport({ server: `https://127.0.0.1:${server.port}`, caPem, clientCertPem: b64(kc.users[0]?.user['client-certificate-data']), clientKeyPem: b64(kc.users[0]?.user['client-key-data']) });
  client = new Client(transport);
});

after(async () => {
  transport?.close();
  await server?.stop();
});

const cm = (name: string, data: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'x' } }, data });

async function rejectsWith(p: Promise<unknown>, code: number, reason: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof StatusError, String(e));
    assert.equal(e.code, code);
    assert.equal(e.reason, reason);
    if (message) assert.match(e.message, message);
    return true;
  });
}

test('apiPath spells core, group, namespaced and subresource paths', () => {
  assert.equal(apiPath({ group: '', version: 'v1', resource: 'pods', namespace: 'ns', name: 'p', subresource: 'status' }), '/api/v1/namespaces/ns/pods/p/status');
  assert.equal(apiPath({ group: 'apps', version: 'v1', resource: 'deployments' }), '/apis/apps/v1/deployments');
  assert.equal(apiPath({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-node-lease', name: 'n1' }), '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1');
});

test('get, list, create, update, the three patch types and delete', async () => {
  const cms = client.resource(R.configmaps);
  const created = await cms.create('default', cm('one', { a: '1' }));
  assert.equal(created.metadata.namespace, 'default');
  assert.deepEqual((await cms.get('default', 'one'))['data'], { a: '1' });
  const list = await cms.list('default', { labelSelector: 'app=x' });
  assert.deepEqual(list.items.map((i) => i.metadata.name), ['one']);
  assert.ok(list.metadata.resourceVersion);
  const merged = await cms.patch('default', 'one', 'merge', { data: { b: '2' } });
  assert.deepEqual(merged['data'], { a: '1', b: '2' });
  const jsonPatched = await cms.patch('default', 'one', 'json', [{ op: 'remove', path: '/data/a' }]);
  assert.deepEqual(jsonPatched['data'], { b: '2' });
  const strategic = await cms.patch('default', 'one', 'strategic', { metadata: { labels: { tier: 'web' } } });
  assert.deepEqual(strategic.metadata.labels, { app: 'x', tier: 'web' });
  const updated = await cms.update({ ...strategic, data: { c: '3' } });
  assert.deepEqual(updated['data'], { c: '3' });
  await rejectsWith(cms.update({ ...strategic, data: { d: '4' } }), 409, 'Conflict', /the object has been modified/);
  await cms.delete('default', 'one');
  await rejectsWith(cms.get('default', 'one'), 404, 'NotFound', /^configmaps "one" not found$/);
});

test('Status errors come back as StatusError', async () => {
  const cms = client.resource(R.configmaps);
  await cms.create('default', cm('dup'));
  await rejectsWith(cms.create('default', cm('dup')), 409, 'AlreadyExists', /configmaps "dup" already exists/);
  await rejectsWith(cms.create('default', cm('Bad_Name')), 422, 'Invalid', /ConfigMap "Bad_Name" is invalid/);
  await rejectsWith(client.resource({ group: 'nope.io', version: 'v1', resource: 'things' }).list(''), 404, 'NotFound');
  const anonymous = new HttpTransport({ server: `https://127.0.0.1:${server.port}`, caPem, bearerToken: 'wrong' });
  try {
    await rejectsWith(new Client(anonymous).resource(R.configmaps).list('default'), 401, 'Unauthorized');
  } finally {
    anonymous.close();
  }
});

test('the node token is not a bearer credential (it only buys node certificates)', async () => {
  const token = readFileSync(join(server.dir, 'data', 'server', 'node-token'), 'utf8').trim();
  const t = new HttpTransport({ server: `https://127.0.0.1:${server.port}`, caPem, bearerToken: token });
  try {
    await assert.rejects(new Client(t).resource(R.namespaces).list(''), (e: unknown) => (e as { code?: number }).code === 401);
  } finally {
    t.close();
  }
});

test('watch streams events in order and stop() ends it', async () => {
  const cms = client.resource(R.configmaps);
  const rv = (await cms.list('default')).metadata.resourceVersion ?? '0';
  const seen: WatchMessage[] = [];
  let closed = false;
  const stop = await cms.watch('default', { resourceVersion: rv }, (e) => seen.push(e), () => (closed = true));
  await cms.create('default', cm('w'));
  await cms.patch('default', 'w', 'merge', { data: { x: '1' } });
  await cms.delete('default', 'w');
  for (let i = 0; i < 200 && seen.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
  stop();
  assert.deepEqual(seen.map((e) => `${e.type} ${e.object.metadata.name ?? ''}`), ['ADDED w', 'MODIFIED w', 'DELETED w']);
  assert.equal(closed, false, 'stop() does not call onClose');
});

test('a watch ended by the server calls onClose; ERROR events pass through', async () => {
  const cms = client.resource(R.configmaps);
  const rv = (await cms.list('default')).metadata.resourceVersion ?? '0';
  await new Promise<void>((resolve) => {
    void cms.watch('default', { resourceVersion: rv, timeoutSeconds: 1 }, () => {}, (err) => {
      assert.equal(err, undefined);
      resolve();
    });
  });
  const ca = await createCA('server', realClock);
  const cert = await issueServingCert(ca, { commonName: 'localhost', ips: ['127.0.0.1'], clock: realClock });
  const local: Server = createServer({ key: cert.keyPem, cert: cert.certPem }, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"ERR');
    res.end('OR","object":{"kind":"Status","code":410,"reason":"Expired"}}\n');
  });
  await new Promise<void>((r) => local.listen(0, '127.0.0.1', r));
  const t = new HttpTransport({ server: `https://127.0.0.1:${(local.address() as AddressInfo).port}`, caPem: ca.certPem });
  try {
    const events: WatchMessage[] = [];
    await new Promise<void>((resolve) => void t.watch({ group: '', version: 'v1', resource: 'pods' }, (e) => events.push(e), () => resolve()));
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'ERROR']);
    assert.equal((events[1]?.object as { code?: number }).code, 410);
  } finally {
    t.close();
    local.close();
  }
});
