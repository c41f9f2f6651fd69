// Service networking benchmark on a containerd lab (design.md §7: every load generator runs inside
// a lab namespace, a pod's or a lab host's, never in the machine's own):
// 1. the proxy's full sync at 10,000 Services (render in-process, `nft -f` in a throwaway netns);
// 2. HTTP through a ClusterIP against the pod IP directly (wrk in a pod on another node), and
//    through a NodePort against the pod IP from the client host;
// 3. Ingress against plain nginx as a reverse proxy to the same pod on the same node;
// 4. cluster DNS queries/s and p99 from a pod (dnsperf);
// 5. programming latency (Service create → first connection through it) at 10 and 10,000 Services,
//    the agent's CPU for one full sync at 10,000, and its RSS with 100 Services next to a node
//    with the Service proxy, DNS and ingress off.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../src/api/types.js';
import { buildTable, proxyPorts, renderChanges, renderFull } from '../src/proxy/ruleset.js';
import { labSkipReason, startLab, type TestLab } from '../test/lab_harness.js';
import { clientCreds, cpuSeconds, Deadline, mark, quantile, removeLab, rssMB, sleep, type Lab, type Print } from './node.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SUBNET = '10.81.0';
const WRK = ['-t2', '-c32', '-d4s', '--latency'];
// BENCH_PARTS=dns,latency (any of sync, http, ingress, dns, latency, scale, memory) runs only those parts.
const PARTS = process.env.BENCH_PARTS?.split(',');
const want = (part: string): boolean => !PARTS || PARTS.includes(part);

/**
 * LOAD_SCRIPT runs inside a lab namespace (node LOAD JOB.json) and prints one JSON answer.
 * Job "bulk" creates `count` Services without selector, each with an EndpointSlice of 3 addresses.
 * Job "latency" creates `count` Services selecting `app=web`, one at a time, and times each from
 * the create response to the first TCP connection accepted through its ClusterIP (a connection is
 * tried every 2 ms, each given 300 ms).
 */
const LOAD_SCRIPT = String.raw`import { Agent, request } from 'node:https';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const url = new URL(job.server);
const agent = new Agent({ keepAlive: true, maxSockets: 32, ca: job.ca, cert: job.cert, key: job.key });
function call(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, agent, headers: { 'Content-Type': 'application/json' }, timeout: 30000 }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => (res.statusCode < 300 ? resolve(JSON.parse(text)) : reject(new Error(method + ' ' + path + ': ' + res.statusCode + ' ' + text.slice(0, 200)))));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
const svc = (name, selector) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ...(selector ? { selector } : {}), ports: [{ name: 'http', port: 80, targetPort: 80 }] } });
async function bulk() {
  const t0 = performance.now();
  let next = 0;
  const one = async (i) => {
    const name = job.prefix + '-' + i;
    await call('POST', '/api/v1/namespaces/default/services', svc(name));
    const eps = [0, 1, 2].map((k) => ({ addresses: ['10.99.' + ((i * 3 + k) >> 8 & 255) + '.' + ((i * 3 + k) & 255)], conditions: { ready: true } }));
    await call('POST', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: name + '-1', labels: { 'kubernetes.io/service-name': name } }, addressType: 'IPv4', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], endpoints: eps });
  };
  const worker = async () => { while (next < job.count) await one(next++); };
  await Promise.all(Array.from({ length: 32 }, worker));
  return { seconds: (performance.now() - t0) / 1000 };
}
function firstConnect(ip, port, limitMs) {
  return new Promise((resolve, reject) => {
    let done = false;
    const sockets = new Set();
    const finish = (err, at) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      clearTimeout(limit);
      for (const s of sockets) s.destroy();
      err ? reject(err) : resolve(at);
    };
    const attempt = () => {
      const s = connect({ host: ip, port });
      sockets.add(s);
      s.setTimeout(300, () => s.destroy());
      s.on('connect', () => finish(undefined, performance.now()));
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    };
    const timer = setInterval(attempt, 2);
    const limit = setTimeout(() => finish(new Error('no connection through ' + ip + ' within ' + limitMs + ' ms')), limitMs);
    attempt();
  });
}
async function latency() {
  const out = [];
  for (let i = 0; i < job.count; i++) {
    const created = await call('POST', '/api/v1/namespaces/default/services', svc(job.prefix + '-' + i, { app: 'web' }));
    const t0 = performance.now();
    const t1 = await firstConnect(created.spec.clusterIP, 80, job.limitMs);
    out.push(t1 - t0);
    await new Promise((r) => setTimeout(r, job.pauseMs));
  }
  return { latencies: out };
}
const res = job.mode === 'bulk' ? await bulk() : await latency();
process.stdout.write(JSON.stringify(res) + '\n');
process.exit(0);
`;

