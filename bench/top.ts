// `npm run bench -- top`: `kubectl top pods -A` over 10,000 simulated pods. A real
// `skiff server --disable-agent` scrapes a separate `skiff sim-nodes` process (one kubelet API per
// simulated node); once every pod has metrics, `kubectl top pods -A` and, as the reference in the
// same run, `kubectl get pods -A` are timed a few times each (medians), with the server's RSS.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SKIFF = join(REPO, 'bin', 'skiff');
const GIVE_UP_MS = 10 * 60_000;
const RUNS = 5;
const RESOLUTION = '15s';

/** TopOptions sizes the run. */
export interface TopOptions {
  nodes: number;
  pods: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function start(args: string[]): { child: ChildProcess; tail: () => string } {
  const child = spawn(process.execPath, [SKIFF, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let tail = '';
  child.stderr?.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-3000)));
  return { child, tail: () => tail };
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
}

function rssMB(pid: number | undefined): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** kubectl runs kubectl once; resolves its stdout and wall time. */
function kubectl(kubeconfig: string, args: string[]): { out: string; ms: number; code: number; err: string } {
  const t0 = performance.now();
  const r = spawnSync('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  return { out: r.stdout ?? '', ms: performance.now() - t0, code: r.status ?? -1, err: r.stderr ?? '' };
}

const lines = (s: string): number => s.split('\n').filter((l) => l.trim()).length;

async function until(what: string, deadline: number, check: () => boolean, print: (l: string) => void): Promise<void> {
  let shown = 0;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    if (Date.now() - shown > 15_000) {
      print(`top:     waiting for ${what}…`);
      shown = Date.now();
    }
    await sleep(5000);
  }
}

/** benchTop measures `kubectl top pods -A` against `kubectl get pods -A` on simulated nodes. */
export async function benchTop(print: (line: string) => void, opts: TopOptions = { nodes: 100, pods: 10_000 }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-top-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  writeFileSync(join(dir, 'config.yaml'), '');
  let server: ReturnType<typeof start> | undefined;
  let sim: ReturnType<typeof start> | undefined;
  const deadline = Date.now() + GIVE_UP_MS;
  try {
    server = start(['server', '--disable-agent', '--config', join(dir, 'config.yaml'), '--data-dir', join(dir, 'data'), '--https-listen-port', '0', '--bind-address', '127.0.0.1', '--advertise-address', '127.0.0.1', '--write-kubeconfig', kubeconfig, '--metric-resolution', RESOLUTION]);
    const tokenFile = join(dir, 'data', 'server', 'node-token');
    await until('the server', deadline, () => existsSync(kubeconfig) && existsSync(tokenFile), print);
    const port = /server: https:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(kubeconfig, 'utf8'))?.[1];
    const podsPerNode = Math.ceil(opts.pods / opts.nodes) + 10;
    sim = start(['sim-nodes', '--count', String(opts.nodes), '--server', `https://127.0.0.1:${port}`, '--token', readFileSync(tokenFile, 'utf8').trim(), '--kubeconfig', kubeconfig, '--node-capacity', `cpu=64,memory=256Gi,pods=${podsPerNode}`]);
    await until(`${opts.nodes} nodes`, deadline, () => lines(kubectl(kubeconfig, ['get', 'nodes', '--no-headers']).out) >= opts.nodes, print);
    const perDeployment = 1000;
    for (let i = 0, left = opts.pods; left > 0; i++, left -= perDeployment) {
      kubectl(kubeconfig, ['create', 'deployment', `top-${i}`, '--image=registry.k8s.io/pause:3.9', `--replicas=${Math.min(perDeployment, left)}`]);
    }
    // Ready replicas from the Deployments: listing 10,000 pods every few seconds would load the server it measures.
    const ready = (): number => kubectl(kubeconfig, ['get', 'deployments', '-o', 'jsonpath={.items[*].status.readyReplicas}']).out.split(/\s+/).reduce((a, x) => a + (Number(x) || 0), 0);
    await until(`${opts.pods} pods Running`, deadline, () => ready() >= opts.pods, print);
    await until(`metrics of ${opts.pods} pods`, deadline, () => lines(kubectl(kubeconfig, ['top', 'pods', '-A', '--no-headers']).out) >= opts.pods, print);
    const top: number[] = [];
    const get: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = kubectl(kubeconfig, ['top', 'pods', '-A']);
      if (t.code !== 0) throw new Error(`kubectl top pods -A failed: ${t.err}`);
      top.push(t.ms);
      get.push(kubectl(kubeconfig, ['get', 'pods', '-A']).ms);
    }
    const raw = kubectl(kubeconfig, ['get', '--raw', '/apis/metrics.k8s.io/v1beta1/pods']);
    print(`top:     ${opts.nodes} simulated nodes, ${opts.pods} pods, metric resolution ${RESOLUTION}`);
    print(`top:     kubectl top pods -A median ${median(top).toFixed(0)} ms (runs ${top.map((x) => x.toFixed(0)).join(', ')}) vs kubectl get pods -A median ${median(get).toFixed(0)} ms: ${(median(top) / median(get)).toFixed(2)}x`);
    print(`top:     GET /apis/metrics.k8s.io/v1beta1/pods ${(raw.out.length / 1e6).toFixed(1)} MB in ${raw.ms.toFixed(0)} ms (kubectl get --raw) | server RSS ${rssMB(server.child.pid).toFixed(0)} MB, sim-nodes RSS ${rssMB(sim.child.pid).toFixed(0)} MB`);
  } catch (e) {
    print(`top:     ${(e as Error).message}`);
    print(`  server stderr: ${server?.tail().slice(-1000) ?? ''}`);
    print(`  sim-nodes stderr: ${sim?.tail().slice(-1000) ?? ''}`);
  } finally {
    await stop(sim?.child);
    await stop(server?.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await benchTop((l) => console.log(l), { nodes: Number(process.argv[2] ?? 100), pods: Number(process.argv[3] ?? 10_000) });
}
