// Real-node benchmark: labs of real containerd nodes in network namespaces (design.md §7: every
// agent, and every probe of it, runs inside a lab namespace, never in the machine's own).
// 1. cold start: `skiff server` with its embedded agent on a fresh data dir, process start → node Ready;
// 2. pod start: create → Running seen through a watch from the client host, with nodeName set and
//    through the scheduler, beside a raw `ctr run --rm … true` on the same node;
// 3. the worker agent's idle memory with those pods running, beside containerd's.
// BENCH_VERBOSE=1 also prints every pod's latency.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { containerdPaths } from '../src/agent/containerd/config.js';
import { labDown, readLabState } from '../src/lab/index.js';
import { labSkipReason, startLab, type TestLab } from '../test/lab_harness.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUDGET_MS = 5 * 60_000;
const IMAGE = 'skiff.local/busybox:1.35';
const PODS = 30;
const CTR_RUNS = 10;

export type Print = (line: string) => void;

/**
 * PROBE_SCRIPT runs in the lab's client namespace (node PROBE JOB.json) and prints one JSON answer.
 * Job "ready" polls GET /api/v1/nodes/<node> every 20 ms until Ready: {readyAt, polls, firstPollReady}.
 * Job "pods" watches the selector, then creates each pod in turn and waits for the watch to show it
 * Running: {latencies (ms, create call → Running event), failures}.
 */
const PROBE_SCRIPT = String.raw`import { Agent, request } from 'node:https';
import { readFileSync } from 'node:fs';
const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const url = new URL(job.server);
const agent = new Agent({ keepAlive: true, ca: job.ca, cert: job.cert, key: job.key });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function call(method, path, body, onData) {
  return new Promise((resolve, reject) => {
    const headers = body ? { 'Content-Type': 'application/json' } : {};
    const req = request({ host: url.hostname, port: url.port, method, path, agent, headers, timeout: onData ? 0 : 10000 }, (res) => {
      let text = '';
      res.on('data', (d) => (onData ? onData(d.toString()) : (text += d)));
      res.on('end', () => resolve({ code: res.statusCode, body: text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}
async function ready() {
  const end = Date.now() + job.timeoutMs;
  for (let polls = 1; Date.now() < end; polls++) {
    const r = await call('GET', '/api/v1/nodes/' + job.node).catch(() => undefined);
    const conds = r && r.code === 200 ? (JSON.parse(r.body).status?.conditions ?? []) : [];
    if (conds.some((c) => c.type === 'Ready' && c.status === 'True')) return { readyAt: Date.now(), polls, firstPollReady: polls === 1 };
    await sleep(20);
  }
  throw new Error('node ' + job.node + ' not Ready within ' + job.timeoutMs + ' ms');
}
async function pods() {
  const base = '/api/v1/namespaces/default/pods';
  const sel = 'labelSelector=' + encodeURIComponent(job.selector);
  const list = await call('GET', base + '?' + sel);
  const rv = JSON.parse(list.body).metadata.resourceVersion;
  const waiters = new Map();
  let buf = '';
  const onData = (chunk) => {
    buf += chunk;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (!line.trim()) continue;
      const ev = JSON.parse(line);
      const name = ev.object?.metadata?.name;
      if (ev.object?.status?.phase === 'Running' && waiters.has(name)) waiters.get(name)(performance.now());
    }
  };
  call('GET', base + '?watch=1&' + sel + '&resourceVersion=' + rv, undefined, onData).catch(() => {});
  await sleep(200);
  const latencies = [];
  const failures = [];
  for (const pod of job.pods) {
    const name = pod.metadata.name;
    const seen = new Promise((r) => waiters.set(name, r));
    const t0 = performance.now();
    const r = await call('POST', base, pod).catch((e) => ({ code: 0, body: e.message }));
    if (r.code !== 201) {
      failures.push(name + ': create ' + r.code + ' ' + r.body.slice(0, 200));
      continue;
    }
    const at = await Promise.race([seen, sleep(job.podTimeoutMs).then(() => undefined)]);
    if (at === undefined) failures.push(name + ': not Running within ' + job.podTimeoutMs + ' ms');
    else latencies.push(at - t0);
  }
  return { latencies, failures };
}
const out = job.mode === 'ready' ? await ready() : await pods();
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
`;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const mark = (ok: boolean): string => (ok ? 'meets target' : 'MISSES target');
const ms = (v: number): string => `${Math.round(v)} ms`;

/** quantile of a sample (nearest rank, NaN when empty). */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

/** rssMB reads a process's VmRSS from /proc (NaN when it is gone). */
export function rssMB(pid: number | undefined): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** clockTicks is the kernel's USER_HZ, the unit of /proc/<pid>/stat times. */
function clockTicks(): number {
  return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
}