/** inNetns runs a program inside a network namespace (a path under /run/netns or /proc) and returns stdout. */
function inNetns(netns: string, cmd: string[], timeoutMs: number): Promise<string> {
  const path = netns.startsWith('/') ? netns : `/run/netns/${netns}`;
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', [`--net=${path}`, '--', ...cmd], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd.join(' ')} exited ${code}: ${err.trim().slice(-400)}`))));
  });
}

/** runLoad runs LOAD_SCRIPT with a job in a lab host's namespace. */
async function runLoad<T>(lab: TestLab, netns: string, job: Record<string, unknown>, timeoutMs: number): Promise<T> {
  const script = join(lab.dir, 'load.mjs');
  if (!existsSync(script)) writeFileSync(script, LOAD_SCRIPT);
  const input = join(lab.dir, `load-${Date.now()}.json`);
  writeFileSync(input, JSON.stringify({ ...clientCreds(lab.kubeconfig), ...job }), { mode: 0o600 });
  return JSON.parse(await inNetns(netns, [process.execPath, script, input], timeoutMs)) as T;
}

/** podNetns finds the CNI namespace whose eth0 holds a pod's address. */
async function podNetns(podIP: string): Promise<string> {
  for (const n of readdirSync('/run/netns').filter((x) => x.startsWith('cni-'))) {
    const addrs = execFileSync('ip', ['-n', n, '-4', '-o', 'addr', 'show'], { encoding: 'utf8' });
    if (addrs.includes(` ${podIP}/`)) return n;
  }
  throw new Error(`no pod namespace holds ${podIP}`);
}

interface WrkResult {
  rps: number;
  p99Ms: number;
}

/** wrk runs Debian's wrk in a namespace and reads requests/s and the 99th percentile latency. */
async function wrk(netns: string, args: string[]): Promise<WrkResult> {
  const out = await inNetns(netns, ['wrk', ...WRK, ...args], 30_000);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const m = /^\s+99%\s+([\d.]+)(us|ms|s)\b/m.exec(out);
  const p99Ms = m ? Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1) : NaN;
  if (!rps) throw new Error(`wrk printed no rate: ${out.slice(-300)}`);
  return { rps, p99Ms };
}

/** compare runs the reference and the measured path three times each, interleaved, and keeps the medians. */
async function compare(ref: () => Promise<WrkResult>, subject: () => Promise<WrkResult>): Promise<[WrkResult, WrkResult]> {
  const a: WrkResult[] = [];
  const b: WrkResult[] = [];
  for (let i = 0; i < 3; i++) {
    a.push(await ref());
    b.push(await subject());
  }
  const med = (xs: WrkResult[]): WrkResult => ({ rps: quantile(xs.map((x) => x.rps), 0.5), p99Ms: quantile(xs.map((x) => x.p99Ms), 0.5) });
  return [med(a), med(b)];
}

const fmt = (r: WrkResult): string => `${Math.round(r.rps)} req/s, p99 ${r.p99Ms.toFixed(2)} ms`;

