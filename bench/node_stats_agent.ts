// Child of bench/node_stats.ts: one fake-runtime node's kubelet API (the agent's HTTPS server with
// /metrics and the stats endpoints) with N running pods. Usage: node node_stats_agent.js JOB.json;
// prints `ready <port>` once serving, then serves until killed.
import { readFileSync } from 'node:fs';
import type { KubeObject } from '../src/api/types.js';
import { FakeRuntime } from '../src/agent/runtime/fake.js';
import { KubeletMetrics, KubeletServer } from '../src/agent/server/index.js';
import { NodeStatsCollector } from '../src/agent/stats/index.js';
import { realClock } from '../src/lib/clock.js';
import { silentLogger } from '../src/lib/log.js';

interface Job {
  pods: number;
  cacheMs: number;
  certPem: string;
  keyPem: string;
  clientCaPem: string;
}

const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Job;
const runtime = new FakeRuntime({ clock: realClock });
runtime.updatePodCIDR('10.42.0.0/16');
const pods: KubeObject[] = [];
for (let i = 0; i < job.pods; i++) {
  const pod: KubeObject = {
    metadata: { namespace: `ns-${i % 10}`, name: `pod-${i}`, uid: `uid-${i}` },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25', resources: { requests: { cpu: `${100 + (i % 5) * 100}m`, memory: '64Mi' } } }, { name: 'sidecar', image: 'busybox:1.35' }] },
  };
  const s = await runtime.startPod(pod);
  pods.push({ ...pod, status: { phase: 'Running', podIP: s.podIP, containerStatuses: s.containerStatuses } });
}
const stats = new NodeStatsCollector({ nodeName: 'bench-node', source: () => runtime.stats(), clock: realClock, machine: { cpuCores: 4, memoryBytes: 8 * 2 ** 30 }, cacheMs: job.cacheMs });
const server = new KubeletServer({
  bindAddress: '127.0.0.1', port: 0, tls: { certPem: job.certPem, keyPem: job.keyPem, clientCaPem: job.clientCaPem },
  pods: () => Promise.resolve(undefined), runtime: { exec: () => Promise.reject(new Error('none')), attach: () => Promise.reject(new Error('none')), portForward: () => Promise.reject(new Error('none')), logPath: () => '' },
  metrics: new KubeletMetrics(() => pods), stats, logger: silentLogger,
});
const port = await server.start();
console.log(`ready ${port}`);
