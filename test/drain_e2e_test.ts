// kubectl cordon / uncordon / drain on `skiff server` plus two `skiff agent`s with the fake
// runtime: a cordoned node takes no new pods; a drain evicts through pods/eviction, throttled by a
// PodDisruptionBudget whose status the disruption controller computes, and a budget that can
// never be met makes the drain time out with kubectl's disruption-budget message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually.js';
import { startFakeAgent, startServer, kubectlOk, type KubectlResult, type TestServer } from './harness.js';

const FAST = ['--node-monitor-grace-period', '4s', '--node-lease-duration-seconds', '4', '--node-status-update-frequency', '1s'];
let server: TestServer | undefined;
const agents = new Map<string, ChildProcess>();
let agentDir: string;

function startAgent(s: TestServer, name: string): void {
  agents.set(name, startFakeAgent(s, name, agentDir));
}

const k = (args: string[], input?: string): string => kubectlOk('kubectl', server!.kubeconfig, args, input === undefined ? {} : { input });

/** kubectlAsync runs kubectl without blocking the event loop (the children's log pipes keep draining); killed after timeoutMs. */
function kubectlAsync(args: string[], timeoutMs: number): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const p = spawn('kubectl', args, { env: { ...process.env, KUBECONFIG: server!.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

interface PodRow {
  name: string;
  phase: string;
  node: string;
  deleting: boolean;
}

function pods(selector: string): PodRow[] {
  const out = JSON.parse(k(['get', 'pods', '-l', selector, '-o', 'json'])) as { items: { metadata: { name: string; deletionTimestamp?: string }; spec: { nodeName?: string }; status: { phase?: string } }[] };
  return out.items.map((p) => ({ name: p.metadata.name, phase: p.status.phase ?? '', node: p.spec.nodeName ?? '', deleting: !!p.metadata.deletionTimestamp }));
}

const readyReplicas = (deploy: string): string => k(['get', 'deploy', deploy, '-o', 'jsonpath={.status.readyReplicas}/{.spec.replicas}']);

function deployment(name: string, replicas: number, nodeSelector?: Record<string, string>): string {
  const spec: Record<string, unknown> = { containers: [{ name: 'web', image: 'nginx:1.25', volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }], volumes: [{ name: 'scratch', emptyDir: {} }] };
  if (nodeSelector) spec.nodeSelector = nodeSelector;
  return JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } } });
}

const pdb = (name: string, minAvailable: number): string => JSON.stringify({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { minAvailable, selector: { matchLabels: { app: name } } } });

const pdbStatus = (name: string): string => k(['get', 'pdb', name, '-o', 'jsonpath={.status.expectedPods}/{.status.currentHealthy}/{.status.desiredHealthy}/{.status.disruptionsAllowed}']);

before(async () => {
  agentDir = mkdtempSync(join(tmpdir(), 'skiff-drain-agents-'));
  server = await startServer(['--runtime', 'fake', '--node-name', 'controller', '--node-capacity', 'cpu=4,memory=8Gi,pods=110', ...FAST], undefined, { withAgent: true });
  startAgent(server, 'worker1');
  startAgent(server, 'worker2');
});

after(async () => {
  for (const p of agents.values()) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await server?.stop();
  rmSync(agentDir, { recursive: true, force: true });
  if (server) rmSync(server.dir, { recursive: true, force: true });
});

test('three nodes are Ready', async () => {
  await eventually('3 Ready nodes', () => {
    const out = k(['get', 'nodes']);
    for (const n of ['controller', 'worker1', 'worker2']) assert.match(out, new RegExp(`^${n}\\s+Ready\\s`, 'm'));
  });
});

