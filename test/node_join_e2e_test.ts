// Joining by token as k3s agents do: the agent checks /cacerts against the token's hash before it
// sends anything, trades the token secret + its node password for node certificates, and talks to
// the API with the client cert (CN system:node:<name>); the token itself is no API credential.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpsServer, request as httpsRequest, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually.js';
import { startServer, kubectlOk, REPO, type TestServer } from './harness.js';
import { createCA, issueServingCert, x509 } from '../src/pki/index.js';
import { realClock } from '../src/lib/clock.js';
import { HttpTransport } from '../src/client/http_transport.js';
import { Client, R } from '../src/client/client.js';
import { CA_MISMATCH, TOKEN_REFUSED } from '../src/cli/agent.js';

let server: TestServer;
let token: string;
let dir: string;
const procs: ChildProcess[] = [];

interface AgentRun {
  proc: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function startAgent(name: string, dataDir: string, opts: { token?: string; url?: string } = {}): AgentRun {
  const url = opts.url ?? `https://127.0.0.1:${server.port}`;
  const args = [join(REPO, 'bin', 'skiff'), 'agent', '--runtime', 'fake', '--server', url, '--token', opts.token ?? token, '--node-name', name, '--data-dir', dataDir, '--node-ip', '127.0.0.1', '--node-capacity', 'cpu=2,memory=2Gi,pods=10', '--node-status-update-frequency', '1s'];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, out: () => out, exited };
}

/** exitOf waits (bounded) for an agent that must stop by itself. */
async function exitOf(run: AgentRun, ms = 20_000): Promise<number | null> {
  const timer = setTimeout(() => run.proc.kill('SIGKILL'), ms);
  try {
    return await run.exited;
  } finally {
    clearTimeout(timer);
  }
}

async function stopAgent(run: AgentRun): Promise<void> {
  if (run.proc.exitCode !== null || run.proc.signalCode !== null) return;
  run.proc.kill('SIGTERM');
  await exitOf(run, 10_000);
}

const k = (args: string[]): string => kubectlOk('kubectl', server.kubeconfig, args);

