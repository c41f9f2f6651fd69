// Volume benchmark (`npm run bench -- storage`): `skiff server --disable-agent` on a temporary data
// dir, driven over HTTPS. 1,000 claims bound to 1,000 static PersistentVolumes by the binder, and
// 200 claims provisioned by the built-in local-path provisioner on one `skiff agent --runtime
// fake` (selected-node set at create, as the scheduler would), folders made on its data dir, then
// deleted with their volumes and folders; then 200 pods with a claim each, the scheduler choosing
// the node, from create to Running. The reference is the same number of plain ConfigMap
// creates, measured in the same run with the same concurrency.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchServer, stopBenchServer, vmRssMB, type BenchServer } from './api.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const STATIC = 1000;
const LOCAL = 200;
const CLIENTS = 32;
const NODE = 'bench-lp';
const DEADLINE_MS = 180_000;

interface Answer {
  status: number;
  body: string;
}

/** call sends one request with a JSON body (or none) and resolves with status and text (status 0 on a transport error). */
function call(s: BenchServer, method: string, path: string, body?: unknown): Promise<Answer> {
  const text = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve) => {
    const headers = text ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) } : {};
    const req = request({ host: '127.0.0.1', port: s.port, method, path, agent: s.agent, timeout: 30_000, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(text);
  });
}

/** createAll POSTs count objects with CLIENTS in flight and returns the elapsed ms; any refusal throws. */
async function createAll(s: BenchServer, path: string, count: number, make: (i: number) => unknown): Promise<number> {
  const start = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) {
      const r = await call(s, 'POST', path, make(i));
      if (r.status !== 201) throw new Error(`POST ${path} #${i}: ${r.status} ${r.body.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, worker));
  return performance.now() - start;
}

/** until polls cond every 100 ms until it holds; past the deadline it throws naming what. */
async function until(what: string, cond: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${DEADLINE_MS / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Item {
  metadata: { name: string };
  status?: { phase?: string };
}

async function list(s: BenchServer, path: string): Promise<Item[]> {
  const r = await call(s, 'GET', path);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.body.slice(0, 300)}`);
  return (JSON.parse(r.body) as { items: Item[] }).items;
}

const bound = async (s: BenchServer, ns: string): Promise<number> => (await list(s, `/api/v1/namespaces/${ns}/persistentvolumeclaims`)).filter((c) => c.status?.phase === 'Bound').length;
const configMap = (prefix: string) => (i: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${prefix}-${i}` }, data: { key: 'x'.repeat(256) } });
const claim = (i: number, className: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: `c-${i}`, annotations },
  spec: { storageClassName: className, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
});
const staticVolume = (i: number) => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: `static-${i}` }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/tmp/skiff-bench-static-${i}` } } });

/** startFakeAgent joins `skiff agent --runtime fake` to the bench server (data under <dir>/agent). */
function startFakeAgent(s: BenchServer): ChildProcess {
  const token = readFileSync(join(s.dir, 'data', 'server', 'node-token'), 'utf8').trim();
  const args = ['agent', '--runtime', 'fake', '--server', `https://127.0.0.1:${s.port}`, '--token', token, '--node-name', NODE, '--data-dir', join(s.dir, 'agent'), '--node-ip', '127.0.0.1', '--node-capacity', 'cpu=8,memory=16Gi,pods=250'];
  return spawn(join(REPO, 'bin', 'skiff'), args, { stdio: ['ignore', 'ignore', 'ignore'] });
}

function folders(s: BenchServer): number {
  const dir = join(s.dir, 'agent', 'storage');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('pvc-')).length : 0;
}

const pod = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `p-${i}` },
  spec: {
    terminationGracePeriodSeconds: 0,
    containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9', resources: { requests: { cpu: '10m', memory: '16Mi' } }, volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: `c-${i}` } }],
  },
});

/** VolumeBenchResult holds the figures benchVolumes measured (ms and per-second rates). */
export interface VolumeBenchResult {
  configMaps1000Ms: number;
  staticBindMs: number;
  configMaps200Ms: number;
  provisionMs: number;
  reclaimMs: number;
  /** podsMs: LOCAL pods, each with its own claim, from create to Running (scheduler's volume binding). */
  podsMs: number;
}

const rate = (n: number, ms: number): string => `${Math.round(n / (ms / 1000))}/s`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function staticBinding(s: BenchServer, print: (line: string) => void): Promise<{ cm: number; bind: number }> {
  const cm = await createAll(s, '/api/v1/namespaces/default/configmaps', STATIC, configMap('ref'));
  const pvMs = await createAll(s, '/api/v1/persistentvolumes', STATIC, staticVolume);
  const start = performance.now();
  // storageClassName "" asks for a volume of no class: the default class is not applied.
  const createMs = await createAll(s, '/api/v1/namespaces/bench-static/persistentvolumeclaims', STATIC, (i) => claim(i, ''));
  await until(`${STATIC} claims Bound`, async () => (await bound(s, 'bench-static')) === STATIC);
  const bind = performance.now() - start;
  print(`storage: ${STATIC} ConfigMap creates ${secs(cm)} (${rate(STATIC, cm)}) | ${STATIC} static PV creates ${secs(pvMs)} (${rate(STATIC, pvMs)})`);
  print(`storage: ${STATIC} claims created and Bound to static volumes in ${secs(bind)} (${rate(STATIC, bind)}; creates alone ${secs(createMs)}) — ${(bind / cm).toFixed(2)}x the time of ${STATIC} ConfigMap creates`);
  return { cm, bind };
}

