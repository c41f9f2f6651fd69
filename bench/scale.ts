// Control-plane scale benchmark: a real `skiff server --disable-agent` and a separate
// `skiff sim-nodes` process with N simulated nodes; Deployments totalling P pods are created and
// the time until every pod is Running is measured through a pod watch, with both processes' RSS.
// Set SKIFF_BENCH_CPU_PROF=<dir> to run both children under `node --cpu-prof` (profiles written at exit),
// SKIFF_BENCH_GIVE_UP_MS to change the 5-minute bound, SKIFF_BENCH_DEBUG=1 to print a fresh pod
// count and both processes' stderr when a run gives up. Standalone: node dist/bench/scale.js [nodes] [pods].
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:https';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SKIFF = join(REPO, 'bin', 'skiff');
const GIVE_UP_MS = Number(process.env.SKIFF_BENCH_GIVE_UP_MS ?? 5 * 60_000);
const PROGRESS_MS = 5000;
const TARGET_RUNNING_MS = 60_000;
const TARGET_RSS_MB = 1024;
const PODS_PER_DEPLOYMENT = 1000;
// One /24 per node as in k3s: the default 10.42.0.0/16 holds 256 nodes, this one 4,096.
const CLUSTER_CIDR = ['--cluster-cidr', '10.64.0.0/12'];

/** ScaleOptions sizes the run: simulated nodes and pods in total. */
export interface ScaleOptions {
  nodes: number;
  pods: number;
}

/** Proc is a child process with the tail of its stderr kept for error messages. */
interface Proc {
  child: ChildProcess;
  tail(): string;
}

/** Api is an HTTPS client for the bench server. */
interface Api {
  agent: Agent;
  port: number;
}

/** GaveUp is thrown when the 5-minute bound is hit. */
class GaveUp extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** profFlags runs a child under `node --cpu-prof` when SKIFF_BENCH_CPU_PROF names a folder. */
function profFlags(name: string): string[] {
  const dir = process.env.SKIFF_BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.${Date.now()}.cpuprofile`] : [];
}

function startProc(args: string[], nodeFlags: string[] = []): Proc {
  const child = spawn(process.execPath, [...nodeFlags, SKIFF, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let tail = '';
  // Draining stderr also keeps a chatty child from blocking on a full pipe.
  child.stderr?.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-4000)));
  return { child, tail: () => tail };
}

async function stopProc(p: Proc | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
  p.child.kill('SIGTERM');
  const t = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
}

/** vmRssMB reads a process's resident set size from /proc (0 where /proc is missing). */
function vmRssMB(pid: number | undefined): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function waitForFile(path: string, proc: Proc, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!existsSync(path)) {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited with ${proc.child.exitCode}: ${proc.tail()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not write ${path} in 30 s: ${proc.tail()}`);
    await sleep(50);
  }
}

function apiFromKubeconfig(path: string): Api {
  const kc = parseYaml(readFileSync(path, 'utf8')) as { clusters: { cluster: Record<string, string> }[]; users: { user: Record<string, string> }[] };
  const cluster = kc.clusters[0]?.cluster ?? {};
  const user = kc.users[0]?.user ?? {};
  const b64 = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64');
  const port = Number(new URL(cluster.server ?? '').port);
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ca: b64(cluster['certificate-authority-data']), cert: b64(user['client-certificate-data']), key: b64(user['client-key-data']) });
  return { agent, port };
}

/** call sends one JSON request and resolves with the status code and the parsed body. */
function call(api: Api, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string | number> = { Accept: 'application/json' };
  if (data !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) });
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: api.port, method, path, agent: api.agent, timeout: 60_000, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> });
        } catch {
          reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 200)}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', reject);
    req.end(data);
  });
}

type Item = { metadata?: { name?: string }; spec?: { nodeName?: string; podCIDR?: string }; status?: { phase?: string; conditions?: { type?: string; status?: string }[] } };