function nodeReady(name: string): string {
  return k(['get', 'node', name, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
}

/** get makes one HTTPS GET to the test server with the given headers and TLS options. */
function get(path: string, headers: Record<string, string>, tls: { cert?: string; key?: string } = {}): Promise<{ status: number; body: string }> {
  const ca = readFileSync(join(server.dir, 'data', 'server', 'tls', 'server-ca.crt'), 'utf8');
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port: server.port, path, headers, ca, ...tls, agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-join-'));
  server = await startServer();
  token = readFileSync(join(server.dir, 'data', 'server', 'node-token'), 'utf8').trim();
});

after(async () => {
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(server?.dir ?? '', { recursive: true, force: true });
});

test('a wrong token secret is refused (401) and the agent exits saying so', async () => {
  const wrong = token.replace(/::server:.*$/, '::server:not-the-secret');
  const direct = await get('/v1-skiff/client-kubelet.crt', { Authorization: `Basic ${Buffer.from('node:not-the-secret').toString('base64')}`, 'Skiff-Node-Name': 'x', 'Skiff-Node-Password': 'p' });
  assert.equal(direct.status, 401);
  const run = startAgent('intruder', join(dir, 'intruder'), { token: wrong });
  assert.equal(await exitOf(run), 1, run.out());
  assert.ok(run.out().includes(TOKEN_REFUSED), run.out());
  assert.ok(!existsSync(join(dir, 'intruder', 'agent', 'client-kubelet.crt')));
});

test('a server whose CA does not match the token hash gets no credentials', async () => {
  // A stranger's HTTPS server with its own CA, recording what the agent sends it.
  const ca = await createCA('server', realClock);
  const serving = await issueServingCert(ca, { commonName: 'stranger', ips: ['127.0.0.1'] });
  const seen: { path: string; headers: string[] }[] = [];
  const fake: Server = createHttpsServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    seen.push({ path: req.url ?? '', headers: Object.keys(req.headers) });
    res.writeHead(req.url === '/cacerts' ? 200 : 404).end(req.url === '/cacerts' ? ca.certPem : '');
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  try {
    const run = startAgent('victim', join(dir, 'victim'), { url: `https://127.0.0.1:${(fake.address() as AddressInfo).port}` });
    assert.equal(await exitOf(run), 1, run.out());
    assert.ok(run.out().includes(CA_MISMATCH), run.out());
    assert.deepEqual(seen.map((s) => s.path), ['/cacerts']);
    for (const s of seen) for (const h of ['authorization', 'skiff-node-password', 'skiff-node-name']) assert.ok(!s.headers.includes(h), `${h} sent to the stranger`);
    assert.ok(!existsSync(join(dir, 'victim', 'agent', 'node-password')), 'no password was even made');
  } finally {
    fake.closeAllConnections();
    await new Promise<void>((r) => fake.close(() => r()));
  }
});

test('an agent joins with node certificates, restarts with them, and a duplicate name is refused', async () => {
  const d1 = join(dir, 'w1');
  let run = startAgent('w1', d1);
  await eventually('w1 Ready', () => assert.equal(nodeReady('w1'), 'True'), 20_000);
  const files = join(d1, 'agent');
  for (const f of ['client-kubelet.crt', 'client-kubelet.key', 'serving-kubelet.crt', 'serving-kubelet.key', 'client-ca.crt', 'server-ca.crt', 'node-password']) assert.ok(existsSync(join(files, f)), f);
  assert.equal(statSync(join(files, 'node-password')).mode & 0o777, 0o600);
  const cert = readFileSync(join(files, 'client-kubelet.crt'), 'utf8');
  const key = readFileSync(join(files, 'client-kubelet.key'), 'utf8');
  assert.equal(new x509.X509Certificate(cert).subject, 'O=system:nodes, CN=system:node:w1');
  assert.equal(readFileSync(join(files, 'client-ca.crt'), 'utf8'), readFileSync(join(server.dir, 'data', 'server', 'tls', 'client-ca.crt'), 'utf8'));
  assert.match(k(['get', 'secret', '-n', 'kube-system', 'w1.node-password.skiff', '-o', 'jsonpath={.data.hash}']), /^[A-Za-z0-9+/=]+$/);

  // The client cert is an API identity; the node token is not.
  const t = new HttpTransport({ server: `https://127.0.0.1:${server.port}`, caPem: readFileSync(join(files, 'server-ca.crt'), 'utf8'), clientCertPem: cert, clientKeyPem: key });
  try {
    const nodes = await new Client(t).resource(R.nodes).list('');
    assert.ok(nodes.items.some((n) => n.metadata.name === 'w1'));
  } finally {
    t.close();
  }
  assert.equal((await get('/api/v1/nodes', { Authorization: `Bearer ${token}` })).status, 401);

  // Another machine claiming the name w1 (its own password) is refused with what to do.
  const dup = startAgent('w1', join(dir, 'w1-impostor'));
  assert.equal(await exitOf(dup), 1, dup.out());
  assert.match(dup.out(), /Node password rejected, duplicate hostname .* delete the Secret kube-system\/w1\.node-password\.skiff/);

  // The same agent restarting reuses its certs; with them gone, its stored password still wins.
  await stopAgent(run);
  run = startAgent('w1', d1);
  await eventually('restart reuses the certs', () => assert.match(run.out(), /reusing the node certificates/), 20_000);
  await stopAgent(run);
  rmSync(join(files, 'client-kubelet.crt'));
  run = startAgent('w1', d1);
  await eventually('re-join with the stored password', () => assert.match(run.out(), /joined the cluster: got the node certificates/), 20_000);
  await eventually('w1 Ready again', () => assert.equal(nodeReady('w1'), 'True'), 20_000);
  assert.equal(run.proc.exitCode, null, run.out());
  await stopAgent(run);
});
