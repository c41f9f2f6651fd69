import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get as httpsGet } from 'node:https';
import type { KubeObject } from '../../api/types.js';
import { silentLogger } from '../../lib/log.js';
import { KubeletMetrics, containerState } from './metrics.js';
import { KubeletServer } from './server.js';
import { testPki } from './server_test_helper.js';

const pod = (name: string, phase: string, containers: object[]): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, status: { phase, containerStatuses: containers } }) as KubeObject;

const running = { containerID: 'containerd://a', state: { running: { startedAt: 'x' } } };
const exited = { containerID: 'containerd://b', state: { terminated: { exitCode: 0 } } };
const created = { containerID: 'containerd://c', state: { waiting: { reason: 'CrashLoopBackOff' } } };
const pulling = { state: { waiting: { reason: 'ContainerCreating' } } };

test('containerState maps container statuses to the kubelet label', () => {
  assert.equal(containerState(running), 'running');
  assert.equal(containerState(exited), 'exited');
  assert.equal(containerState(created), 'created');
  assert.equal(containerState(pulling), undefined);
});

test('KubeletMetrics counts running pods and containers by state at scrape time', async () => {
  let pods = [pod('a', 'Running', [running, exited]), pod('b', 'Running', [created]), pod('c', 'Pending', [pulling]), pod('d', 'Succeeded', [exited])];
  const m = new KubeletMetrics(() => pods, { defaultMetrics: false });
  let out = await m.registry.metrics();
  assert.match(out, /^kubelet_running_pods 2$/m);
  assert.match(out, /^kubelet_running_containers\{container_state="running"\} 1$/m);
  assert.match(out, /^kubelet_running_containers\{container_state="exited"\} 2$/m);
  assert.match(out, /^kubelet_running_containers\{container_state="created"\} 1$/m);
  pods = [];
  out = await m.registry.metrics();
  assert.match(out, /^kubelet_running_pods 0$/m);
  assert.match(out, /^kubelet_running_containers\{container_state="running"\} 0$/m);
});

test('KubeletServer serves /metrics to clients with a cluster certificate', async () => {
  const pki = await testPki();
  const kubelet = new KubeletServer({ bindAddress: '127.0.0.1', port: 0, tls: { ...pki.serving, clientCaPem: pki.clientCaPem }, pods: async () => undefined, runtime: {} as never, logger: silentLogger, metrics: new KubeletMetrics(() => [pod('a', 'Running', [running])]) });
  const port = await kubelet.start();
  try {
    const get = (cert: { certPem: string; keyPem: string } | null): Promise<{ code: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = httpsGet({ host: '127.0.0.1', port, path: '/metrics', ca: pki.serving.caPem, agent: false, ...(cert ? { cert: cert.certPem, key: cert.keyPem } : {}) }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
      });
    const ok = await get(pki.client);
    assert.equal(ok.code, 200);
    assert.match(ok.body, /^kubelet_running_pods 1$/m);
    assert.match(ok.body, /^process_cpu_seconds_total /m);
    assert.equal((await get(null)).code, 401);
  } finally {
    await kubelet.stop();
  }
});