/** listAll pages through a collection 500 at a time; it returns the items and the list's resourceVersion. */
async function listAll(api: Api, path: string): Promise<{ items: Item[]; resourceVersion: string }> {
  const items: Item[] = [];
  let cont = '';
  for (;;) {
    const r = await call(api, 'GET', `${path}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    items.push(...((r.body.items as Item[] | undefined) ?? []));
    const meta = (r.body.metadata ?? {}) as { continue?: string; resourceVersion?: string };
    if (!meta.continue) return { items, resourceVersion: meta.resourceVersion ?? '' };
    cont = meta.continue;
  }
}

// A node runs pods once Ready and given its pod CIDR (the fleet waits for the CIDR, as a CNI would).
const isReady = (n: Item): boolean => (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const isUsable = (n: Item): boolean => isReady(n) && Boolean(n.spec?.podCIDR);

/** Cluster is the two processes of one run and their scratch space. */
interface Cluster {
  dir: string;
  server?: Proc;
  sim?: Proc;
  api?: Api;
}

async function startServer(c: Cluster): Promise<{ api: Api; token: string }> {
  const kubeconfig = join(c.dir, 'kubeconfig.yaml');
  const config = join(c.dir, 'config.yaml');
  const data = join(c.dir, 'data');
  writeFileSync(config, '');
  c.server = startProc(['server', '--disable-agent', '--config', config, '--data-dir', data, '--https-listen-port', '0', '--bind-address', '127.0.0.1', '--advertise-address', '127.0.0.1', '--write-kubeconfig', kubeconfig, ...CLUSTER_CIDR], profFlags('server'));
  await waitForFile(kubeconfig, c.server, 'skiff server');
  const tokenFile = join(data, 'server', 'node-token');
  await waitForFile(tokenFile, c.server, 'skiff server');
  c.api = apiFromKubeconfig(kubeconfig);
  return { api: c.api, token: readFileSync(tokenFile, 'utf8').trim() };
}

/** waitForNodes polls the Node list until `want` nodes are Ready with a pod CIDR, printing progress. */
async function waitForNodes(c: Cluster, api: Api, want: number, deadline: number, print: (l: string) => void): Promise<number> {
  const start = performance.now();
  let lastPrint = start;
  for (;;) {
    const { items } = await listAll(api, '/api/v1/nodes');
    const ready = items.filter(isReady).length;
    const usable = items.filter(isUsable).length;
    if (usable >= want) return performance.now() - start;
    if (c.sim?.child.exitCode !== null) throw new Error(`skiff sim-nodes exited with ${c.sim?.child.exitCode}: ${c.sim?.tail()}`);
    if (Date.now() > deadline) throw new GaveUp(`only ${usable}/${want} nodes Ready with a pod CIDR (${items.length} registered, ${ready} Ready)`);
    if (performance.now() - lastPrint >= PROGRESS_MS) {
      lastPrint = performance.now();
      print(`scale:   ${secs(lastPrint - start)}: ${items.length} nodes registered, ${ready} Ready, ${usable} with a pod CIDR`);
    }
    await sleep(1000);
  }
}

function deployment(name: string, replicas: number): unknown {
  const labels = { app: name };
  const container = { name: 'c', image: 'registry.k8s.io/pause:3.9', resources: { requests: { cpu: '10m', memory: '16Mi' } } };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels }, spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container] } } } };
}

/** createDeployments creates deployments of at most PODS_PER_DEPLOYMENT replicas totalling `pods`. */
async function createDeployments(api: Api, pods: number): Promise<number> {
  const count = Math.max(1, Math.ceil(pods / PODS_PER_DEPLOYMENT));
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const replicas = Math.floor(pods / count) + (i < pods % count ? 1 : 0);
      const r = await call(api, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment(`scale-${i}`, replicas));
      if (r.status !== 201) throw new Error(`create deployment scale-${i}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    }),
  );
  return count;
}

/** PodTracker counts the pods seen, bound and Running, and when each count first reached the goal. */
class PodTracker {
  private readonly pods = new Map<string, { bound: boolean; running: boolean }>();
  created = 0;
  bound = 0;
  running = 0;
  /** events counts the pod changes seen (a cost figure: every one is a write and a fan-out). */
  events = 0;
  readonly reachedAt: { created?: number; bound?: number; running?: number } = {};

  constructor(private readonly want: number, private readonly t0: number) {}

  /** reset replaces the state with a fresh list (after the watch ended). */
  reset(items: Item[]): void {
    this.pods.clear();
    this.created = this.bound = this.running = 0;
    for (const it of items) this.observe('ADDED', it);
  }

