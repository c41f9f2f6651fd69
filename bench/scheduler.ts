// Scheduler benchmark: pods bound per second by the Scheduler against an in-memory API server
// with N simulated Ready nodes, next to the reference of the same binds issued directly
// (round-robin, 16 in flight, no scheduling decisions) against a fresh API server.
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../src/api/types.js';
import { allResources } from '../src/api/resources/index.js';
import { ApiCore } from '../src/apiserver/core.js';
import { InProcessTransport } from '../src/apiserver/in_process.js';
import { MemoryBackend } from '../src/storage/drivers/memory.js';
import { Client, R } from '../src/client/client.js';
import { SharedInformers } from '../src/client/shared_informers.js';
import { createEventRecorder } from '../src/client/events.js';
import { realClock } from '../src/lib/clock.js';
import { silentLogger } from '../src/lib/log.js';
import { Scheduler } from '../src/scheduler/index.js';

const parallel = 16;

function node(name: string): KubeObject {
  const allocatable = { cpu: '32', memory: '256Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': `zone-${name.length % 3}` } },
    status: { allocatable, capacity: allocatable, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function pod(i: number, owners: number): KubeObject {
  const owner = i % owners;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `bench-${i}`,
      namespace: 'default',
      labels: { app: `app-${owner}` },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${owner}`, uid: `rs-uid-${owner}`, controller: true }],
    },
    spec: { containers: [{ name: 'c', image: 'nginx:1.25', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
  };
}

/** cluster builds an in-memory API with `nodes` Ready nodes and `pods` pending pods. */
async function cluster(nodes: number, pods: number): Promise<{ client: Client; stop(): void }> {
  const core = new ApiCore({ backend: new MemoryBackend(), resources: allResources(), clock: realClock, logger: silentLogger, admission: [] });
  await core.start();
  const client = new Client(new InProcessTransport(core, { name: 'bench', groups: ['system:masters'] }));
  await client.resource(R.namespaces).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const put = async (items: KubeObject[], create: (o: KubeObject) => Promise<unknown>): Promise<void> => {
    for (let i = 0; i < items.length; i += 64) await Promise.all(items.slice(i, i + 64).map(create));
  };
  await put(Array.from({ length: nodes }, (_, i) => node(`node-${i}`)), (o) => client.resource(R.nodes).create('', o));
  await put(Array.from({ length: pods }, (_, i) => pod(i, Math.max(1, Math.floor(pods / 10)))), (o) => client.resource(R.pods).create('default', o));
  return { client, stop: () => core.stop() };
}

/** rawBindsPerSec binds every pod round-robin with `parallel` calls in flight. */
async function rawBindsPerSec(nodes: number, pods: number): Promise<number> {
  const c = await cluster(nodes, pods);
  try {
    const res = c.client.resource(R.pods);
    const start = performance.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < pods; i = next++) {
        const name = `bench-${i}`;
        await res.createSubresource('default', name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: 'default' }, target: { apiVersion: 'v1', kind: 'Node', name: `node-${i % nodes}` } });
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return pods / ((performance.now() - start) / 1000);
  } finally {
    c.stop();
  }
}

/** schedulerPodsPerSec runs the Scheduler from informer start until every pod is bound. */
async function schedulerPodsPerSec(nodes: number, pods: number): Promise<{ perSec: number; heapMiB: number }> {
  const c = await cluster(nodes, pods);
  const ac = new AbortController();
  try {
    const informers = new SharedInformers(c.client, silentLogger);
    const recorder = createEventRecorder({ client: c.client, component: 'default-scheduler', clock: realClock, logger: silentLogger });
    const scheduler = new Scheduler({ client: c.client, informers, recorder, clock: realClock, logger: silentLogger, parallelBinds: parallel });
    const start = performance.now();
    informers.start(ac.signal);
    const running = scheduler.run(ac.signal);
    const deadline = start + 120_000;
    while (scheduler.stats.scheduled < pods && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const perSec = scheduler.stats.scheduled / ((performance.now() - start) / 1000);
    const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
    ac.abort();
    await running;
    return { perSec, heapMiB };
  } finally {
    ac.abort();
    c.stop();
  }
}

/**
 * benchScheduler measures, for each node count N, the pods bound per second by the Scheduler
 * (10×N pods, at most 5,000; each with the Scheduled event) and the raw bind rate as reference.
 */
export async function benchScheduler(print: (line: string) => void, sizes: number[]): Promise<void> {
  // Warm up the JIT on a small cluster so the first size is not measured cold.
  await rawBindsPerSec(20, 200);
  await schedulerPodsPerSec(20, 200);
  for (const n of sizes) {
    const pods = Math.min(10 * n, 5000);
    const raw = await rawBindsPerSec(n, pods);
    const s = await schedulerPodsPerSec(n, pods);
    print(
      `scheduler: ${n} nodes, ${pods} pods: ${Math.round(s.perSec)} pods bound/s | raw binds/s ${Math.round(raw)} ` +
        `(${(s.perSec / raw).toFixed(2)}x raw, ${parallel} in flight) | heap ${Math.round(s.heapMiB)} MiB`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await benchScheduler((line) => console.log(line), [100, 1000]);
}
