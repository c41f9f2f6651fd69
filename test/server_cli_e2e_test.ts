// The `skiff` command line as a k3s user meets it: help texts with k3s's flag names, a config.yaml
// whose values count and that flags override, clear errors for bad flags, the kubeconfig and
// node-token files, `--token`, and `skiff kubectl`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, startServer, kubectlOk, type TestServer } from './harness.js';

const SKIFF = join(REPO, 'bin', 'skiff');
const dirs: string[] = [];
const procs: ChildProcess[] = [];
const servers: TestServer[] = [];

after(async () => {
  for (const s of servers) await s.stop();
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'skiff-cli-test-'));
  dirs.push(d);
  return d;
}

/** skiff runs one bounded skiff command to completion. */
function skiff(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [SKIFF, ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** freePort asks the kernel for a port nobody uses right now. */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const addr = srv.address();
  await new Promise<void>((r) => srv.close(() => r()));
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');

test('skiff --help and skiff server --help list the commands and k3s flag names', () => {
  const top = skiff(['--help']);
  assert.equal(top.code, 0, top.stderr);
  for (const cmd of ['server', 'agent', 'kubectl', 'version']) assert.match(top.stdout, new RegExp(`^\\s+${cmd}\\s`, 'm'));
  const srv = skiff(['server', '--help']);
  assert.equal(srv.code, 0, srv.stderr);
  const flags = ['config', 'debug', 'data-dir', 'bind-address', 'https-listen-port', 'advertise-address', 'tls-san', 'write-kubeconfig', 'write-kubeconfig-mode', 'token', 'cluster-cidr', 'service-cidr', 'service-node-port-range', 'cluster-dns', 'cluster-domain', 'datastore-endpoint', 'disable-agent', 'node-name', 'node-ip', 'node-label', 'node-taint', 'node-monitor-grace-period', 'default-not-ready-toleration-seconds', 'default-unreachable-toleration-seconds', 'node-lease-duration-seconds'];
  for (const f of flags) assert.match(srv.stdout, new RegExp(`^\\s+--${f}\\b`, 'm'), `--${f} in skiff server --help`);
  assert.match(srv.stdout, /--service-cidr value\s+.*\(default: 10\.43\.0\.0\/16\)/);
  assert.match(srv.stdout, /--data-dir, -d value\s+.*\(default: \/var\/lib\/skiff\)/);
  // Descriptions start in one column, however long the flag name.
  const columns = new Set(srv.stdout.split('\n').filter((l) => /^\s+--/.test(l)).map((l) => /^(\s+--[\w-]+(?:, -\w)?(?: value)?\s+)/.exec(l)?.[1]?.length));
  assert.equal(columns.size, 1, `description columns: ${[...columns].join(', ')}`);
});

test('bad flags, values and config files exit 1 with a message naming the problem', () => {
  const d = tempDir();
  const base = ['--data-dir', join(d, 'data'), '--write-kubeconfig', join(d, 'kc.yaml'), '--https-listen-port', '0', '--bind-address', '127.0.0.1', '--disable-agent'];
  const badConfig = join(d, 'bad-config.yaml');
  writeFileSync(badConfig, 'no-such-key: 1\n');
  const cases: { args: string[]; message: RegExp }[] = [
    { args: ['server', ...base, '--no-such-flag'], message: /unknown flag: --no-such-flag/ },
    { args: ['server', ...base, '--https-listen-port', 'abc'], message: /invalid value "abc" for --https-listen-port/ },
    { args: ['server', ...base, '--service-cidr', 'not-a-cidr'], message: /--service-cidr/ },
    { args: ['server', ...base, '--service-node-port-range', '40000-30000'], message: /--service-node-port-range/ },
    { args: ['server', ...base, '--config', join(d, 'missing.yaml')], message: /config file .*missing\.yaml does not exist/ },
    { args: ['server', ...base, '--config', badConfig], message: /unknown key "no-such-key" in config file/ },
    { args: ['server', ...base, 'extra-argument'], message: /unexpected argument extra-argument/ },
    { args: ['no-such-command'], message: /unknown command "no-such-command"/ },
  ];
  for (const c of cases) {
    const r = skiff(c.args);
    assert.equal(r.code, 1, `skiff ${c.args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /^skiff: /);
    assert.match(r.stderr, c.message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace for a usage error');
  }
  assert.equal(existsSync(join(d, 'kc.yaml')), false, 'no server came up');
});

test('config.yaml values are used: port, service CIDR, kubeconfig mode, token; skiff kubectl works', async () => {
  const d = tempDir();
  const port = await freePort();
  const kubeconfig = join(d, 'kubeconfig.yaml');
  const config = join(d, 'config.yaml');
  writeFileSync(
    config,
    [`https-listen-port: ${port}`, `data-dir: ${join(d, 'data')}`, 'bind-address: 127.0.0.1', 'advertise-address: 127.0.0.1', `write-kubeconfig: ${kubeconfig}`, 'write-kubeconfig-mode: "0644"', 'service-cidr: 10.45.0.0/16', 'token: mysecret', 'disable-agent: true', ''].join('\n'),
  );
  const proc = spawn(process.execPath, [SKIFF, 'server', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  let out = '';
  proc.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const deadline = Date.now() + 30_000;
  while (!existsSync(kubeconfig)) {
    assert.equal(proc.exitCode, null, out);
    assert.ok(Date.now() < deadline, `no kubeconfig after 30 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    assert.match(readFileSync(kubeconfig, 'utf8'), new RegExp(`server: https://127\\.0\\.0\\.1:${port}\\n`));
    assert.equal(mode(kubeconfig), '0644');
    const nodeToken = join(d, 'data', 'server', 'node-token');
    assert.equal(mode(nodeToken), '0600');
    const token = readFileSync(nodeToken, 'utf8').trim();
    assert.match(token, /^K10[0-9a-f]{64}::server:mysecret$/);
    const caHash = createHash('sha256').update(readFileSync(join(d, 'data', 'server', 'tls', 'server-ca.crt'))).digest('hex');
    assert.equal(token.slice(3, 67), caHash, 'the token carries the SHA-256 of the server CA');
    assert.equal(kubectlOk('kubectl', kubeconfig, ['get', 'svc', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.spec.clusterIP}']), '10.45.0.1');
    const ns = skiff(['kubectl', 'get', 'ns'], { KUBECONFIG: kubeconfig });
    assert.equal(ns.code, 0, ns.stderr);
    for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.match(ns.stdout, new RegExp(`^${n}\\s+Active\\s`, 'm'));
  } finally {
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    await exited;
  }
  assert.equal(proc.exitCode, 0, `SIGTERM shuts down cleanly:\n${out}`);
});

test('command-line flags override config.yaml; defaults: kubeconfig 0600, random node-token secret', async () => {
  const d = tempDir();
  const filePort = await freePort();
  writeFileSync(join(d, 'config.yaml'), `https-listen-port: ${filePort}\nservice-cidr: 10.45.0.0/16\n`);
  // The harness passes --https-listen-port 0 on the command line: that must win over the file.
  const s = await startServer(['--service-cidr', '10.46.0.0/16'], d);
  servers.push(s);
  assert.notEqual(s.port, filePort);
  assert.equal(kubectlOk('kubectl', s.kubeconfig, ['get', 'svc', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.spec.clusterIP}']), '10.46.0.1');
  assert.equal(mode(s.kubeconfig), '0600');
  const nodeToken = join(d, 'data', 'server', 'node-token');
  assert.equal(mode(nodeToken), '0600');
  assert.match(readFileSync(nodeToken, 'utf8').trim(), /^K10[0-9a-f]{64}::server:[0-9a-f]+$/);
  // State and credentials are root-only, as k3s keeps them.
  for (const p of ['server', 'server/db', 'server/tls']) assert.equal(mode(join(d, 'data', p)), '0700', p);
  for (const p of ['server/db/state.db', 'server/tls/client-ca.crt', 'server/tls/client-ca.key']) assert.equal(mode(join(d, 'data', p)), '0600', p);
  const r = skiff(['kubectl', 'version', '-o', 'json'], { KUBECONFIG: s.kubeconfig });
  assert.equal(r.code, 0, r.stderr);
  assert.match((JSON.parse(r.stdout) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion, /^v1\.32\.\d+\+skiff/);
});