  observe(type: string, it: Item): void {
    const name = it.metadata?.name ?? '';
    const old = this.pods.get(name);
    if (old) {
      this.created--;
      if (old.bound) this.bound--;
      if (old.running) this.running--;
    }
    if (type === 'DELETED') this.pods.delete(name);
    else {
      const now = { bound: Boolean(it.spec?.nodeName), running: it.status?.phase === 'Running' };
      this.pods.set(name, now);
      this.created++;
      if (now.bound) this.bound++;
      if (now.running) this.running++;
    }
    const at = performance.now() - this.t0;
    if (this.created >= this.want) this.reachedAt.created ??= at;
    if (this.bound >= this.want) this.reachedAt.bound ??= at;
    if (this.running >= this.want) this.reachedAt.running ??= at;
  }
}

/** watchPods streams pod events from resourceVersion rv into the tracker until the stream ends, a 410, or the signal. */
function watchPods(api: Api, rv: string, tracker: PodTracker, signal: AbortSignal): Promise<void> {
  const path = `/api/v1/namespaces/default/pods?watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(rv)}`;
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port: api.port, method: 'GET', path, agent: api.agent, headers: { Accept: 'application/json' } }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (!line.trim()) continue;
          const ev = JSON.parse(line) as { type: string; object: Item };
          if (ev.type === 'ERROR') req.destroy();
          else if (ev.type !== 'BOOKMARK') {
            tracker.events++;
            tracker.observe(ev.type, ev.object);
          }
        }
      });
      res.on('end', () => resolve());
      res.on('error', () => resolve());
    });
    req.on('error', () => resolve());
    signal.addEventListener('abort', () => req.destroy(), { once: true });
    req.end();
  });
}

/** trackPods lists then watches the pods, relisting whenever the watch ends, until the signal. */
async function trackPods(api: Api, tracker: PodTracker, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      const { items, resourceVersion } = await listAll(api, '/api/v1/namespaces/default/pods');
      tracker.reset(items);
      await watchPods(api, resourceVersion, tracker, signal);
    } catch {
      await sleep(500);
    }
  }
}

/** RunFigures are what one pod run measured. */
interface RunFigures {
  tracker: PodTracker;
  elapsedMs: number;
  serverPeakMB: number;
  simPeakMB: number;
}

/** runPods creates the Deployments and waits until every pod is Running, sampling RSS each second. */
async function runPods(c: Cluster, api: Api, pods: number, deadline: number, print: (l: string) => void): Promise<RunFigures> {
  const t0 = performance.now();
  const tracker = new PodTracker(pods, t0);
  const stop = new AbortController();
  const tracking = trackPods(api, tracker, stop.signal);
  let serverPeakMB = 0;
  let simPeakMB = 0;
  try {
    const count = await createDeployments(api, pods);
    print(`scale:   ${count} Deployments created in ${secs(performance.now() - t0)}`);
    let lastPrint = t0;
    while (tracker.running < pods) {
      await sleep(1000);
      serverPeakMB = Math.max(serverPeakMB, vmRssMB(c.server?.child.pid));
      simPeakMB = Math.max(simPeakMB, vmRssMB(c.sim?.child.pid));
      for (const p of [c.server, c.sim]) if (p && p.child.exitCode !== null) throw new Error(`a process exited with ${p.child.exitCode}: ${p.tail()}`);
      const now = performance.now();
      const counts = `${tracker.created} created, ${tracker.bound} bound, ${tracker.running} Running`;
      if (Date.now() > deadline) throw new GaveUp(`after ${secs(now - t0)}: ${counts} of ${pods}`);
      if (now - lastPrint >= PROGRESS_MS) {
        lastPrint = now;
        print(`scale:   ${secs(now - t0)}: ${counts} | server RSS ${serverPeakMB.toFixed(0)} MB peak`);
      }
    }
    return { tracker, elapsedMs: tracker.reachedAt.running ?? performance.now() - t0, serverPeakMB, simPeakMB };
  } finally {
    stop.abort();
    await tracking;
  }
}

const rate = (n: number, ms: number | undefined): string => (ms ? `${Math.round(n / (ms / 1000))}` : 'n/a');
const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');

