// `kubectl top` (1.32 and 1.20) against `skiff server --disable-agent` and one simulated node
// (`skiff sim-nodes`, the fake runtime) whose kubelet API reports simulated usage: the server
// scrapes /metrics/resource every 2 s (--metric-resolution) and serves metrics.k8s.io;
// `--disable metrics-server` turns it all off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './eventually.js';
import { kubectl, kubectlBinaries, kubectlOk, REPO, startServer, type TestServer } from './harness.js';

const NS = 'top-e2e';
const RESOLUTION = ['--metric-resolution', '2s'];
let server: TestServer;
let agent: ChildProcess | undefined;
let agentOut = '';

/** startSimNode runs `skiff sim-nodes --count 1`: node top-0, joined by the node token (which also yields its kubelet API certificate). */
function startSimNode(s: TestServer): ChildProcess {
  const token = readFileSync(join(s.dir, 'data', 'server', 'node-token'), 'utf8').trim();
  const args = [join(REPO, 'bin', 'skiff'), 'sim-nodes', '--count', '1', '--name-prefix', 'top-', '--server', `https://127.0.0.1:${s.port}`, '--token', token, '--kubeconfig', s.kubeconfig, '--node-ip', '127.0.0.1', '--node-capacity', 'cpu=4,memory=8Gi,pods=110', '--node-status-update-frequency', '1s'];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout?.on('data', (d: Buffer) => (agentOut = (agentOut + d.toString()).slice(-4000)));
  proc.stderr?.on('data', (d: Buffer) => (agentOut = (agentOut + d.toString()).slice(-4000)));
  return proc;
}

const k = (args: string[], bin = 'kubectl'): string => kubectlOk(bin, server.kubeconfig, args);

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: ${NS}
  labels: {app: web}
spec:
  containers:
  - {name: app, image: nginx}
  - {name: sidecar, image: busybox, command: [sleep, infinity]}