test('cordon marks the node SchedulingDisabled and new pods avoid it; uncordon lifts it', { timeout: 60_000 }, async () => {
  assert.match(k(['cordon', 'worker1']), /^node\/worker1 cordoned$/m);
  assert.match(k(['get', 'nodes']), /^worker1\s+Ready,SchedulingDisabled\s/m);
  assert.equal(k(['get', 'node', 'worker1', '-o', 'jsonpath={.spec.unschedulable}']), 'true');
  k(['apply', '-f', '-'], deployment('spread', 6));
  await eventually('spread 6/6', () => assert.equal(readyReplicas('spread'), '6/6'));
  const nodes = pods('app=spread').map((p) => p.node);
  assert.equal(nodes.length, 6);
  assert.ok(!nodes.includes('worker1'), `no pod on the cordoned node: ${nodes.join(',')}`);
  assert.match(k(['uncordon', 'worker1']), /^node\/worker1 uncordoned$/m);
  assert.match(k(['get', 'nodes']), /^worker1\s+Ready\s/m);
  k(['delete', 'deploy', 'spread']);
  await eventually('spread pods gone', () => assert.equal(pods('app=spread').length, 0));
});

test('drain evicts within the PodDisruptionBudget and the deployment recovers on the other nodes', { timeout: 150_000 }, async (t) => {
  k(['apply', '-f', '-'], deployment('web', 6));
  k(['apply', '-f', '-'], pdb('web', 5));
  await eventually('web 6/6', () => assert.equal(readyReplicas('web'), '6/6'));
  const onWorker1 = pods('app=web').filter((p) => p.node === 'worker1');
  assert.ok(onWorker1.length > 0, 'the scheduler spread web onto worker1');
  await eventually('PDB web status', () => assert.equal(pdbStatus('web'), '6/6/5/1'));
  assert.match(k(['get', 'pdb', 'web']), /^web\s+5\s+N\/A\s+1\s/m);
  const r = await kubectlAsync(['drain', 'worker1', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s'], 90_000);
  assert.equal(r.code, 0, `drain failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /node\/worker1 cordoned/);
  for (const p of onWorker1) assert.match(r.stdout, new RegExp(`pod/${p.name} evicted`));
  assert.match(r.stdout, /node\/worker1 drained/);
  const throttled = (r.stderr.match(/would violate the pod's disruption budget/g) ?? []).length;
  t.diagnostic(`drain evicted ${onWorker1.length} pod(s) from worker1; PDB refusals retried by kubectl: ${throttled}`);
  // kubectl evicts in parallel; with disruptionsAllowed=1 the eviction subresource spends the
  // budget, so all but one of the concurrent evictions get 429 and are retried.
  if (onWorker1.length >= 2) assert.ok(throttled >= 1, 'at least one eviction refused with 429 and retried');
  assert.match(k(['get', 'nodes']), /^worker1\s+Ready,SchedulingDisabled\s/m);
  assert.equal(pods('app=web').filter((p) => p.node === 'worker1').length, 0);
  await eventually('web back to 6/6 off worker1', () => {
    assert.equal(readyReplicas('web'), '6/6');
    const live = pods('app=web').filter((p) => !p.deleting);
    assert.equal(live.length, 6);
    assert.ok(live.every((p) => p.node !== 'worker1' && p.phase === 'Running'));
  });
  await eventually('PDB web healthy again', () => assert.equal(pdbStatus('web'), '6/6/5/1'));
});

test('a drain the PodDisruptionBudget can never allow times out with the budget message', { timeout: 120_000 }, async () => {
  assert.match(k(['uncordon', 'worker1']), /^node\/worker1 uncordoned$/m);
  k(['apply', '-f', '-'], deployment('pinned', 6, { 'kubernetes.io/hostname': 'worker1' }));
  k(['apply', '-f', '-'], pdb('pinned', 6));
  await eventually('pinned 6/6', () => assert.equal(readyReplicas('pinned'), '6/6'));
  await eventually('PDB pinned allows nothing', () => assert.equal(pdbStatus('pinned'), '6/6/6/0'));
  assert.equal(k(['get', 'pdb', 'pinned', '-o', 'jsonpath={.status.conditions[?(@.type=="DisruptionAllowed")].reason}']), 'InsufficientPods');
  const r = await kubectlAsync(['drain', 'worker1', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=12s'], 60_000);
  assert.notEqual(r.code, 0, `drain should fail:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, /Cannot evict pod as it would violate the pod's disruption budget/);
  assert.match(r.stderr, /global timeout reached: 12s/);
  const left = pods('app=pinned');
  assert.equal(left.length, 6);
  assert.ok(left.every((p) => p.node === 'worker1' && !p.deleting));
  assert.match(k(['uncordon', 'worker1']), /^node\/worker1 uncordoned$/m);
});
