// The tutorial's control-plane story on `skiff server` plus two `skiff agent`s with the fake
// runtime: nodes join, deployments run, pods come back, spread, get evicted from a dead node and
// replaced, a rolling update and its undo, and a DaemonSet that follows a new node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually.js';
import { startFakeAgent, startServer, kubectl, kubectlOk, MANIFESTS, type TestServer } from './harness.js';

const FAST = ['--node-monitor-grace-period', '4s', '--default-not-ready-toleration-seconds', '4', '--default-unreachable-toleration-seconds', '4', '--node-lease-duration-seconds', '4', '--node-status-update-frequency', '1s'];
let server: TestServer;
const agents = new Map<string, ChildProcess>();
let agentDir: string;

function startAgent(name: string): ChildProcess {
  const proc = startFakeAgent(server, name, agentDir);
  agents.set(name, proc);
  return proc;
}

const k = (args: string[]): string => kubectlOk('kubectl', server.kubeconfig, args);

interface PodRow {
  name: string;
  phase: string;
  node: string;
  ip: string;
  deleting: boolean;
}

function pods(selector: string): PodRow[] {
  const out = JSON.parse(k(['get', 'pods', '-l', selector, '-o', 'json'])) as { items: { metadata: { name: string; deletionTimestamp?: string }; spec: { nodeName?: string }; status: { phase?: string; podIP?: string } }[] };
  return out.items.map((p) => ({ name: p.metadata.name, phase: p.status.phase ?? '', node: p.spec.nodeName ?? '', ip: p.status.podIP ?? '', deleting: !!p.metadata.deletionTimestamp }));
}

function readyReplicas(deploy: string): string {
  return k(['get', 'deploy', deploy, '-o', 'jsonpath={.status.readyReplicas}/{.spec.replicas}']);
}

before(async () => {
  agentDir = mkdtempSync(join(tmpdir(), 'skiff-agents-'));
  // The server is no longer --disable-agent: its embedded fake agent is the node "controller".
  server = await startServer(['--runtime', 'fake', '--node-name', 'controller', '--node-capacity', 'cpu=4,memory=8Gi,pods=110', ...FAST], undefined, { withAgent: true });
  startAgent('worker1');
  startAgent('worker2');
});

after(async () => {
  for (const p of agents.values()) if (p.exitCode === null) p.kill('SIGKILL');
  await server?.stop();
  rmSync(agentDir, { recursive: true, force: true });
});

test('three nodes join and are Ready with roles', async () => {
  await eventually('3 Ready nodes', () => {
    const out = k(['get', 'nodes']);
    assert.match(out, /^controller\s+Ready\s+control-plane,master\s/m);
    assert.match(out, /^worker1\s+Ready\s+<none>\s/m);
    assert.match(out, /^worker2\s+Ready\s+<none>\s/m);
  });
  const wide = k(['get', 'nodes', '-o', 'wide']);
  assert.match(wide, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/m);
  const cidrs = k(['get', 'nodes', '-o', 'jsonpath={.items[*].spec.podCIDR}']).split(' ');
  assert.equal(new Set(cidrs).size, 3);
  for (const c of cidrs) assert.match(c, /^10\.42\.\d+\.0\/24$/);
});

test('the tutorial deployments run, a deleted pod comes back, scale to 10 spreads', async () => {
  for (const f of ['mongo-deployment.yaml', 'mongo-srv.yaml', 'letschat-deployment.yaml', 'letschat-srv.yaml', 'ingress.yaml']) k(['apply', '-f', join(MANIFESTS, f)]);
  await eventually('letschat 1/1', () => assert.equal(readyReplicas('letschat'), '1/1'));
  const wide = k(['get', 'deploy,rs,po', '-o', 'wide']);
  assert.match(wide, /^deployment.apps\/letschat\s+1\/1\s+1\s+1\s/m);
  assert.match(wide, /^replicaset.apps\/letschat-[a-z0-9]+\s+1\s+1\s+1\s/m);
  const nodeCidr = new Map(JSON.parse(k(['get', 'nodes', '-o', 'json'])).items.map((n: { metadata: { name: string }; spec: { podCIDR: string } }) => [n.metadata.name, n.spec.podCIDR.replace(/0\/24$/, '')]));
  for (const p of pods('name=letschat')) assert.ok(p.ip.startsWith(String(nodeCidr.get(p.node))), `${p.ip} in ${String(nodeCidr.get(p.node))}`);
  const first = pods('name=letschat')[0]!;
  k(['delete', 'pod', first.name]);
  await eventually('a replacement pod', () => {
    const now = pods('name=letschat').filter((p) => p.phase === 'Running' && !p.deleting);
    assert.equal(now.length, 1);
    assert.notEqual(now[0]!.name, first.name);
  });
  k(['scale', 'deploy', 'letschat', '--replicas=10']);
  await eventually('10/10', () => assert.equal(readyReplicas('letschat'), '10/10'));
  const nodes = new Set(pods('name=letschat').map((p) => p.node));
  assert.deepEqual([...nodes].sort(), ['controller', 'worker1', 'worker2']);
});