/** startWallMs is when a process started, in Date.now() terms, from /proc (10 ms resolution). */
function startWallMs(pid: number): number {
  const now = Date.now();
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  return now - (uptime - ticks / clockTicks()) * 1000;
}

/** Deadline rejects pending steps once the benchmark's time budget is spent. */
export class Deadline {
  private readonly end: number;
  constructor(private readonly budgetMs = BUDGET_MS) {
    this.end = Date.now() + budgetMs;
  }
  async within<T>(what: string, p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`gave up: ${what} still unfinished after the ${this.budgetMs / 60_000}-minute budget`)), Math.max(0, this.end - Date.now()));
    });
    try {
      return await Promise.race([p, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
  left(): number {
    return Math.max(1000, this.end - Date.now());
  }
}

/** Lab is a lab being brought up or running, with what removes it whatever state it is in. */
export interface Lab {
  dir: string;
  name: string;
  handle?: TestLab;
}

/** removeLab tears a lab down (bounded) and removes its folder and its containerd state dirs. */
export async function removeLab(lab: Lab, print: Print): Promise<void> {
  const hostDirs = await readLabState(lab.dir).then((s) => s.hosts.map((h) => h.dir), () => [] as string[]);
  const down = lab.handle ? lab.handle.down() : existsSync(join(lab.dir, 'lab.json')) ? labDown({ dir: lab.dir }) : Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((r) => (timer = setTimeout(() => r(print(`  lab ${lab.name}: teardown still running after 60 s; run 'skiff lab down --dir ${lab.dir}'`)), 60_000)));
  await Promise.race([down.catch((e: unknown) => print(`  lab ${lab.name} teardown: ${(e as Error).message}`)), bound]);
  clearTimeout(timer);
  // The agents keep containerd's runtime state under /run/skiff/<hash of the data dir>, with the
  // tasks' rootfs and the sandboxes' shm mounted there; lab down does not unmount those.
  for (const d of hostDirs) await removeMounted(dirname(containerdPaths(d).state)).catch((e: unknown) => print(`  lab ${lab.name}: ${(e as Error).message}`));
  try {
    rmSync(lab.dir, { recursive: true, force: true });
  } catch (e) {
    print(`  lab ${lab.name}: ${(e as Error).message}`);
  }
}

/** removeMounted lazily unmounts everything mounted below dir (deepest first), then removes dir. */
async function removeMounted(dir: string): Promise<void> {
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => p.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const p of new Set(points)) execFileSync('umount', ['-l', p], { stdio: 'ignore', timeout: 10_000 });
  rmSync(dir, { recursive: true, force: true });
}

/** clientCreds reads the client kubeconfig's server URL and PEM credentials, for the probe script. */
export function clientCreds(kubeconfig: string): Record<string, string> {
  const kc = parseYaml(readFileSync(kubeconfig, 'utf8')) as { clusters: { cluster: Record<string, string> }[]; users: { user: Record<string, string> }[] };
  const cluster = kc.clusters[0]?.cluster ?? {};
  const user = kc.users[0]?.user ?? {};
  const pem = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString();
  return { server: cluster.server ?? '', ca: pem(cluster['certificate-authority-data']), cert: pem(user['client-certificate-data']), key: pem(user['client-key-data']) };
}

/** runProbe runs the probe script with a job inside the lab's client namespace and parses its JSON answer. */
async function runProbe<T>(dir: string, clientNetns: string, creds: Record<string, string>, job: Record<string, unknown>, timeoutMs: number): Promise<T> {
  const script = join(dir, 'probe.mjs');
  if (!existsSync(script)) writeFileSync(script, PROBE_SCRIPT);
  const input = join(dir, `probe-${Date.now()}.json`);
  writeFileSync(input, JSON.stringify({ ...creds, ...job }), { mode: 0o600 });
  const child = spawn('nsenter', [`--net=/run/netns/${clientNetns}`, '--', process.execPath, script, input], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 137)));
  if (code !== 0) throw new Error(`probe ${String(job.mode)} exited ${code}: ${err.trim().slice(-500)}`);
  return JSON.parse(out) as T;
}

