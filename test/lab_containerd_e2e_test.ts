// Real nodes: a lab of a controller and two workers running containerd, driven with kubectl from
// the lab's client host. Pods are real processes with their own addresses; the images are built
// locally from Debian packages (scripts/build-images.mjs), nothing is pulled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { containerdSkipReason, startImageLab, type TestLab } from './lab_harness.js';
import { eventually as poll } from './eventually.js';

const OLD_KUBECTL = '/usr/local/lib/skiff-test/kubectl-1.20';
const skip = containerdSkipReason();
let lab: TestLab;

before(async () => {
  if (skip) return;
  lab = await startImageLab(['busybox-1.35.tar', 'nginx-1.22.tar'], {
    serverArgs: ['--node-monitor-grace-period', '6s', '--default-not-ready-toleration-seconds', '5', '--default-unreachable-toleration-seconds', '5', '--node-lease-duration-seconds', '4', '--node-status-update-frequency', '2s'],
    agentArgs: ['--node-lease-duration-seconds', '4', '--node-status-update-frequency', '2s'],
  });
});

after(async () => {
  await lab?.down();
});

const k = (args: string[], timeoutMs = 30_000): Promise<string> => lab.kubectlOk(args, { timeoutMs });
const apply = (yaml: string): Promise<string> => lab.kubectlOk(['apply', '-f', '-'], { input: yaml });

/** eventually polls every 500 ms, for a minute unless told otherwise: real pods start slowly. */
const eventually = <T>(what: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> => poll(what, fn, timeoutMs, 500);

interface Pod {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status: { phase?: string; podIP?: string; containerStatuses?: { restartCount: number; ready: boolean; containerID?: string; state: Record<string, { reason?: string }>; lastState: Record<string, { reason?: string; exitCode?: number }> }[] };
}
const podsOf = async (selector: string): Promise<Pod[]> => (JSON.parse(await k(['get', 'pods', '-l', selector, '-o', 'json'])) as { items: Pod[] }).items;
const pod = async (name: string): Promise<Pod> => JSON.parse(await k(['get', 'pod', name, '-o', 'json'])) as Pod;

const bbPod = (name: string, node: string, command: string, extra = ''): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {test: ${name}}}
spec:
  nodeName: ${node}
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: skiff.local/busybox:1.35
    command: ["sh", "-c", ${JSON.stringify(command)}]
${extra}`;

test('three Ready nodes with roles, internal IPs, OS image, kernel and containerd', { skip }, async () => {
  const out = await k(['get', 'nodes', '-o', 'wide']);
  assert.match(out, /^controller\s+Ready\s+control-plane,master\s+\S+\s+v1\.32\.0\+skiff\s+10\.77\.0\.10\s+<none>\s+\S.*\s+\S+\s+containerd:\/\/1\.\d/m);
  assert.match(out, /^worker1\s+Ready\s+<none>\s+\S+\s+\S+\s+10\.77\.0\.11\s/m);
  assert.match(out, /^worker2\s+Ready\s+<none>\s+\S+\s+\S+\s+10\.77\.0\.12\s/m);
  await eventually('images in node status', async () => {
    const names = await k(['get', 'node', 'worker1', '-o', 'jsonpath={.status.images[*].names}']);
    assert.match(names, /skiff\.local\/busybox:1\.35/);
    assert.match(names, /skiff\.local\/nginx:1\.22/);
  }, 20_000);
});

test('nginx runs on every node and a pod on worker1 fetches the page from a pod IP on worker2', { skip }, async () => {
  await apply(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: "skiff.local/nginx:1.22", ports: [{containerPort: 80}]}]}
`);
  const pods = await eventually('3 running nginx pods on 3 nodes', async () => {
    const ps = (await podsOf('app=web')).filter((p) => p.status.phase === 'Running' && p.status.containerStatuses?.[0]?.ready);
    assert.deepEqual(ps.map((p) => p.spec.nodeName).sort(), ['controller', 'worker1', 'worker2']);
    return ps;
  });
  const target = pods.find((p) => p.spec.nodeName === 'worker2')!.status.podIP!;
  assert.match(target, /^10\.42\.\d+\.\d+$/);
  await apply(bbPod('client1', 'worker1', 'sleep 3600'));
  await eventually('client1 running', async () => assert.equal((await pod('client1')).status.phase, 'Running'));
  const page = await k(['exec', 'client1', '--', 'wget', '-qO-', `http://${target}/`]);
  assert.match(page, /Welcome to nginx|nginx/i);
});

