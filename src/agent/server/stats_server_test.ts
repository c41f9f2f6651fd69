import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { get as httpsGet } from 'node:https';
import type { KubeObject } from '../../api/types.js';
import { realClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import { FakeRuntime } from '../runtime/fake.js';
import { SIMULATED_CPU_ANNOTATION, SIMULATED_MEMORY_ANNOTATION } from '../runtime/fake_stats.js';
import { NodeStatsCollector } from '../stats/collector.js';
import { parsePromText } from '../stats/prom_text.js';
import { FleetKubeletServer } from './fleet_server.js';
import { KubeletServer } from './server.js';
import { testPki, type TestPki } from './server_test_helper.js';

const streaming = {
  exec: () => Promise.reject(new Error('no exec')),
  attach: () => Promise.reject(new Error('no attach')),
  portForward: () => Promise.reject(new Error('no port-forward')),
  logPath: () => '/nonexistent',
};

function pod(name: string, annotations: Record<string, string> = {}): KubeObject {
  return { metadata: { namespace: 'default', name, uid: `uid-${name}`, annotations }, spec: { containers: [{ name: 'app', image: 'nginx:1.25', resources: { requests: { cpu: '100m' } } }] } };
}

function get(port: number, path: string, cert?: { certPem: string; keyPem: string }): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsGet({ host: '127.0.0.1', port, path, rejectUnauthorized: false, ...(cert ? { cert: cert.certPem, key: cert.keyPem } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
  });
}

async function fakeNode(name: string, pods: KubeObject[]): Promise<NodeStatsCollector> {
  const rt = new FakeRuntime({ clock: realClock });
  rt.updatePodCIDR('10.42.0.0/24');
  for (const p of pods) await rt.startPod(p);
  return new NodeStatsCollector({ nodeName: name, source: () => rt.stats(), clock: realClock, machine: { cpuCores: 2, memoryBytes: 4 * 2 ** 30 } });
}

let pki: TestPki;
let kubelet: KubeletServer;
let port: number;

before(async () => {
  pki = await testPki();
  const stats = await fakeNode('node-1', [pod('web', { [SIMULATED_CPU_ANNOTATION]: '250m', [SIMULATED_MEMORY_ANNOTATION]: '100Mi' }), pod('db')]);
  kubelet = new KubeletServer({ bindAddress: '127.0.0.1', port: 0, tls: { certPem: pki.serving.certPem, keyPem: pki.serving.keyPem, clientCaPem: pki.clientCaPem }, pods: () => Promise.resolve(undefined), runtime: streaming, logger: silentLogger, stats });
  port = await kubelet.start();
});

after(async () => {
  await kubelet.stop();
});

test('the stats endpoints need a client certificate of the cluster', async () => {
  for (const path of ['/stats/summary', '/metrics/resource', '/metrics/cadvisor']) {
    assert.equal((await get(port, path)).status, 401, path);
    assert.equal((await get(port, path, pki.stranger)).status, 401, path);
  }
});

test('GET /metrics/resource serves the kubelet resource metrics of the fake pods', async () => {
  const r = await get(port, '/metrics/resource', pki.client);
  assert.equal(r.status, 200);
  assert.equal(r.type, 'text/plain; version=0.0.4; charset=utf-8');
  const m = parsePromText(r.body);
  const web = m.get('pod_memory_working_set_bytes')?.samples.find((s) => s.labels['pod'] === 'web');
  assert.equal(web?.value, 100 * 2 ** 20);
  assert.ok((web?.timestampMs ?? 0) > Date.now() - 60_000);
  assert.deepEqual(m.get('container_cpu_usage_seconds_total')?.samples.map((s) => s.labels).sort((a, b) => (a['pod'] ?? '').localeCompare(b['pod'] ?? '')), [
    { container: 'app', namespace: 'default', pod: 'db' },
    { container: 'app', namespace: 'default', pod: 'web' },
  ]);
  assert.ok((m.get('node_cpu_usage_seconds_total')?.samples[0]?.value ?? 0) > 0);
  assert.equal(m.get('resource_scrape_error')?.samples[0]?.value, 0);
});

test('GET /stats/summary serves the Summary API', async () => {
  const r = await get(port, '/stats/summary?only_cpu_and_memory=true', pki.client);
  assert.equal(r.status, 200);
  const s = JSON.parse(r.body) as { node: { nodeName: string; memory: { availableBytes: number; workingSetBytes: number } }; pods: { podRef: { name: string; uid: string }; cpu: { usageNanoCores: number } }[] };
  assert.equal(s.node.nodeName, 'node-1');
  assert.equal(s.node.memory.availableBytes, 4 * 2 ** 30 - s.node.memory.workingSetBytes);
  const web = s.pods.find((p) => p.podRef.name === 'web');
  assert.equal(web?.podRef.uid, 'uid-web');
  assert.equal(web?.cpu.usageNanoCores, 250e6);
});

test('GET /metrics/cadvisor serves cAdvisor-style container metrics', async () => {
  const r = await get(port, '/metrics/cadvisor', pki.client);
  assert.equal(r.status, 200);
  const m = parsePromText(r.body);
  assert.equal(m.get('machine_cpu_cores')?.samples[0]?.value, 2);
  const app = m.get('container_cpu_usage_seconds_total')?.samples.find((s) => s.labels['pod'] === 'web' && s.labels['container'] === 'app');
  assert.equal(app?.labels['image'], 'docker.io/library/nginx:1.25');
  assert.match(app?.labels['id'] ?? '', /^\/kubepods\/burstable\/poduid-web\/[0-9a-f]{64}$/);
});

test('one fleet server answers for many simulated nodes, one port each', async () => {
  const nodes = [{ nodeName: 'sim-0', stats: await fakeNode('sim-0', [pod('a')]) }, { nodeName: 'sim-1', stats: await fakeNode('sim-1', [pod('b'), pod('c')]) }];
  const fleet = new FleetKubeletServer({ bindAddress: '127.0.0.1', tls: { certPem: pki.serving.certPem, keyPem: pki.serving.keyPem, clientCaPem: pki.clientCaPem }, logger: silentLogger, nodes });
  const ports = await fleet.start();
  try {
    assert.equal(ports.size, 2);
    assert.notEqual(ports.get('sim-0'), ports.get('sim-1'));
    for (const [name, want] of [['sim-0', ['a']], ['sim-1', ['b', 'c']]] as const) {
      const r = await get(ports.get(name) ?? 0, '/stats/summary', pki.client);
      const s = JSON.parse(r.body) as { node: { nodeName: string }; pods: { podRef: { name: string } }[] };
      assert.equal(s.node.nodeName, name);
      assert.deepEqual(s.pods.map((p) => p.podRef.name).sort(), want);
      const res = parsePromText((await get(ports.get(name) ?? 0, '/metrics/resource', pki.client)).body);
      assert.equal(res.get('pod_cpu_usage_seconds_total')?.samples.length, want.length);
    }
    assert.equal((await get(ports.get('sim-0') ?? 0, '/metrics/resource')).status, 401);
    assert.equal((await get(ports.get('sim-0') ?? 0, '/healthz', pki.client)).body, 'ok');
    assert.equal((await get(ports.get('sim-0') ?? 0, '/containerLogs/default/a/app', pki.client)).status, 404);
  } finally {
    await fleet.stop();
  }
});
