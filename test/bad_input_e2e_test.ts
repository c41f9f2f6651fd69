// Bad requests against `skiff server --disable-agent` over raw HTTPS: each gets the status code and
// Status body kube-apiserver gives, and the server keeps answering afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:https';
import { readFileSync, rmSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { startServer, type TestServer } from './harness.js';

let server: TestServer;
let admin: Agent;
let anonymous: Agent;

before(async () => {
  server = await startServer();
  const kc = parseYaml(readFileSync(server.kubeconfig, 'utf8')) as { clusters: { cluster: Record<string, string> }[]; users: { user: Record<string, string> }[] };
  const b64 = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64');
  const ca = b64(kc.clusters[0]?.cluster['certificate-authority-data']);
  const user = kc.users[0]?.user ?? {};
  // One connection for all admin requests, so a request that leaves the connection in a bad state
  // breaks the next one too.
  admin = new Agent({ keepAlive: true, maxSockets: 1, ca, cert: b64(user['client-certificate-data']), key: b64(user['client-key-data']) });
  anonymous = new Agent({ keepAlive: false, ca });
});
after(async () => {
  admin?.destroy();
  anonymous?.destroy();
  await server?.stop();
  if (server) rmSync(server.dir, { recursive: true, force: true });
});

interface Reply {
  code: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** json is the body parsed, or undefined when it is not JSON. */
  json: Record<string, unknown> | undefined;
}

/** send makes one request with a 10 s timeout; chunked bodies have no Content-Length. */
function send(method: string, path: string, body?: string, opts: { contentType?: string; headers?: Record<string, string>; agent?: Agent; chunked?: boolean } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': opts.contentType ?? 'application/json', ...opts.headers };
    if (body !== undefined && !opts.chunked) headers['Content-Length'] = String(Buffer.byteLength(body));
    const req = request({ host: '127.0.0.1', port: server.port, method, path, agent: opts.agent ?? admin, headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = undefined;
        }
        resolve({ code: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** assertStatus checks a Status reply's code, reason and (optionally) message. */
function assertStatus(r: Reply, code: number, reason: string, message?: RegExp): void {
  assert.equal(r.code, code, r.text);
  assert.equal(r.json?.kind, 'Status', r.text);
  assert.equal(r.json?.status, 'Failure');
  assert.equal(r.json?.code, code);
  assert.equal(r.json?.reason, reason, r.text);
  if (message) assert.match(String(r.json?.message), message);
}

const CMS = '/api/v1/namespaces/default/configmaps';
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';
const cm = (name: string, data: Record<string, string> = {}): string => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const deployment = (name: string, spec: Record<string, unknown> = {}, args: string[] = []): string =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx', args }] } }, ...spec },
  });

const badRequests: { name: string; method: string; path: string; body: string; contentType?: string; message: RegExp }[] = [
  { name: 'malformed JSON', method: 'POST', path: CMS, body: '{"apiVersion": "v1", kind', message: /json parse error/ },
  { name: 'malformed YAML', method: 'POST', path: CMS, body: 'apiVersion: v1\nkind: [ConfigMap\n  - x: }', contentType: 'application/yaml', message: /error converting YAML to JSON/ },
  { name: 'a JSON array', method: 'POST', path: CMS, body: '[{"apiVersion":"v1","kind":"ConfigMap"}]', message: /cannot unmarshal array/ },
  { name: 'an empty body', method: 'POST', path: CMS, body: '', message: /empty/ },
  { name: 'a wrong field type', method: 'POST', path: DEPLOYS, body: deployment('typed', { replicas: 'three' }), message: /cannot unmarshal string into Go struct field DeploymentSpec\.spec\.replicas of type int32/ },
  { name: 'a kind this endpoint does not serve', method: 'POST', path: CMS, body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'k' } }), message: /the kind in the data \(Secret\) does not match the expected kind \(ConfigMap\)/ },
  { name: 'an apiVersion this endpoint does not serve', method: 'POST', path: CMS, body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'v' } }), message: /the API version in the data \(apps\/v1\) does not match the expected API version \(v1\)/ },
  { name: 'fieldValidation=Strict with an unknown field', method: 'POST', path: `${DEPLOYS}?fieldValidation=Strict`, body: deployment('strict', { foo: 1 }), message: /^strict decoding error: unknown field "spec\.foo"$/ },
  { name: 'an unsupported fieldValidation value', method: 'POST', path: `${CMS}?fieldValidation=Loose`, body: cm('fv'), message: /fieldValidation/ },
  { name: 'an unsupported dryRun value', method: 'POST', path: `${CMS}?dryRun=Some`, body: cm('dr'), message: /dryRun/ },
  { name: 'a non-numeric limit', method: 'GET', path: `${CMS}?limit=ten`, body: '', message: /limit/ },
  { name: 'a bad continue token', method: 'GET', path: `${CMS}?limit=1&continue=%%%`, body: '', message: /continue/ },
  { name: 'a bad label selector', method: 'GET', path: `${CMS}?labelSelector=a%3D%3D%3Db`, body: '', message: /./ },
];

