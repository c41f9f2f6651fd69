// API benchmark: `skiff server --disable-agent` on a temporary data dir, driven over HTTPS with
// keep-alive connections: sustained ConfigMap creates with 64 concurrent clients, create latency
// at a paced 100/s, and the server's resident memory before and after.
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:https';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** ApiBenchResult holds the figures benchApi measured. */
export interface ApiBenchResult {
  createsPerSec: number;
  createErrors: number;
  clients: number;
  pacedRate: number;
  p50Ms: number;
  p99Ms: number;
  pacedErrors: number;
  idleRssMB: number;
  afterLoadRssMB: number;
}

/** BenchServer is a running server and an HTTPS client for it. */
export interface BenchServer {
  proc: ChildProcess;
  agent: Agent;
  port: number;
  dir: string;
}

export async function startBenchServer(extraArgs: string[] = []): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-api-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  const config = join(dir, 'config.yaml');
  writeFileSync(config, '');
  const args = ['server', '--disable-agent', '--config', config, '--data-dir', join(dir, 'data'), '--https-listen-port', '0', '--bind-address', '127.0.0.1', '--advertise-address', '127.0.0.1', '--write-kubeconfig', kubeconfig, ...extraArgs];
  // Started as users start it: through bin/skiff's shebang, with its Node flags.
  const proc = spawn(join(REPO, 'bin', 'skiff'), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let errOut = '';
  proc.stderr?.on('data', (d: Buffer) => (errOut = (errOut + d.toString()).slice(-4000)));
  try {
    const deadline = Date.now() + 30_000;
    while (!existsSync(kubeconfig)) {
      if (proc.exitCode !== null) throw new Error(`skiff server exited with ${proc.exitCode}: ${errOut}`);
      if (Date.now() > deadline) throw new Error(`skiff server did not write its kubeconfig in 30 s: ${errOut}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const kc = parseYaml(readFileSync(kubeconfig, 'utf8')) as { clusters: { cluster: Record<string, string> }[]; users: { user: Record<string, string> }[] };
    const cluster = kc.clusters[0]?.cluster ?? {};
    const user = kc.users[0]?.user ?? {};
    const b64 = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64');
    const port = Number(new URL(cluster.server ?? '').port);
    const agent = new Agent({ keepAlive: true, maxSockets: 64, ca: b64(cluster['certificate-authority-data']), cert: b64(user['client-certificate-data']), key: b64(user['client-key-data']) });
    return { proc, agent, port, dir };
  } catch (e) {
    await stopBenchServer({ proc, dir });
    throw e;
  }
}

export async function stopBenchServer(s: { proc: ChildProcess; dir: string; agent?: Agent }): Promise<void> {
  s.agent?.destroy();
  if (s.proc.exitCode === null && s.proc.signalCode === null) {
    const exited = new Promise<void>((r) => s.proc.once('exit', () => r()));
    s.proc.kill('SIGTERM');
    const t = setTimeout(() => s.proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  }
  rmSync(s.dir, { recursive: true, force: true });
}

/** post sends one JSON request and resolves with its status code (0 on a transport error). */
export function post(s: Pick<BenchServer, 'agent' | 'port'>, path: string, body: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port: s.port, method: 'POST', path, agent: s.agent, timeout: 30_000, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const configMap = (name: string): string => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { key: 'x'.repeat(256) } });
const CM_PATH = '/api/v1/namespaces/default/configmaps';

/** vmRssMB reads a process's resident set size from /proc (0 where /proc is missing). */
export function vmRssMB(pid: number | undefined): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export async function throughput(s: Pick<BenchServer, 'agent' | 'port'>, prefix: string, clients: number, ms: number): Promise<{ perSec: number; errors: number; failures: Map<number, number> }> {
  const start = performance.now();
  const failures = new Map<number, number>();
  let ok = 0;
  let errors = 0;
  let seq = 0;
  const client = async (): Promise<void> => {
    while (performance.now() - start < ms) {
      const code = await post(s, CM_PATH, configMap(`${prefix}-${seq++}`));
      if (code === 201) ok++;
      else {
        errors++;
        failures.set(code, (failures.get(code) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return { perSec: ok / ((performance.now() - start) / 1000), errors, failures };
}

export async function pacedLatency(s: Pick<BenchServer, 'agent' | 'port'>, rate: number, ms: number): Promise<{ p50: number; p99: number; errors: number }> {
  const total = Math.round((rate * ms) / 1000);
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    // Absolute schedule: a slow request does not delay the ones after it (no coordinated omission).
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    inflight.push(
      post(s, CM_PATH, configMap(`paced-${i}`)).then((code) => {
        if (code === 201) latencies.push(performance.now() - t0);
        else errors++;
      }),
    );
  }
  await Promise.all(inflight);
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), errors };
}

/**
 * benchApi starts a server, lets it settle, reads its idle RSS, runs ~5 s of creates with 64
 * keep-alive clients and ~5 s of creates paced at 100/s, reads RSS again after a pause, and
 * stops the server and removes its data dir whatever happens.
 */
export async function benchApi(print: (line: string) => void): Promise<ApiBenchResult> {
  const s = await startBenchServer();
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const idleRssMB = vmRssMB(s.proc.pid);
    const clients = 64;
    // A short warm-up so connection set-up and JIT do not count against the steady rate.
    await throughput(s, 'warmup', clients, 500);
    const tput = await throughput(s, 'tput', clients, 5000);
    const createsPerSec = tput.perSec;
    const pacedRate = 100;
    const paced = await pacedLatency(s, pacedRate, 5000);
    await new Promise((r) => setTimeout(r, 2000));
    const afterLoadRssMB = vmRssMB(s.proc.pid);
    print(`api: creates/s ${Math.round(createsPerSec)} (${clients} keep-alive clients, ${tput.errors} failed) | paced ${pacedRate}/s p50 ${paced.p50.toFixed(1)} ms p99 ${paced.p99.toFixed(1)} ms (${paced.errors} errors) | RSS idle ${idleRssMB.toFixed(0)} MB, after load ${afterLoadRssMB.toFixed(0)} MB`);
    return { createsPerSec, createErrors: tput.errors, clients, pacedRate, p50Ms: paced.p50, p99Ms: paced.p99, pacedErrors: paced.errors, idleRssMB, afterLoadRssMB };
  } finally {
    await stopBenchServer(s);
  }
}
