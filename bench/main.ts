// `npm run bench`: every benchmark, each figure beside its reference measured in the same run and
// its target. Figures are printed, never asserted: a slow machine must not fail a build.
import { benchStorage } from './storage.js';
import { benchApi } from './api.js';

const print = (line: string): void => console.log(line);
const mark = (ok: boolean): string => (ok ? 'meets target' : 'MISSES target');

// `npm run bench -- network` (or node, api, …) runs only the benchmarks whose name is given.
const only = process.argv.slice(2);
if (only.length) {
  const { benchNetwork } = await import('./network.js');
  const { benchNode } = await import('./node.js');
  const { benchAuth } = await import('./auth.js');
  const { benchTop } = await import('./top.js');
  const picked: Record<string, () => Promise<void>> = { network: () => benchNetwork(print), node: () => benchNode(print), auth: async () => void (await benchAuth(print)), top: () => benchTop(print) };
  // `storage`: the PersistentVolume benchmark (volumes.ts); the datastore's figures come with the full run.
  picked.storage = async () => void (await (await import('./volumes.js')).benchVolumes(print));
  picked['node-stats'] = async () => (await import('./node_stats.js')).benchNodeStats(print);
  for (const name of only) await (picked[name] ?? (async () => print(`unknown benchmark ${name}: pick from ${Object.keys(picked).join(', ')}`)))();
  process.exit(0);
}

const storage = await benchStorage(print);
const api = await benchApi(print);
const raw = storage.rawTxPerSec;

print('');
print('summary (targets beside figures):');
print(`  api creates/s ${Math.round(api.createsPerSec)} (${(api.createsPerSec / raw).toFixed(2)}x raw durable sqlite tx/s ${Math.round(raw)}) — target >= 1.0x: ${mark(api.createsPerSec >= raw)}`);
print(`  backend creates/s ${Math.round(storage.backendCreatesPerSec)} (${(storage.backendCreatesPerSec / raw).toFixed(2)}x raw durable sqlite tx/s)`);
print(`  create latency at ${api.pacedRate}/s: p50 ${api.p50Ms.toFixed(1)} ms, p99 ${api.p99Ms.toFixed(1)} ms — target p99 <= 50 ms: ${mark(api.p99Ms <= 50)}${api.pacedErrors ? ` (${api.pacedErrors} failed requests)` : ''}`);
print(`  server RSS idle after start-up ${api.idleRssMB.toFixed(0)} MB — target <= 100 MB: ${mark(api.idleRssMB <= 100)}`);
print(`  server RSS idle after the load ${api.afterLoadRssMB.toFixed(0)} MB — target <= 100 MB: ${mark(api.afterLoadRssMB <= 100)}`);

// Authorization cost and service-account tokens.
const { benchAuth } = await import('./auth.js');
print('');
await benchAuth(print);

// PersistentVolumes: static binding and local-path provisioning against plain ConfigMap creates.
const { benchVolumes } = await import('./volumes.js');
print('');
await benchVolumes(print);

// Scheduler throughput on simulated nodes (in-memory API), pods bound per second.
const { benchScheduler } = await import('./scheduler.js');
print('');
await benchScheduler(print, [100, 1000]);

// Control plane at scale: a real server and 1,000 simulated nodes (separate processes), 10,000 pods Running.
const { benchScale } = await import('./scale.js');
print('');
await benchScale(print, { nodes: 1000, pods: 10_000 });

// Real nodes: cold start, pod start latency and agent memory on containerd labs (skipped without root/containerd).
const { benchNode } = await import('./node.js');
print('');
await benchNode(print);

// Service networking: data plane, Ingress, DNS, programming latency and memory on a containerd lab.
const { benchNetwork } = await import('./network.js');
print('');
await benchNetwork(print);