for (const c of badRequests) {
  test(`400 BadRequest: ${c.name}`, async () => {
    const opts = c.contentType ? { contentType: c.contentType } : {};
    assertStatus(await send(c.method, c.path, c.method === 'GET' ? undefined : c.body, opts), 400, 'BadRequest', c.message);
  });
}

test('404 NotFound: unknown resources, groups and paths', async () => {
  assertStatus(await send('POST', '/api/v1/namespaces/default/configmapz', cm('x')), 404, 'NotFound');
  assertStatus(await send('GET', '/apis/nothere.example.com/v1/widgets'), 404, 'NotFound');
  assertStatus(await send('GET', '/no/such/path'), 404, 'NotFound');
  assertStatus(await send('GET', `${CMS}/missing`), 404, 'NotFound', /configmaps "missing" not found/);
  assertStatus(await send('POST', '/api/v1/namespaces/nonexistent/configmaps', cm('x')), 404, 'NotFound', /namespaces "nonexistent" not found/);
});

test('413 RequestEntityTooLarge: a body over 3 MiB, chunked or declared, and the connection still works after', async () => {
  const big = cm('huge', { a: 'x'.repeat(3.1 * 1024 * 1024) });
  // Chunked first: the refused body is left half read, which hung the next request on the same
  // connection until the server closed such connections.
  assertStatus(await send('POST', CMS, big, { chunked: true }), 413, 'RequestEntityTooLarge', /Request entity too large/);
  const next = await send('POST', CMS, cm('after-413'));
  assert.equal(next.code, 201, next.text);
  assertStatus(await send('POST', CMS, big), 413, 'RequestEntityTooLarge', /Request entity too large/);
  const again = await send('POST', CMS, cm('after-413-declared'));
  assert.equal(again.code, 201, again.text);
});

test('a ConfigMap under 3 MiB but over 1 MiB of data is 422; an object over the 1.5 MiB storage limit is 413', async () => {
  assertStatus(await send('POST', CMS, cm('cm-2mib', { a: 'x'.repeat(2 * 1024 * 1024) })), 422, 'Invalid', /Too long/);
  // Deployments have no size rule of their own: a 2 MiB argument reaches storage, which refuses it.
  const r = await send('POST', DEPLOYS, deployment('deploy-2mib', {}, ['x'.repeat(2 * 1024 * 1024)]));
  assertStatus(r, 413, 'RequestEntityTooLarge', /too large/i);
  assertStatus(await send('GET', `${DEPLOYS}/deploy-2mib`), 404, 'NotFound');
});

test('422 Invalid: bad names come back with causes', async () => {
  const r = await send('POST', CMS, cm('Bad_Name'));
  assertStatus(r, 422, 'Invalid', /ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  const details = r.json?.details as { name?: string; kind?: string; causes?: { reason: string; field: string; message: string }[] } | undefined;
  assert.equal(details?.name, 'Bad_Name');
  assert.equal(details?.kind, 'ConfigMap');
  assert.deepEqual(details?.causes?.map((c) => [c.reason, c.field]), [['FieldValueInvalid', 'metadata.name']]);
  const long = await send('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n'.repeat(64) } }));
  assertStatus(long, 422, 'Invalid', /must be no more than 63 characters/);
  assertStatus(await send('POST', CMS, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} })), 422, 'Invalid', /name or generateName is required/);
});