/** coldStart brings up a lab with no workers and times the controller's skiff from process start to its node Ready. */
async function coldStart(print: Print, deadline: Deadline, labs: Lab[]): Promise<void> {
  const lab: Lab = { dir: mkdtempSync(join(tmpdir(), 'skiff-bench-cold-')), name: `bc${process.pid % 100000}` };
  labs.push(lab);
  const up = startLab({ dir: lab.dir, name: lab.name, workers: 0, runtime: 'containerd', subnet: '10.78.0.0/24', timeoutMs: 120_000 }).then((h) => (lab.handle = h));
  up.catch(() => {}); // awaited below; its failure must not go unhandled while the probe waits
  const stateFile = join(lab.dir, 'lab.json');
  let pid: number | undefined;
  while (!pid) {
    if (existsSync(stateFile)) pid = (await readLabState(lab.dir).catch(() => undefined))?.hosts.find((h) => h.role === 'controller')?.pid;
    if (!pid) await Promise.race([sleep(5), up.then(() => Promise.reject(new Error('lab came up without a controller pid')))]);
  }
  const started = startWallMs(pid);
  const kubeconfig = join(lab.dir, 'client', 'kubeconfig.yaml');
  let creds: Record<string, string> | undefined;
  // The lab writes the client kubeconfig in place: read it until it parses whole.
  while (!creds?.key) {
    creds = existsSync(kubeconfig) ? await Promise.resolve().then(() => clientCreds(kubeconfig)).catch(() => undefined) : undefined;
    if (!creds?.key) await Promise.race([sleep(5), up.then(() => undefined)]);
  }
  const probe = runProbe<{ readyAt: number; polls: number; firstPollReady: boolean }>(lab.dir, `${lab.name}-client`, creds, { mode: 'ready', node: 'controller', timeoutMs: 60_000 }, 70_000);
  const r = await deadline.within('cold start', probe);
  const serverRss = rssMB(pid);
  const ctrdRss = rssMB(readPid(containerdPaths(join(lab.dir, 'controller')).pidFile));
  await deadline.within('cold-start lab up', up);
  const took = r.readyAt - started;
  print(`  cold start: skiff server (embedded containerd agent, fresh data dir) process start → node Ready ${ms(took)}${r.firstPollReady ? ' (upper bound: Ready at the first poll)' : ''} — target <= 5000 ms: ${mark(took <= 5000)}`);
  print(`  server RSS at Ready ${serverRss.toFixed(0)} MB (its containerd ${ctrdRss.toFixed(0)} MB, not counted)`);
  await removeLab(lab, print);
  labs.splice(labs.indexOf(lab), 1);
}

/** cpuSeconds is a process's user + system CPU time from /proc (NaN when it is gone). */
export function cpuSeconds(pid: number, o: { withChildren?: boolean } = {}): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime; with children also cutime, cstime (children the process has waited for, like nft).
    const fields = o.withChildren ? [11, 12, 13, 14] : [11, 12];
    return fields.reduce((sum, i) => sum + Number(f[i]), 0) / clockTicks();
  } catch {
    return NaN;
  }
}

/** idleReadings samples a process's RSS every second for 30 s (GC makes one reading noisy) and its CPU use over them. */
async function idleReadings(pid: number): Promise<{ rss: number[]; cpuPercent: number }> {
  const cpu0 = cpuSeconds(pid);
  const rss: number[] = [];
  for (let i = 0; i < 30; i++) {
    await sleep(1000);
    rss.push(rssMB(pid));
  }
  return { rss, cpuPercent: ((cpuSeconds(pid) - cpu0) / 30) * 100 };
}