for (const [version, bin] of [['1.32', 'kubectl'], ['1.20', OLD_KUBECTL]] as const) {
  test(`logs, exec and port-forward with kubectl ${version}`, { skip: skip ?? (existsSync(bin) || bin === 'kubectl' ? undefined : `${bin} is absent`) }, async () => {
    const kc = (args: string[]): Promise<string> => lab.exec('client', [bin, '--kubeconfig', lab.kubeconfig, ...args], { timeoutMs: 30_000 }).then((r) => {
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    });
    await apply(bbPod('talker', 'worker2', 'echo hello-from-talker; sleep 3600'));
    await eventually('talker running', async () => assert.equal((await pod('talker')).status.phase, 'Running'));
    assert.match(await kc(['logs', 'talker']), /hello-from-talker/);
    assert.equal((await kc(['exec', 'talker', '--', 'echo', 'hi'])).trim(), 'hi');
    const web = (await podsOf('app=web')).find((p) => p.spec.nodeName === 'worker1')!;
    // port-forward on the client host, then fetch through it from the same host.
    const script = `${bin} --kubeconfig ${lab.kubeconfig} port-forward pod/${web.metadata.name} 18080:80 >/tmp/pf.$$ 2>&1 & pf=$!; for i in $(seq 50); do grep -q Forwarding /tmp/pf.$$ && break; sleep 0.2; done; wget -qO- http://127.0.0.1:18080/ ; kill $pf; rm -f /tmp/pf.$$`;
    const r = await lab.exec('client', ['sh', '-c', script], { timeoutMs: 30_000 });
    assert.match(r.stdout, /nginx/i, r.stderr);
  });
}

test('a failing container goes into CrashLoopBackOff with growing delays', { skip }, async () => {
  await apply(bbPod('crasher', 'worker1', 'echo boom; exit 1'));
  await eventually('CrashLoopBackOff after two restarts', async () => {
    const cs = (await pod('crasher')).status.containerStatuses?.[0];
    assert.ok(cs && cs.restartCount >= 2, `restarts ${cs?.restartCount}`);
    assert.equal(cs.state.waiting?.reason, 'CrashLoopBackOff');
    assert.equal(cs.lastState.terminated?.exitCode, 1);
  }, 90_000);
  assert.match(await k(['get', 'pod', 'crasher']), /CrashLoopBackOff/);
  const events = await k(['get', 'events', '--field-selector', 'involvedObject.name=crasher']);
  assert.match(events, /BackOff/);
});

test('a memory hog is OOMKilled', { skip }, async () => {
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: hog}
spec:
  nodeName: worker2
  restartPolicy: Never
  containers:
  - name: main
    image: skiff.local/busybox:1.35
    command: ["tail", "/dev/zero"]
    resources: {limits: {memory: 32Mi}}
`);
  await eventually('OOMKilled', async () => {
    const cs = (await pod('hog')).status.containerStatuses?.[0];
    assert.equal(cs?.state.terminated?.reason, 'OOMKilled');
  }, 60_000);
});

test('a failing liveness probe restarts its container; a failing readiness probe marks the pod not ready', { skip }, async () => {
  await apply(bbPod('probed', 'worker1', 'touch /tmp/ok; sleep 6; rm /tmp/ok; sleep 3600', `    livenessProbe: {exec: {command: ["cat", "/tmp/ok"]}, periodSeconds: 1, failureThreshold: 2}
    readinessProbe: {exec: {command: ["cat", "/tmp/ok"]}, periodSeconds: 1}
`));
  await eventually('ready', async () => assert.equal((await pod('probed')).status.containerStatuses?.[0]?.ready, true), 30_000);
  await eventually('restarted by liveness', async () => assert.ok(((await pod('probed')).status.containerStatuses?.[0]?.restartCount ?? 0) >= 1), 40_000);
  await apply(bbPod('unready', 'worker2', 'sleep 3600', `    readinessProbe: {exec: {command: ["cat", "/nonexistent"]}, periodSeconds: 1}
`));
  await eventually('running but not ready', async () => {
    const p = await pod('unready');
    assert.equal(p.status.phase, 'Running');
    assert.equal(p.status.containerStatuses?.[0]?.ready, false);
  }, 30_000);
  assert.match(await k(['get', 'pod', 'unready']), /^unready\s+0\/1\s+Running\s/m);
});

test('an image that cannot be pulled shows ErrImagePull, then ImagePullBackOff', { skip }, async () => {
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: nopull}
spec:
  nodeName: worker1
  containers: [{name: main, image: "skiff.local/not-there:1"}]
`);
  const seen = new Set<string>();
  await eventually('ImagePullBackOff', async () => {
    const reason = (await pod('nopull')).status.containerStatuses?.[0]?.state.waiting?.reason;
    if (reason) seen.add(reason);
    assert.equal(reason, 'ImagePullBackOff');
  }, 60_000);
  assert.match(await k(['get', 'events', '--field-selector', 'involvedObject.name=nopull']), /Failed|BackOff/);
});

