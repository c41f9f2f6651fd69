import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readFileSync, rmSync, accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** REPO is the repository root (tests run from dist/test). */
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** MANIFESTS is the tutorial's manifests folder. */
export const MANIFESTS = join(REPO, '..', 'shared', 'seed', 'manifests');

/** TestServer is a `skiff server --disable-agent` on a temporary data dir and a free port. */
export interface TestServer {
  dir: string;
  kubeconfig: string;
  port: number;
  proc: ChildProcess;
  logs(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * startServerWithFakeNode starts skiff server with its embedded fake-runtime node `controller`
 * (4 CPUs, 8Gi, 110 pods) and waits until that node is Ready.
 */
export async function startServerWithFakeNode(extra: string[] = []): Promise<TestServer> {
  const server = await startServer(['--runtime', 'fake', '--node-name', 'controller', '--node-capacity', 'cpu=4,memory=8Gi,pods=110', ...extra], undefined, { withAgent: true });
  const deadline = Date.now() + 60_000;
  while (!/^controller\s+Ready\s/m.test(kubectl('kubectl', server.kubeconfig, ['get', 'nodes']).stdout)) {
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`node controller not Ready within 60 s:\n${server.logs()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return server;
}

/** startServer starts skiff server and waits until its kubeconfig is written and /readyz answers. */
export async function startServer(extra: string[] = [], dir = mkdtempSync(join(tmpdir(), 'skiff-test-')), opts: { withAgent?: boolean } = {}): Promise<TestServer> {
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  const config = join(dir, 'config.yaml');
  if (!existsSync(config)) writeFileSync(config, '');
  rmSync(kubeconfig, { force: true });
  const agentFlag = opts.withAgent ? [] : ['--disable-agent'];
  const args = [join(REPO, 'bin', 'skiff'), 'server', ...agentFlag, '--config', config, '--data-dir', join(dir, 'data'), '--https-listen-port', '0', '--bind-address', '127.0.0.1', '--advertise-address', '127.0.0.1', '--write-kubeconfig', kubeconfig, ...extra];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  let port = 0;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`skiff server exited with ${proc.exitCode}:\n${out}`);
    if (existsSync(kubeconfig)) {
      const m = /server: https:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(kubeconfig, 'utf8'));
      if (m) {
        port = Number(m[1]);
        break;
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!port) {
    proc.kill('SIGKILL');
    throw new Error(`skiff server did not come up in 30 s:\n${out}`);
  }
  return {
    dir,
    kubeconfig,
    port,
    proc,
    logs: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill(signal);
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/**
 * startFakeAgent starts `skiff agent --runtime fake` as node `name` joined to server by its node
 * token, or joinToken (data in dataDir/name, capacity cpu=4,memory=8Gi,pods=110, 4 s leases, status every 1 s);
 * if it exits with an error, its output goes to stderr.
 */
export function startFakeAgent(server: TestServer, name: string, dataDir: string, joinToken?: string): ChildProcess {
  const token = joinToken ?? readFileSync(join(server.dir, 'data', 'server', 'node-token'), 'utf8').trim();
  const proc = spawn(process.execPath, [join(REPO, 'bin', 'skiff'), 'agent', '--runtime', 'fake', '--server', `https://127.0.0.1:${server.port}`, '--token', token, '--node-name', name, '--data-dir', join(dataDir, name), '--node-ip', '127.0.0.1', '--node-capacity', 'cpu=4,memory=8Gi,pods=110', '--node-lease-duration-seconds', '4', '--node-status-update-frequency', '1s'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  proc.on('exit', (code, sig) => {
    if (code && code !== 0) process.stderr.write(`agent ${name} exited ${code} ${sig ?? ''}:\n${out}\n`);
  });
  return proc;
}

/** KUBECTL_BINARIES lists the kubectl versions present: 1.32 (PATH) and 1.20 when installed. */
export function kubectlBinaries(): { name: string; bin: string }[] {
  const out = [{ name: '1.32', bin: 'kubectl' }];
  const old = process.env.KUBECTL_1_20 ?? '/usr/local/lib/skiff-test/kubectl-1.20';
  try {
    accessSync(old, constants.X_OK);
    out.push({ name: '1.20', bin: old });
  } catch {
    // absent: its cases are skipped
  }
  return out;
}

/** KubectlResult is a finished kubectl run. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** kubectl runs one bounded kubectl command against the test server. */
export function kubectl(bin: string, kubeconfig: string, args: string[], opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): KubectlResult {
  const r = spawnSync(bin, args, {
    env: { ...process.env, KUBECONFIG: kubeconfig, ...opts.env },
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 30_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** kubectlOk runs kubectl and throws with its output when it fails. */
export function kubectlOk(bin: string, kubeconfig: string, args: string[], opts: { input?: string; env?: Record<string, string> } = {}): string {
  const r = kubectl(bin, kubeconfig, args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