/**
 * benchScale starts `skiff server --disable-agent` and `skiff sim-nodes --count nodes` as separate
 * processes on a temporary data dir, waits for the nodes to be Ready, creates Deployments
 * totalling `pods` replicas and measures the time until all pods are Running, then prints the
 * rates, both processes' RSS and the targets (pods Running within 60 s, server RSS ≤ 1 GB). It
 * gives up after 5 minutes with a message, never throws for a missed target, and always stops
 * both processes and removes the temporary dir.
 */
export async function benchScale(print: (line: string) => void, opts: ScaleOptions): Promise<void> {
  const { nodes, pods } = opts;
  const c: Cluster = { dir: mkdtempSync(join(tmpdir(), 'skiff-bench-scale-')) };
  const deadline = Date.now() + GIVE_UP_MS;
  const label = `scale: ${nodes} nodes, ${pods} pods`;
  try {
    const { api, token } = await startServer(c);
    const capacity = 'cpu=32,memory=256Gi,pods=110';
    c.sim = startProc(['sim-nodes', '--count', String(nodes), '--server', `https://127.0.0.1:${api.port}`, '--token', token, '--kubeconfig', join(c.dir, 'kubeconfig.yaml'), '--node-capacity', capacity], profFlags('sim-nodes'));
    const nodesMs = await waitForNodes(c, api, nodes, deadline, print);
    print(`scale:   ${nodes} nodes Ready (with pod CIDRs) in ${secs(nodesMs)} | server RSS ${vmRssMB(c.server?.child.pid).toFixed(0)} MB, sim-nodes RSS ${vmRssMB(c.sim.child.pid).toFixed(0)} MB`);
    const f = await runPods(c, api, pods, deadline, print);
    const at = f.tracker.reachedAt;
    const serverMB = vmRssMB(c.server?.child.pid);
    const simMB = vmRssMB(c.sim.child.pid);
    const serverPeak = Math.max(f.serverPeakMB, serverMB);
    print(
      `${label}: all Running in ${secs(f.elapsedMs)} | pods created/s ${rate(pods, at.created)}, bound/s ${rate(pods, at.bound)}, running/s ${rate(pods, at.running)} ` +
        `| server RSS ${serverMB.toFixed(0)} MB (peak ${serverPeak.toFixed(0)} MB), sim-nodes RSS ${simMB.toFixed(0)} MB (peak ${Math.max(f.simPeakMB, simMB).toFixed(0)} MB)`,
    );
    print(`  pod watch events: ${f.tracker.events} (${(f.tracker.events / pods).toFixed(1)} per pod)`);
    print(`  target: ${pods.toLocaleString('en-US')} pods Running within 60 s: ${verdict(f.elapsedMs <= TARGET_RUNNING_MS)}`);
    print(`  server RSS ≤ 1 GB: ${verdict(serverPeak <= TARGET_RSS_MB)}`);
  } catch (e) {
    const why = e instanceof GaveUp ? `gave up after ${GIVE_UP_MS / 60_000} minutes: ${e.message}` : `failed: ${(e as Error).message}`;
    print(`${label}: ${why}`);
    print(`  target: ${pods.toLocaleString('en-US')} pods Running within 60 s: MISSED`);
    print(`  server RSS ≤ 1 GB: ${verdict(vmRssMB(c.server?.child.pid) <= TARGET_RSS_MB)} (at give-up)`);
    if (process.env.SKIFF_BENCH_DEBUG && c.api) {
      const { items } = await listAll(c.api, '/api/v1/namespaces/default/pods').catch(() => ({ items: [] as Item[] }));
      print(`  a fresh list: ${items.length} pods, ${items.filter((p) => p.status?.phase === 'Running').length} Running`);
      print(`  server stderr: ${c.server?.tail().slice(-1500)}`);
      print(`  sim-nodes stderr: ${c.sim?.tail().slice(-1500)}`);
    }
  } finally {
    c.api?.agent.destroy();
    await stopProc(c.sim);
    await stopProc(c.server);
    rmSync(c.dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const num = (i: number, d: number): number => Number(process.argv[i] ?? d);
  await benchScale((line) => console.log(line), { nodes: num(2, 1000), pods: num(3, 10_000) });
}