function printRatio(print: Print, what: string, ref: WrkResult, got: WrkResult, refName: string, target: number): void {
  const ratio = got.rps / ref.rps;
  print(`  ${what}: ${fmt(got)} (${(ratio * 100).toFixed(0)}% of ${refName} ${fmt(ref)}) — target >= ${target * 100}%: ${mark(ratio >= target)}`);
}

/** syntheticServices are n ClusterIP Services with one EndpointSlice of 3 endpoints each (proxy input). */
function syntheticServices(n: number): { services: KubeObject[]; endpointSlices: KubeObject[] } {
  const services: KubeObject[] = [];
  const endpointSlices: KubeObject[] = [];
  for (let i = 0; i < n; i++) {
    const name = `s${i}`;
    services.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { clusterIP: `10.43.${(i >> 8) & 255}.${i & 255}`, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
    const eps = [0, 1, 2].map((k) => ({ addresses: [`10.42.${((i * 3 + k) >> 8) & 255}.${(i * 3 + k) & 255}`], conditions: { ready: true } }));
    endpointSlices.push({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${name}-1`, namespace: 'default', labels: { 'kubernetes.io/service-name': name } }, addressType: 'IPv4', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], endpoints: eps } as unknown as KubeObject);
  }
  return { services, endpointSlices };
}

/** proxySync times one full sync of 10,000 Services (rendering CPU, `nft -f` into a fresh netns, then a replacing one) and one change applied on top. */
export function proxySync(print: Print, dir: string): void {
  const n = 10_000;
  const input = { ...syntheticServices(n), nodeName: 'bench', nodeIPs: ['10.81.0.11'], clusterCIDR: '10.42.0.0/16' };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const table = buildTable(proxyPorts(input), input);
  const text = renderFull(table);
  const renderMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // One Service's endpoint moves and one Service is added; the other objects stay the same, as in an informer's cache.
  const extra = syntheticServices(n + 1);
  const moved = structuredClone(input.endpointSlices[7]!) as unknown as { endpoints: { addresses: string[] }[] };
  moved.endpoints[0]!.addresses = ['10.42.250.1'];
  const next = { ...input, services: [...input.services, extra.services[n]!], endpointSlices: [...input.endpointSlices.map((x, i) => (i === 7 ? (moved as unknown as KubeObject) : x)), extra.endpointSlices[n]!] };
  const t1 = performance.now();
  const change = renderChanges(table, buildTable(proxyPorts(next), next));
  const changeMs = performance.now() - t1;
  const file = join(dir, 'ruleset.nft');
  writeFileSync(file, text);
  writeFileSync(join(dir, 'change.nft'), change);
  // Into one throwaway namespace: the first full apply builds the table, the second replaces it, then the change.
  const out = execFileSync('unshare', ['--net', 'sh', '-c', 'a=$(date +%s%N); nft -f "$0"; b=$(date +%s%N); nft -f "$0"; c=$(date +%s%N); nft -f "$1"; d=$(date +%s%N); echo $(( (b-a)/1000000 )) $(( (c-b)/1000000 )) $(( (d-c)/1000000 ))', file, join(dir, 'change.nft')], { encoding: 'utf8', timeout: 120_000 });
  const [first = NaN, replace = NaN, incremental = NaN] = out.trim().split(' ').map(Number);
  print(`  proxy full sync, ${n} Services x 3 endpoints: render ${renderMs.toFixed(0)} ms (CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, ${(text.length / 1e6).toFixed(1)} MB of rules); nft -f ${first} ms for the first table, ${replace} ms to replace it`);
  print(`  proxy change at ${n} Services (an endpoint moved, a Service added): model and diff ${changeMs.toFixed(0)} ms, ${change.split('\n').length - 1} nft commands applied in ${incremental} ms`);
}

const webManifests = (workerForWeb: string, workerForLoad: string): string => `apiVersion: v1
kind: ConfigMap
metadata: {name: web-conf}
data:
  nginx.conf: |
    user root;
    worker_processes 1;
    daemon off;
    pid /run/nginx.pid;
    error_log stderr warn;
    events { worker_connections 4096; }
    http {
      access_log off;
      keepalive_requests 100000;
      server { listen 80; location / { return 200 "hello\\n"; } }
    }
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  nodeName: ${workerForWeb}
  containers:
  - name: nginx
    image: skiff.local/nginx:1.22
    command: ["/usr/sbin/nginx", "-c", "/conf/nginx.conf"]
    volumeMounts: [{name: conf, mountPath: /conf}]
    readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 1}
  volumes: [{name: conf, configMap: {name: web-conf}}]
---
apiVersion: v1
kind: Pod
metadata: {name: load}
spec:
  nodeName: ${workerForLoad}
  terminationGracePeriodSeconds: 1
  containers: [{name: main, image: skiff.local/busybox:1.35, command: ["sleep", "3600"]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web-np}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: 80, nodePort: 30090}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - host: bench.example
    http:
      paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]
`;

/** plainNginx starts nginx as a bare reverse proxy to the pod in a node's namespace; returns its pid. */
function plainNginx(dir: string, netns: string, listen: string, backend: string): number {
  const conf = join(dir, 'plain-nginx.conf');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, `tmp-${t}`)};`).join(' ');
  writeFileSync(conf, `worker_processes auto; daemon off; pid ${join(dir, 'plain-nginx.pid')}; error_log ${join(dir, 'plain-nginx.log')} warn;
events { worker_connections 4096; }
http { access_log off; ${temp}
  upstream backend { server ${backend}; keepalive 64; }
  server { listen ${listen}; location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $host; } }
}
`);
  const child = spawn('nsenter', [`--net=/run/netns/${netns}`, '--', 'nginx', '-c', conf, '-p', dir], { stdio: 'ignore', detached: true });
  child.unref();
  return child.pid ?? 0;
}

/**
 * dnsperf runs dnsperf in a namespace for 5 s against a DNS server and reads queries/s and the p99
 * of per-query latencies: flat out (200 queries in flight, the throughput) or at a set rate (the
 * latency under that load, not the queueing of an overload). Its per-query lines go to a file, so
 * reading them takes no CPU from the run.
 */
async function dnsperf(netns: string, dir: string, opts: { rate?: number; server?: string; port?: number } = {}): Promise<{ qps: number; p99Ms: number; lost: number }> {
  const names = ['web.default.svc.cluster.local A', 'kubernetes.default.svc.cluster.local A', 'kube-dns.kube-system.svc.cluster.local A', 'web-np.default.svc.cluster.local A'];
  const file = join(dir, 'queries.txt');
  const outFile = join(dir, 'dnsperf.out');
  writeFileSync(file, `${names.join('\n')}\n`);
  // Flat out takes 8 clients on 2 threads; at a set rate one thread (fewer load-generator threads competing for the CPUs).
  const load = opts.rate ? ['-c', '1', '-T', '1', '-q', '100', '-Q', String(opts.rate)] : ['-c', '8', '-T', '2', '-q', '200'];
  const args = ['-s', opts.server ?? '10.43.0.10', '-p', String(opts.port ?? 53), '-d', file, '-l', '5', ...load, '-v'];
  await inNetns(netns, ['sh', '-c', 'exec dnsperf "$@" > "$0"', outFile, ...args], 60_000);
  const out = readFileSync(outFile, 'utf8');
  const qps = Number(/Queries per second:\s+([\d.]+)/.exec(out)?.[1]);
  const lost = Number(/Queries lost:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const lat = [...out.matchAll(/^> \S+ \S+ \S+ ([\d.]+)$/gm)].map((m) => Number(m[1]) * 1000);
  return { qps, p99Ms: quantile(lat, 0.99), lost };
}

/** udpEcho starts, in a namespace, a Node UDP server that sends each query back marked as an answer: the floor any DNS server on that node and runtime can reach. Returns its pid. */
function udpEcho(netns: string, address: string, port: number): number {
  const script = `const s = require('node:dgram').createSocket('udp4'); s.on('message', (m, r) => { if (m.length > 2) m[2] |= 0x80; s.send(m, r.port, r.address); }); s.bind(${port}, '${address}');`;
  const child = spawn('nsenter', [`--net=/run/netns/${netns}`, '--', process.execPath, '-e', script], { stdio: 'ignore', detached: true });
  child.unref();
  return child.pid ?? 0;
}

const waitFor = async (what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!(await fn().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
};

async function servicesLab(print: Print, deadline: Deadline, labs: Lab[], images: string): Promise<void> {
  const lab: Lab = { dir: mkdtempSync(join(tmpdir(), 'skiff-bench-net-')), name: `bs${process.pid % 100000}` };
  labs.push(lab);
  lab.handle = await deadline.within('lab up', startLab({ dir: lab.dir, name: lab.name, workers: 2, runtime: 'containerd', subnet: `${SUBNET}.0/24`, images: ['busybox-1.35.tar', 'nginx-1.22.tar'].map((f) => join(images, f)), timeoutMs: 150_000 }));
  const h = lab.handle;
  const host = (name: string) => h.state.hosts.find((x) => x.name === name)!;
  await h.kubectlOk(['apply', '-f', '-'], { input: webManifests('worker2', 'worker1') });
  const jp = async (args: string[]): Promise<string> => (await h.kubectlOk(args)).trim();
  await waitFor('web and load pods ready', async () => (await jp(['get', 'pods', '-o', 'jsonpath={.items[*].status.containerStatuses[0].ready}'])) === 'true true', 90_000);
  const webIP = await jp(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}']);
  const loadIP = await jp(['get', 'pod', 'load', '-o', 'jsonpath={.status.podIP}']);
  const clusterIP = await jp(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
  const loadNs = await podNetns(loadIP);
  const w2 = host('worker2');
  const client = host('client');
  await waitFor('the ClusterIP answering', async () => (await wrk(loadNs, [`http://${clusterIP}/`]).then(() => true)), 30_000);

  if (want('http')) {
    const [direct, viaService] = await deadline.within('ClusterIP wrk', compare(() => wrk(loadNs, [`http://${webIP}/`]), () => wrk(loadNs, [`http://${clusterIP}/`])));
    printRatio(print, 'pod → ClusterIP → pod on another node', direct, viaService, 'pod → pod IP', 0.95);

    // The client host reaches the pod network through worker2, the backend's node, for the reference.
    const podCIDR = await jp(['get', 'node', 'worker2', '-o', 'jsonpath={.spec.podCIDR}']);
    execFileSync('ip', ['-n', client.netns, 'route', 'replace', podCIDR, 'via', w2.ip]);
    const [clientDirect, viaNodePort] = await deadline.within('NodePort wrk', compare(() => wrk(client.netns, [`http://${webIP}/`]), () => wrk(client.netns, [`http://${w2.ip}:30090/`])));
    printRatio(print, 'client host → NodePort on the backend\'s node', clientDirect, viaNodePort, 'client → pod IP routed through that node', 0.95);
    const crossNode = await wrk(client.netns, [`http://${host('worker1').ip}:30090/`]);
    print(`    (NodePort on the other worker, one more hop: ${fmt(crossNode)})`);
  }

  if (want('ingress')) {
    const plainPid = plainNginx(lab.dir, w2.netns, `${w2.ip}:8088`, `${webIP}:80`);
    try {
      await waitFor('the Ingress and plain nginx answering', async () => {
        await wrk(client.netns, ['-H', 'Host: bench.example', `http://${w2.ip}/`]);
        await wrk(client.netns, [`http://${w2.ip}:8088/`]);
        return true;
      }, 30_000);
      const [plain, ingress] = await deadline.within('Ingress wrk', compare(() => wrk(client.netns, [`http://${w2.ip}:8088/`]), () => wrk(client.netns, ['-H', 'Host: bench.example', `http://${w2.ip}/`])));
      printRatio(print, 'client host → Ingress (port 80) → pod', plain, ingress, 'plain nginx reverse proxy on the same node', 0.8);
    } finally {
      try {
        process.kill(plainPid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }

  if (want('dns') && existsSync('/usr/bin/dnsperf')) {
    const w1 = host('worker1');
    const echoPid = udpEcho(w1.netns, w1.ip, 5300);
    try {
      await sleep(500);
      const d = await deadline.within('dnsperf', dnsperf(loadNs, lab.dir));
      print(`  cluster DNS from a pod (dnsperf, 8 clients, 200 in flight): ${Math.round(d.qps)} queries/s (CoreDNS anchor ~5000/s per replica), p99 ${d.p99Ms.toFixed(2)} ms flat out${d.lost ? `, ${d.lost} lost` : ''} — target >= 20000/s: ${mark(d.qps >= 20000)}`);
      // Interleaved, so both see the same machine: the Service address, the node's own server, and a bare echo on that node.
      const runs: Record<'service' | 'node' | 'echo', number[]> = { service: [], node: [], echo: [] };
      for (let i = 0; i < 3; i++) {
        runs.service.push((await deadline.within('dnsperf at 20000/s', dnsperf(loadNs, lab.dir, { rate: 20_000 }))).p99Ms);
        runs.node.push((await deadline.within('dnsperf at 20000/s', dnsperf(loadNs, lab.dir, { rate: 20_000, server: w1.ip }))).p99Ms);
        runs.echo.push((await deadline.within('dnsperf at 20000/s', dnsperf(loadNs, lab.dir, { rate: 20_000, server: w1.ip, port: 5300 }))).p99Ms);
      }
      const med = (xs: number[]): number => quantile(xs, 0.5);
      print(`    p99 at 20000 queries/s offered (one dnsperf thread, median of 3): ${med(runs.service).toFixed(2)} ms through 10.43.0.10, ${med(runs.node).toFixed(2)} ms to the pod's node directly; a bare UDP echo on that node ${med(runs.echo).toFixed(2)} ms — target p99 <= 2 ms: ${mark(med(runs.service) <= 2)}`);
    } finally {
      try {
        process.kill(echoPid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  } else if (want('dns')) print('  cluster DNS: skipped (apt-get install dnsperf)');

  const w1 = host('worker1');
  const count = async (): Promise<number> => Number((await jp(['get', 'svc', '-A', '--no-headers', '-o', 'name'])).split('\n').length);
  const latencyAt = async (label: string, runs: number): Promise<number[]> => {
    const r = await deadline.within(`latency ${label}`, runLoad<{ latencies: number[] }>(h, w1.netns, { mode: 'latency', prefix: `lat-${label}`, count: runs, limitMs: 20_000, pauseMs: 300 }, 20_000 * runs + 30_000));
    return r.latencies;
  };
  const fill = async (to: number, prefix: string): Promise<void> => {
    const have = await count();
    if (have < to) await deadline.within(`creating ${to - have} Services`, runLoad(h, w1.netns, { mode: 'bulk', prefix, count: to - have }, 600_000));
  };
  await fill(10, 'fill10');
  if (want('latency')) {
    const at10 = await latencyAt('10', 20);
    print(`  programming latency with ${await count()} Services (create → first connection through the ClusterIP, ${at10.length} runs): p50 ${quantile(at10, 0.5).toFixed(0)} ms, p99 ${quantile(at10, 0.99).toFixed(0)} ms — target p99 <= 100 ms: ${mark(quantile(at10, 0.99) <= 100)}`);
  }
  if (!want('memory') && !want('scale')) return;

  await fill(100, 'fill100');
  await sleep(10_000);
  const rssOn = rssMB(w1.pid);
  print(`  worker agent RSS with the proxy, DNS and ingress on and ${await count()} Services: ${rssOn.toFixed(0)} MB`);

  if (want('scale')) {
    const t0 = Date.now();
    await fill(10_000, 'fill10k');
    print(`    (created ${await count()} Services with 3 endpoints each in ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    // Wait until the proxy has caught up: one more Service answers.
    await latencyAt('warm', 1);
    const cpu0 = w1.pid ? cpuSeconds(w1.pid, { withChildren: true }) : NaN;
    const at10k = await latencyAt('10k', 10);
    const cpuPerSync = (cpuSeconds(w1.pid!, { withChildren: true }) - cpu0) / at10k.length;
    print(`  programming latency with ${await count()} Services (${at10k.length} runs): p50 ${quantile(at10k, 0.5).toFixed(0)} ms, p99 ${quantile(at10k, 0.99).toFixed(0)} ms — target p99 <= 1000 ms: ${mark(quantile(at10k, 0.99) <= 1000)}; worker agent CPU per change (with nft) ${(cpuPerSync * 1000).toFixed(0)} ms`);
  }
  await removeLab(lab, print);
  labs.splice(labs.indexOf(lab), 1);
  if (!want('memory')) return;

  // The same node without the Service proxy, DNS and ingress, for the memory comparison.
  const off: Lab = { dir: mkdtempSync(join(tmpdir(), 'skiff-bench-off-')), name: `bo${process.pid % 100000}` };
  labs.push(off);
  off.handle = await deadline.within('lab up (services off)', startLab({ dir: off.dir, name: off.name, workers: 1, runtime: 'containerd', subnet: `${SUBNET}.0/24`, agentArgs: ['--disable-kube-proxy', '--disable', 'dns', '--disable', 'ingress', '--disable', 'servicelb'], timeoutMs: 150_000 }));
  const offW1 = off.handle.state.hosts.find((x) => x.name === 'worker1')!;
  await deadline.within('100 Services', runLoad(off.handle, offW1.netns, { mode: 'bulk', prefix: 'fill100', count: 98 }, 120_000));
  await sleep(10_000);
  const rssOff = rssMB(offW1.pid);
  print(`  worker agent RSS with them off and 100 Services: ${rssOff.toFixed(0)} MB (on: ${rssOn.toFixed(0)} MB, +${(rssOn - rssOff).toFixed(0)} MB)`);
  await removeLab(off, print);
  labs.splice(labs.indexOf(off), 1);
}

/**
 * benchNetwork runs the Service networking benchmarks and prints each figure beside its reference
 * and target. It prints a skip line where it cannot run, gives up after 12 minutes, and always
 * tears its labs down; it never throws.
 */
export async function benchNetwork(print: Print): Promise<void> {
  print('Service networking (containerd lab in network namespaces):');
  const skip = labSkipReason() ?? (existsSync('/usr/bin/containerd') ? undefined : 'containerd is not installed') ?? (existsSync('/usr/bin/wrk') ? undefined : 'wrk is not installed (apt-get install wrk)');
  if (skip) return print(`  skipped: ${skip}`);
  const deadline = new Deadline(12 * 60_000);
  const labs: Lab[] = [];
  const images = mkdtempSync(join(tmpdir(), 'skiff-bench-images-'));
  try {
    if (want('sync')) proxySync(print, images);
    execFileSync(process.execPath, [join(REPO, 'scripts', 'build-images.mjs'), images], { stdio: 'ignore', timeout: 60_000 });
    await servicesLab(print, deadline, labs, images);
  } catch (e) {
    print(`  failed: ${(e as Error).message}`);
  } finally {
    for (const lab of labs) await removeLab(lab, print);
    rmSync(images, { recursive: true, force: true });
  }
}