async function localPath(s: BenchServer, print: (line: string) => void): Promise<{ cm: number; provision: number; reclaim: number }> {
  const cm = await createAll(s, '/api/v1/namespaces/default/configmaps', LOCAL, configMap('ref200'));
  const start = performance.now();
  await createAll(s, '/api/v1/namespaces/bench-lp/persistentvolumeclaims', LOCAL, (i) => claim(i, 'local-path', { 'volume.kubernetes.io/selected-node': NODE }));
  await until(`${LOCAL} local-path claims Bound with their folders`, async () => folders(s) === LOCAL && (await bound(s, 'bench-lp')) === LOCAL);
  const provision = performance.now() - start;
  const delStart = performance.now();
  const r = await call(s, 'DELETE', '/api/v1/namespaces/bench-lp/persistentvolumeclaims');
  if (r.status !== 200) throw new Error(`DELETE claims: ${r.status} ${r.body.slice(0, 300)}`);
  await until('local-path volumes and folders removed', async () => folders(s) === 0 && (await list(s, '/api/v1/persistentvolumes')).every((v) => !v.metadata.name.startsWith('pvc-')));
  const reclaim = performance.now() - delStart;
  print(`storage: ${LOCAL} local-path claims provisioned, Bound and their folders made in ${secs(provision)} (${rate(LOCAL, provision)}) — ${(provision / cm).toFixed(2)}x the time of ${LOCAL} ConfigMap creates (${secs(cm)})`);
  print(`storage: ${LOCAL} claims deleted, volumes Released, folders and volumes removed in ${secs(reclaim)} (${rate(LOCAL, reclaim)})`);
  return { cm, provision, reclaim };
}

/** throughPods: claims without a node, each used by a pod; the scheduler picks the node, the pod runs once its claim is Bound. */
async function throughPods(s: BenchServer, print: (line: string) => void, cm: number): Promise<number> {
  const ns = '/api/v1/namespaces/bench-pods';
  const start = performance.now();
  await createAll(s, `${ns}/persistentvolumeclaims`, LOCAL, (i) => claim(i, 'local-path'));
  await createAll(s, `${ns}/pods`, LOCAL, pod);
  await until(`${LOCAL} pods Running on their local-path claims`, async () => (await list(s, `${ns}/pods`)).filter((p) => p.status?.phase === 'Running').length === LOCAL);
  const ms = performance.now() - start;
  print(`storage: ${LOCAL} pods with a local-path claim each scheduled, provisioned, Bound and Running in ${secs(ms)} (${rate(LOCAL, ms)}) — ${(ms / cm).toFixed(2)}x the time of ${LOCAL} ConfigMap creates`);
  return ms;
}

/** benchVolumes runs both parts on one server and prints a line per figure, then the server's memory. */
export async function benchVolumes(print: (line: string) => void): Promise<VolumeBenchResult> {
  const s = await startBenchServer();
  let agent: ChildProcess | undefined;
  try {
    for (const ns of ['bench-static', 'bench-lp', 'bench-pods']) await call(s, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await until('the local-path StorageClass', async () => (await call(s, 'GET', '/apis/storage.k8s.io/v1/storageclasses/local-path')).status === 200);
    // A fresh server is slow for its first few hundred writes (JIT, caches): warm it before any reference.
    await createAll(s, '/api/v1/namespaces/default/configmaps', 300, configMap('warm'));
    const st = await staticBinding(s, print);
    agent = startFakeAgent(s);
    await until(`node ${NODE} registered`, async () => (await call(s, 'GET', `/api/v1/nodes/${NODE}`)).status === 200);
    const lp = await localPath(s, print);
    const podsMs = await throughPods(s, print, lp.cm);
    print(`storage: server RSS after the volumes ${vmRssMB(s.proc.pid).toFixed(0)} MB`);
    return { configMaps1000Ms: st.cm, staticBindMs: st.bind, configMaps200Ms: lp.cm, provisionMs: lp.provision, reclaimMs: lp.reclaim, podsMs };
  } finally {
    if (agent && agent.exitCode === null && agent.signalCode === null) {
      const exited = new Promise<void>((r) => agent?.once('exit', () => r()));
      agent.kill('SIGTERM');
      const t = setTimeout(() => agent?.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    await stopBenchServer(s);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await benchVolumes((line) => console.log(line));
}