`;

before(async () => {
  server = await startServer(RESOLUTION);
  agent = startSimNode(server);
  await eventually('node top-0 Ready', () => assert.match(k(['get', 'nodes']), /^top-0\s+Ready\s/m), 30_000).catch((e: Error) => {
    throw new Error(`${e.message}\n${agentOut}`);
  });
  k(['create', 'namespace', NS]);
});

after(async () => {
  agent?.kill('SIGTERM');
  await server?.stop();
});

test('a pod runs on the simulated node', async () => {
  kubectlOk('kubectl', server.kubeconfig, ['apply', '-f', '-'], { input: POD });
  await eventually('pod web Running', () => assert.equal(k(['-n', NS, 'get', 'pod', 'web', '-o', 'jsonpath={.status.phase}']), 'Running'), 30_000);
});

for (const { name, bin } of kubectlBinaries()) {
  test(`kubectl ${name}: top nodes and top pods`, async () => {
    const nodes = await eventually('top nodes', () => {
      const out = k(['top', 'nodes'], bin);
      assert.match(out, /^NAME\s+CPU\(cores\)\s+CPU(\(%\)|%)\s+MEMORY\(bytes\)\s+MEMORY(\(%\)|%)/m);
      assert.match(out, /^top-0\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/m);
      return out;
    }, 30_000);
    assert.ok(nodes);
    const pods = await eventually('top pods -A', () => {
      const out = k(['top', 'pods', '-A'], bin);
      assert.match(out, new RegExp(`^${NS}\\s+web\\s+\\d+m\\s+\\d+Mi`, 'm'));
      return out;
    }, 30_000);
    assert.match(pods, /^NAMESPACE\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/m);
    const containers = k(['-n', NS, 'top', 'pod', 'web', '--containers'], bin);
    assert.match(containers, /^POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/m);
    assert.match(containers, /^web\s+app\s+\d+m\s+\d+Mi/m);
    assert.match(containers, /^web\s+sidecar\s+\d+m\s+\d+Mi/m);
    assert.match(k(['-n', NS, 'top', 'pod', '-l', 'app=web'], bin), /^web\s+\d+m/m);
  });
}

test('the metrics.k8s.io objects, discovery and errors are metrics-server\'s', () => {
  const groups = JSON.parse(k(['get', '--raw', '/apis/metrics.k8s.io'])) as { preferredVersion: { groupVersion: string } };
  assert.equal(groups.preferredVersion.groupVersion, 'metrics.k8s.io/v1beta1');
  const resources = JSON.parse(k(['get', '--raw', '/apis/metrics.k8s.io/v1beta1'])) as { resources: { name: string; kind: string; namespaced: boolean; verbs: string[] }[] };
  assert.deepEqual(resources.resources.map((r) => [r.name, r.kind, r.namespaced, r.verbs]), [['nodes', 'NodeMetrics', false, ['get', 'list']], ['pods', 'PodMetrics', true, ['get', 'list']]]);
  assert.match(k(['api-resources', '--api-group=metrics.k8s.io']), /^pods\s+metrics.k8s.io\/v1beta1\s+true\s+PodMetrics/m);
  const pm = JSON.parse(k(['get', '--raw', `/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods/web`])) as Record<string, unknown> & { metadata: Record<string, unknown>; containers: { name: string; usage: { cpu: string; memory: string } }[] };
  assert.equal(pm.kind, 'PodMetrics');
  assert.equal(pm.apiVersion, 'metrics.k8s.io/v1beta1');
  assert.deepEqual(pm.metadata.labels, { app: 'web' });
  assert.match(String(pm.window), /^\d+(\.\d+)?s$/);
  assert.match(String(pm.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(pm.containers.map((c) => c.name).sort(), ['app', 'sidecar']);
  for (const c of pm.containers) {
    assert.match(c.usage.cpu, /^\d+[num]?$/);
    assert.match(c.usage.memory, /^\d+(Ki|Mi|Gi)?$/);
  }
  const missing = kubectl('kubectl', server.kubeconfig, ['get', '--raw', `/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods/nope`]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /pods "nope" not found/);
  // A Node no kubelet answers for: known, but without metrics.
  kubectlOk('kubectl', server.kubeconfig, ['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Node\nmetadata: {name: ghost}\n' });
  const ghost = kubectl('kubectl', server.kubeconfig, ['top', 'node', 'ghost']);
  assert.notEqual(ghost.code, 0);
  assert.match(ghost.stderr, /nodemetrics.metrics.k8s.io "ghost" not found/);
  k(['delete', 'node', 'ghost']);
  const watch = kubectl('kubectl', server.kubeconfig, ['get', '--raw', '/apis/metrics.k8s.io/v1beta1/pods?watch=true']);
  assert.notEqual(watch.code, 0);
});

test('a view-only user can top pods through system:aggregated-metrics-reader', async () => {
  k(['-n', NS, 'create', 'rolebinding', 'viewer', '--clusterrole=view', '--user=viewer']);
  await eventually('view aggregates metrics.k8s.io', () => assert.match(k(['get', 'clusterrole', 'view', '-o', 'jsonpath={.rules[*].apiGroups}']), /metrics\.k8s\.io/), 20_000);
  assert.match(k(['-n', NS, 'top', 'pod', '--as', 'viewer']), /^web\s+\d+m/m);
  const denied = kubectl('kubectl', server.kubeconfig, ['top', 'node', '--as', 'viewer']);
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /forbidden/);
});

test('--disable metrics-server: no metrics API, no aggregated reader role', async () => {
  const dir = server.dir;
  await server.stop();
  server = await startServer([...RESOLUTION, '--disable', 'metrics-server'], dir);
  await eventually('the aggregated reader to be deleted', () => {
    const r = kubectl('kubectl', server.kubeconfig, ['get', 'clusterrole', 'system:aggregated-metrics-reader']);
    assert.match(r.stderr, /NotFound|not found/);
  }, 20_000);
  for (const { bin } of kubectlBinaries()) {
    const top = kubectl(bin, server.kubeconfig, ['top', 'nodes']);
    assert.notEqual(top.code, 0);
    assert.match(top.stderr, /Metrics API not available/);
    const pods = kubectl(bin, server.kubeconfig, ['top', 'pods', '-A']);
    assert.match(pods.stderr, /Metrics API not available/);
  }
});