test('halting worker2 marks it, evicts its pods after the toleration and replaces them', async () => {
  agents.get('worker2')!.kill('SIGKILL');
  await eventually('worker2 NotReady', () => assert.match(k(['get', 'nodes']), /^worker2\s+NotReady\s/m), 20_000);
  const taints = k(['get', 'node', 'worker2', '-o', 'jsonpath={.spec.taints[*].key}']);
  assert.match(taints, /node.kubernetes.io\/unreachable/);
  assert.equal(k(['get', 'node', 'worker2', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']), 'Unknown');
  await eventually('10 running pods off worker2', () => {
    const live = pods('name=letschat').filter((p) => !p.deleting);
    assert.equal(live.length, 10);
    assert.ok(live.every((p) => p.node !== 'worker2'));
    assert.equal(readyReplicas('letschat'), '10/10');
  }, 40_000);
  assert.ok(pods('name=letschat').some((p) => p.deleting && p.node === 'worker2'), 'old pods stay Terminating on the dead node');
  k(['scale', 'deploy', 'letschat', '--replicas=1']);
  startAgent('worker2');
  await eventually('worker2 Ready, leftovers gone', () => {
    assert.match(k(['get', 'nodes']), /^worker2\s+Ready\s/m);
    assert.equal(pods('name=letschat').filter((p) => p.node === 'worker2' && p.deleting).length, 0);
    assert.equal(readyReplicas('letschat'), '1/1');
  }, 40_000);
});

test('rolling update and undo report success', async () => {
  k(['set', 'image', 'deploy/letschat', 'letschat=sdelements/lets-chat:v2']);
  const status = kubectl('kubectl', server.kubeconfig, ['rollout', 'status', 'deploy/letschat', '--timeout=60s'], { timeoutMs: 70_000 });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /successfully rolled out/);
  assert.match(k(['rollout', 'history', 'deploy/letschat']), /^2\s/m);
  k(['rollout', 'undo', 'deploy/letschat']);
  const undone = kubectl('kubectl', server.kubeconfig, ['rollout', 'status', 'deploy/letschat', '--timeout=60s'], { timeoutMs: 70_000 });
  assert.equal(undone.code, 0, undone.stderr);
  assert.equal(k(['get', 'deploy', 'letschat', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'sdelements/lets-chat');
});

test('a DaemonSet places one pod per node and follows a new node', async () => {
  const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-agent}
spec:
  selector: {matchLabels: {app: node-agent}}
  template:
    metadata: {labels: {app: node-agent}}
    spec: {containers: [{name: a, image: busybox}]}
`;
  kubectlOk('kubectl', server.kubeconfig, ['apply', '-f', '-'], { input: ds });
  await eventually('3 daemon pods', () => {
    const ps = pods('app=node-agent').filter((p) => p.phase === 'Running');
    assert.deepEqual(ps.map((p) => p.node).sort(), ['controller', 'worker1', 'worker2']);
  });
  startAgent('worker3');
  await eventually('4 daemon pods', () => {
    const ps = pods('app=node-agent').filter((p) => p.phase === 'Running');
    assert.deepEqual(ps.map((p) => p.node).sort(), ['controller', 'worker1', 'worker2', 'worker3']);
  });
});