test('409: a stale resourceVersion on update is a Conflict, a second create AlreadyExists', async () => {
  const created = await send('POST', CMS, cm('stale', { v: '1' }));
  assert.equal(created.code, 201, created.text);
  const rv = String((created.json?.metadata as { resourceVersion?: string }).resourceVersion);
  const first = await send('PUT', `${CMS}/stale`, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stale', resourceVersion: rv }, data: { v: '2' } }));
  assert.equal(first.code, 200, first.text);
  const second = await send('PUT', `${CMS}/stale`, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stale', resourceVersion: rv }, data: { v: '3' } }));
  assertStatus(second, 409, 'Conflict', /Operation cannot be fulfilled on configmaps "stale": the object has been modified/);
  assertStatus(await send('POST', CMS, cm('stale')), 409, 'AlreadyExists', /configmaps "stale" already exists/);
  const now = await send('GET', `${CMS}/stale`);
  assert.deepEqual(now.json?.data, { v: '2' });
});

test('fieldValidation=Warn stores the object and sends a Warning header', async () => {
  const r = await send('POST', `${DEPLOYS}?fieldValidation=Warn`, deployment('warned', { foo: 1 }));
  assert.equal(r.code, 201, r.text);
  assert.match(String(r.headers.warning), /^299 - "unknown field \\"spec\.foo\\""$/);
  assert.equal((await send('GET', `${DEPLOYS}/warned`)).code, 200);
  const ignored = await send('POST', `${DEPLOYS}?fieldValidation=Ignore`, deployment('ignored', { foo: 1 }));
  assert.equal(ignored.code, 201, ignored.text);
  assert.equal(ignored.headers.warning, undefined);
});

test('dryRun=All create answers 201 with the object but stores nothing', async () => {
  const r = await send('POST', `${CMS}?dryRun=All`, cm('dry-run', { a: 'b' }));
  assert.equal(r.code, 201, r.text);
  assert.equal((r.json?.metadata as { name?: string }).name, 'dry-run');
  assert.deepEqual(r.json?.data, { a: 'b' });
  assertStatus(await send('GET', `${CMS}/dry-run`), 404, 'NotFound');
  const list = await send('GET', CMS);
  assert.ok(!(list.json?.items as { metadata: { name: string } }[]).some((o) => o.metadata.name === 'dry-run'));
});

test('401 Unauthorized without credentials, except the public paths; 401 for an unknown bearer token', async () => {
  for (const path of ['/version', '/healthz', '/livez', '/readyz']) {
    const r = await send('GET', path, undefined, { agent: anonymous });
    assert.equal(r.code, 200, `${path}: ${r.text}`);
  }
  for (const path of ['/api', '/apis', '/api/v1/namespaces', CMS, '/openapi/v2']) {
    assertStatus(await send('GET', path, undefined, { agent: anonymous }), 401, 'Unauthorized');
  }
  assertStatus(await send('POST', CMS, cm('anon'), { agent: anonymous }), 401, 'Unauthorized');
  assertStatus(await send('GET', '/api/v1/namespaces', undefined, { agent: anonymous, headers: { Authorization: 'Bearer not-a-token' } }), 401, 'Unauthorized');
  // A wrong token is a failed login even on a public path.
  assertStatus(await send('GET', '/version', undefined, { agent: anonymous, headers: { Authorization: 'Bearer not-a-token' } }), 401, 'Unauthorized');
});

test('the server is still up and answering after all of the above', async () => {
  assert.equal(server.proc.exitCode, null, server.logs());
  assert.equal((await send('GET', '/readyz', undefined, { agent: anonymous })).code, 200);
  const ns = await send('GET', '/api/v1/namespaces');
  assert.equal(ns.code, 200);
  assert.ok((ns.json?.items as unknown[]).length >= 4);
  const r = await send('POST', CMS, cm('still-up'));
  assert.equal(r.code, 201, r.text);
});
