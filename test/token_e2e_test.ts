// Bootstrap tokens end to end, as `k3s token`: create one on a running server, list it, join an
// agent with it, delete it, and a new join with it is refused; expired tokens are refused and
// cleaned up by the token cleaner. Also: a taken --https-listen-port ends the server with one line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually.js';
import { startServer, startFakeAgent, kubectl, kubectlOk, REPO, type TestServer } from './harness.js';
import { TOKEN_REFUSED } from '../src/cli/agent.js';
import { CLIENT_KUBELET_PATH } from '../src/apiserver/node_join/index.js';

let server: TestServer;
let dir: string;
const procs: ChildProcess[] = [];

function skiff(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'skiff'), ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, KUBECONFIG: server.kubeconfig } });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function skiffOk(args: string[]): string {
  const r = skiff(args);
  assert.equal(r.code, 0, `skiff ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** agentRun starts a fake agent and collects its output and exit code. */
function agentRun(name: string, token: string): { proc: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const proc = startFakeAgent(server, name, dir, token);
  procs.push(proc);
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, out: () => out, exited };
}

async function exitWithin(run: ReturnType<typeof agentRun>, ms: number): Promise<number | null> {
  const timer = setTimeout(() => run.proc.kill('SIGKILL'), ms);
  try {
    return await run.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** joinEndpoint calls a node join endpoint over TLS (server CA verified) with an optional client certificate. */
function joinEndpoint(path: string, o: { cert?: string; key?: string; headers: Record<string, string> }): Promise<{ status: number; body: string }> {
  const ca = readFileSync(join(server.dir, 'data', 'server', 'tls', 'server-ca.crt'), 'utf8');
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port: server.port, path, ca, ...(o.cert ? { cert: o.cert, key: o.key } : {}), headers: o.headers, agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-token-'));
  server = await startServer();
});

after(async () => {
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(server?.dir ?? '', { recursive: true, force: true });
});

test('a bootstrap token is created, listed, joins a node, and once deleted is refused', async () => {
  const full = skiffOk(['token', 'create', '--ttl', '1h', '--description', 'e2e worker']).trim();
  const m = /^K10[0-9a-f]{64}::([a-z0-9]{6})\.([a-z0-9]{16})$/.exec(full);
  assert.ok(m, full);
  const id = m[1]!;
  const secret = kubectlOk('kubectl', server.kubeconfig, ['get', 'secret', '-n', 'kube-system', `bootstrap-token-${id}`, '-o', 'jsonpath={.type} {.data.usage-bootstrap-authentication}']);
  assert.equal(secret, `bootstrap.kubernetes.io/token ${Buffer.from('true').toString('base64')}`);

  const list = skiffOk(['token', 'list']).split('\n');
  assert.match(list[0]!, /^TOKEN\s+TTL\s+EXPIRES\s+USAGES\s+DESCRIPTION\s+EXTRA GROUPS$/);
  const row = list.find((l) => l.startsWith(`${id}.${m[2]}`));
  assert.match(row ?? '', /\s(59m|1h)\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+authentication,signing\s+e2e worker\s+system:bootstrappers:skiff:default-node-token$/, list.join('\n'));

  // The full form and the bare <id>.<secret> both join.
  const a = agentRun('tok-full', full);
  const b = agentRun('tok-bare', `${id}.${m[2]}`);
  await eventually('both token nodes registered', () => {
    const nodes = kubectlOk('kubectl', server.kubeconfig, ['get', 'nodes', '-o', 'name']);
    assert.match(nodes, /node\/tok-full/, a.out());
    assert.match(nodes, /node\/tok-bare/, b.out());
  });

  assert.equal(skiffOk(['token', 'delete', id]).trim(), `bootstrap token "${id}" deleted`);
  // Renewal needs no token: the node's own client certificate is accepted by the join endpoints.
  const pki = join(dir, 'tok-full', 'agent');
  const renewed = await joinEndpoint(CLIENT_KUBELET_PATH, {
    cert: readFileSync(join(pki, 'client-kubelet.crt'), 'utf8'),
    key: readFileSync(join(pki, 'client-kubelet.key'), 'utf8'),
    headers: { 'Skiff-Node-Name': 'tok-full', 'Skiff-Node-Password': readFileSync(join(pki, 'node-password'), 'utf8').trim(), 'Skiff-Node-IP': '127.0.0.1' },
  });
  assert.equal(renewed.status, 200, renewed.body);
  assert.match(renewed.body, /BEGIN CERTIFICATE[\s\S]*PRIVATE KEY/);
  // Another node's certificate does not stand in for this one, nor does no credential at all.
  const other = await joinEndpoint(CLIENT_KUBELET_PATH, {
    cert: readFileSync(join(dir, 'tok-bare', 'agent', 'client-kubelet.crt'), 'utf8'),
    key: readFileSync(join(dir, 'tok-bare', 'agent', 'client-kubelet.key'), 'utf8'),
    headers: { 'Skiff-Node-Name': 'tok-full', 'Skiff-Node-Password': readFileSync(join(pki, 'node-password'), 'utf8').trim(), 'Skiff-Node-IP': '127.0.0.1' },
  });
  assert.equal(other.status, 401, other.body);
  assert.equal(skiffOk(['token', 'list']).includes(id), false);
  const refused = agentRun('tok-late', full);
  assert.equal(await exitWithin(refused, 30_000), 1, refused.out());
  assert.ok(refused.out().includes(TOKEN_REFUSED), refused.out());
  assert.match(refused.out(), new RegExp(`bootstrap token ${id} is unknown`));
});

test('an expired token is refused and the token cleaner deletes its Secret', async () => {
  const id = 'exp123';
  // Written straight into the API with a past expiration: the join may race the cleaner, so either refusal counts.
  const manifest = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `bootstrap-token-${id}`, namespace: 'kube-system' },
    type: 'bootstrap.kubernetes.io/token',
    stringData: { 'token-id': id, 'token-secret': '0123456789abcdef', expiration: '2020-01-01T00:00:00Z', 'usage-bootstrap-authentication': 'true' },
  });
  kubectlOk('kubectl', server.kubeconfig, ['create', '-f', '-'], { input: manifest });
  const run = agentRun('tok-expired', `${id}.0123456789abcdef`);
  assert.equal(await exitWithin(run, 30_000), 1, run.out());
  assert.match(run.out(), new RegExp(`bootstrap token ${id} (expired at 2020-01-01T00:00:00.000Z|is unknown)`));
  await eventually('the expired token Secret deleted', () => {
    const r = kubectl('kubectl', server.kubeconfig, ['get', 'secret', '-n', 'kube-system', `bootstrap-token-${id}`]);
    assert.match(r.stderr, /NotFound/);
  }, 20_000);
});

test('a token that expires is listed with its TTL, then cleaned up when it expires', async () => {
  const id = skiffOk(['token', 'create', '--ttl', '3s']).trim().replace(/^.*::/, '').split('.')[0]!;
  assert.ok(skiffOk(['token', 'list']).includes(id));
  await eventually('the expired token gone from the list', () => assert.equal(skiffOk(['token', 'list']).includes(id), false), 20_000);
});

test('bad token arguments are one-line usage errors', () => {
  const bad = skiff(['token', 'create', 'not-a-token']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim(), 'skiff: the bootstrap token "not-a-token" was not of the form "[a-z0-9]{6}.[a-z0-9]{16}"');
  const unreachable = spawnSync(process.execPath, [join(REPO, 'bin', 'skiff'), 'token', 'list', '--kubeconfig', join(dir, 'missing.yaml')], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(unreachable.status, 1);
  assert.match(unreachable.stderr, /^skiff: cannot read kubeconfig .*missing\.yaml/);
  assert.match(skiffOk(['token', 'generate']).trim(), /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
});

test('a taken --https-listen-port ends the server with one clear line', async () => {
  const holder = createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  const port = (holder.address() as AddressInfo).port;
  try {
    const data = join(dir, 'busy');
    const proc = spawn(process.execPath, [join(REPO, 'bin', 'skiff'), 'server', '--disable-agent', '--data-dir', data, '--https-listen-port', String(port), '--bind-address', '127.0.0.1', '--advertise-address', '127.0.0.1', '--write-kubeconfig', join(data, 'kc.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    procs.push(proc);
    let err = '';
    proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => {
      const t = setTimeout(() => proc.kill('SIGKILL'), 30_000);
      proc.once('exit', (c) => (clearTimeout(t), r(c)));
    });
    assert.equal(code, 1, err);
    const last = err.trim().split('\n').at(-1) ?? '';
    assert.equal(last, `skiff: cannot listen on 127.0.0.1:${port}: address already in use (another process holds the port)`);
    assert.doesNotMatch(err, /^\s+at /m);
  } finally {
    await new Promise<void>((r) => holder.close(() => r()));
  }
});