/** readPid reads a pid file (undefined when it is missing or holds no pid). */
function readPid(file: string): number | undefined {
  const n = Number(existsSync(file) ? readFileSync(file, 'utf8').trim() : '');
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** ctrRuns times `ctr run --rm --net-host IMAGE id true` on the worker (inside its namespace). */
async function ctrRuns(lab: TestLab, workerDir: string): Promise<number[]> {
  const paths = containerdPaths(workerDir);
  const snapshotter = /snapshotter = "(\w+)"/.exec(readFileSync(paths.configFile, 'utf8'))?.[1] ?? 'overlayfs';
  const times: number[] = [];
  for (let i = 0; i < CTR_RUNS; i++) {
    const t0 = performance.now();
    const r = await lab.exec('worker1', ['ctr', '-a', paths.socket, '-n', 'k8s.io', 'run', '--rm', '--net-host', '--snapshotter', snapshotter, IMAGE, `bench-ctr-${process.pid}-${i}`, 'true'], { timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`ctr run exited ${r.code}: ${r.stderr.trim()}`);
    times.push(performance.now() - t0);
  }
  return times;
}

/** PodStartResult is what the probe reports for one series of pods. */
interface PodStartResult {
  latencies: number[];
  failures: string[];
}

function podSeries(run: string, placement: Record<string, unknown>): Record<string, unknown>[] {
  return Array.from({ length: PODS }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${run}-${i}`, labels: { bench: run } },
    spec: { ...placement, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: IMAGE, command: ['sleep', '3600'] }] },
  }));
}

/** podStarts creates the series one after another and reports create → Running latencies seen by a watch. */
async function podStarts(lab: TestLab, run: string, placement: Record<string, unknown>, deadline: Deadline): Promise<PodStartResult> {
  const job = { mode: 'pods', selector: `bench=${run}`, pods: podSeries(run, placement), podTimeoutMs: 60_000 };
  return deadline.within(`pod series ${run}`, runProbe<PodStartResult>(lab.dir, `${lab.name}-client`, clientCreds(lab.kubeconfig), job, Math.min(deadline.left(), PODS * 60_000)));
}

function printPodStarts(print: Print, what: string, r: PodStartResult, ctrP50: number): void {
  const p50 = quantile(r.latencies, 0.5);
  const p99 = quantile(r.latencies, 0.99);
  const failed = r.failures.length ? ` (${r.failures.length} failed: ${r.failures.slice(0, 2).join('; ')})` : '';
  if (process.env.BENCH_VERBOSE) print(`    latencies: ${r.latencies.map((x) => Math.round(x)).join(" ")}`);
  print(`  pod start ${what}, ${r.latencies.length} pods: p50 ${ms(p50)} (${(p50 / ctrP50).toFixed(2)}x raw ctr run p50 ${ms(ctrP50)}) — target <= 2.5x: ${mark(p50 <= 2.5 * ctrP50)}; p99 ${ms(p99)} — target <= 1000 ms: ${mark(p99 <= 1000)}${failed}`);
}

/** podLab runs the pod-start series and the idle-memory reading on a one-worker lab. */
async function podLab(print: Print, deadline: Deadline, labs: Lab[], images: string): Promise<void> {
  const lab: Lab = { dir: mkdtempSync(join(tmpdir(), 'skiff-bench-node-')), name: `bn${process.pid % 100000}` };
  labs.push(lab);
  lab.handle = await deadline.within('lab up', startLab({ dir: lab.dir, name: lab.name, workers: 1, runtime: 'containerd', subnet: '10.79.0.0/24', images: [join(images, 'busybox-1.35.tar')], timeoutMs: 150_000 }));
  const h = lab.handle;
  const worker = h.state.hosts.find((x) => x.name === 'worker1');
  if (!worker?.pid) throw new Error('lab state has no worker1 pid');
  const ctr = await deadline.within('ctr runs', ctrRuns(h, worker.dir));
  const ctrP50 = quantile(ctr, 0.5);
  print(`  reference: raw ctr run --rm --net-host ${IMAGE} true on worker1, ${CTR_RUNS} runs: p50 ${ms(ctrP50)}, max ${ms(Math.max(...ctr))}`);
  const direct = await podStarts(h, 'direct', { nodeName: 'worker1' }, deadline);
  printPodStarts(print, 'create → Running (nodeName set)', direct, ctrP50);
  const scheduled = await podStarts(h, 'sched', { nodeSelector: { 'kubernetes.io/hostname': 'worker1' } }, deadline);
  printPodStarts(print, 'create → Running (through the scheduler)', scheduled, ctrP50);
  const running = direct.latencies.length + scheduled.latencies.length;
  const idle = await idleReadings(worker.pid);
  const agentRss = idle.rss.at(-1) ?? NaN;
  const ctrdRss = rssMB(readPid(containerdPaths(worker.dir).pidFile));
  print(`  worker agent RSS after 30 s idle with ${running} pods running ${agentRss.toFixed(0)} MB (${Math.min(...idle.rss).toFixed(0)}–${Math.max(...idle.rss).toFixed(0)} MB over those 30 s, CPU ${idle.cpuPercent.toFixed(1)}% of a core) — target <= 60 MB: ${mark(agentRss <= 60)}; its containerd ${ctrdRss.toFixed(0)} MB (not counted)`);
  await removeLab(lab, print);
  labs.splice(labs.indexOf(lab), 1);
}

/**
 * benchNode runs the real-node benchmarks (cold start, pod start latency beside raw ctr, agent idle
 * memory) on containerd labs and prints each figure beside its reference and target. It prints a
 * skip line where labs cannot run (not root, no containerd), gives up after 5 minutes, and always
 * tears its labs down; it never throws.
 */
export async function benchNode(print: Print): Promise<void> {
  print('real nodes (containerd labs in network namespaces):');
  const skip = labSkipReason() ?? (existsSync('/usr/bin/containerd') ? undefined : 'containerd is not installed');
  if (skip) return print(`  skipped: ${skip}`);
  const deadline = new Deadline();
  const labs: Lab[] = [];
  const images = mkdtempSync(join(tmpdir(), 'skiff-bench-images-'));
  try {
    execFileSync(process.execPath, [join(REPO, 'scripts', 'build-images.mjs'), images], { stdio: 'ignore', timeout: 60_000 });
    await coldStart(print, deadline, labs);
    await podLab(print, deadline, labs, images);
  } catch (e) {
    print(`  failed: ${(e as Error).message}`);
  } finally {
    for (const lab of labs) await removeLab(lab, print);
    rmSync(images, { recursive: true, force: true });
  }
}