test('a hostPort is reachable on the node address, and a Job runs to Completed', { skip }, async () => {
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: hostport}
spec:
  nodeName: worker1
  containers: [{name: nginx, image: "skiff.local/nginx:1.22", ports: [{containerPort: 80, hostPort: 8081}]}]
`);
  await eventually('hostport running', async () => assert.equal((await pod('hostport')).status.phase, 'Running'));
  await eventually('page through 10.77.0.11:8081', async () => {
    const r = await lab.exec('client', ['wget', '-qO-', 'http://10.77.0.11:8081/'], { timeoutMs: 10_000 });
    assert.match(r.stdout, /nginx/i, r.stderr);
  }, 30_000);
  await k(['create', 'job', 'hello', '--image=skiff.local/busybox:1.35', '--', 'echo', 'hello-from-job']);
  await eventually('job complete', async () => assert.match(await k(['get', 'job', 'hello']), /^hello\s+Complete\s+1\/1\s/m), 60_000);
  const jobPod = (await podsOf('job-name=hello'))[0]!;
  assert.equal(jobPod.status.phase, 'Succeeded');
  assert.match(await k(['get', 'pod', jobPod.metadata.name]), /\sCompleted\s/);
  assert.match(await k(['logs', jobPod.metadata.name]), /hello-from-job/);
});

test('deleting a pod stops its processes', { skip }, async () => {
  await apply(bbPod('sleeper', 'worker2', 'exec sleep 31337'));
  await eventually('sleeper running', async () => assert.equal((await pod('sleeper')).status.phase, 'Running'));
  const running = (): boolean => spawnSync('pgrep', ['-f', 'sleep 31337']).status === 0;
  assert.ok(running(), 'the container process runs on the machine');
  await k(['delete', 'pod', 'sleeper'], 40_000);
  await eventually('process gone', async () => assert.equal(running(), false), 20_000);
});

test('restarting an agent leaves its running containers untouched', { skip }, async () => {
  const before = (await podsOf('app=web')).find((p) => p.spec.nodeName === 'worker1')!;
  const id = before.status.containerStatuses?.[0]?.containerID;
  assert.ok(id);
  await lab.restart('worker1');
  await eventually('worker1 Ready again', async () => assert.match(await k(['get', 'node', 'worker1']), /\sReady\s/));
  await new Promise((r) => setTimeout(r, 3000));
  const after = await pod(before.metadata.name);
  assert.equal(after.status.containerStatuses?.[0]?.containerID, id);
  assert.equal(after.status.containerStatuses?.[0]?.restartCount, before.status.containerStatuses?.[0]?.restartCount);
  assert.equal(after.status.phase, 'Running');
});

test('halting worker2 evicts its pods and the Deployment replaces them elsewhere', { skip }, async () => {
  await lab.halt('worker2');
  await eventually('worker2 NotReady', async () => assert.match(await k(['get', 'nodes']), /^worker2\s+NotReady\s/m), 40_000);
  await eventually('3 running nginx pods off worker2', async () => {
    const live = (await podsOf('app=web')).filter((p) => !p.metadata.deletionTimestamp && p.status.phase === 'Running');
    assert.equal(live.length, 3);
    assert.ok(live.every((p) => p.spec.nodeName !== 'worker2'));
  }, 60_000);
});
