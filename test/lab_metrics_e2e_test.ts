// Resource metrics and autoscaling on real nodes: a containerd lab (controller with its embedded
// agent, one worker, client host). `kubectl top` from the client host shows what the nodes read
// from containerd and cgroups, and a HorizontalPodAutoscaler made with `kubectl autoscale` scales
// a Deployment of CPU-burning busybox pods out, then back in once they go idle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { containerdSkipReason, startImageLab, type TestLab } from './lab_harness.js';
import { eventually as poll } from './eventually.js';

const skip = containerdSkipReason();
let lab: TestLab;

// Short controller periods so the scale-out and back fit in a test run.
const HPA_ARGS = ['sync-period=3s', 'downscale-stabilization=10s', 'cpu-initialization-period=5s', 'initial-readiness-delay=5s'].flatMap((a) => ['--kube-controller-manager-arg', `horizontal-pod-autoscaler-${a}`]);

before(async () => {
  if (skip) return;
  lab = await startImageLab(['busybox-1.35.tar'], { name: 'metrics', subnet: '10.85.0.0/24', workers: 1, serverArgs: ['--metric-resolution', '2s', ...HPA_ARGS] });
});

after(async () => {
  await lab?.down();
});

const k = (args: string[], timeoutMs = 30_000): Promise<string> => lab.kubectlOk(args, { timeoutMs });
const apply = (yaml: string): Promise<string> => lab.kubectlOk(['apply', '-f', '-'], { input: yaml });
const eventually = <T>(what: string, fn: () => Promise<T>, timeoutMs = 90_000): Promise<T> => poll(what, fn, timeoutMs, 1000);

const burner = (command: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: burner}
spec:
  replicas: 1
  selector: {matchLabels: {app: burner}}
  template:
    metadata: {labels: {app: burner}}
    spec:
      terminationGracePeriodSeconds: 0
      nodeSelector: {kubernetes.io/hostname: worker1}
      containers:
      - name: burn
        image: skiff.local/busybox:1.35
        command: ["sh", "-c", "${command}"]
        resources:
          requests: {cpu: 100m, memory: 16Mi}
          limits: {cpu: 300m, memory: 64Mi}
`;

/** milliCPU reads a kubectl top CPU cell ("250m", "1"). */
const milliCPU = (cell: string): number => (cell.endsWith('m') ? Number(cell.slice(0, -1)) : Number(cell) * 1000);

test('kubectl top nodes and pods from the client host: usage read from containerd and cgroups', { skip }, async () => {
  await apply(burner('while :; do :; done'));
  await k(['rollout', 'status', 'deploy/burner', '--timeout=60s'], 70_000);
  const nodes = await eventually('node metrics', async () => {
    const out = await k(['top', 'nodes', '--no-headers']);
    assert.match(out, /^controller\s+\d+m?\s+\d+%\s+\d+Mi\s+\d+%/m);
    assert.match(out, /^worker1\s+\d+m?\s+\d+%\s+\d+Mi\s+\d+%/m);
    return out;
  });
  assert.ok(nodes);
  const row = await eventually('the burner uses about its CPU limit', async () => {
    const out = await k(['top', 'pods', '-l', 'app=burner', '--containers', '--no-headers']);
    const cells = out.trim().split(/\s+/);
    assert.equal(cells[1], 'burn', out);
    assert.ok(milliCPU(cells[2] ?? '') >= 150, out);
    assert.match(cells[3] ?? '', /^\d+Mi$/);
    return out;
  });
  assert.ok(row);
  const all = await k(['top', 'pods', '-A', '--no-headers']);
  assert.match(all, /^default\s+burner-\S+\s+\d+m\s+\d+Mi/m);
});

test('kubectl autoscale: the CPU-burning Deployment scales out, and back in once idle', { skip }, async () => {
  await k(['autoscale', 'deployment', 'burner', '--cpu-percent=50', '--min=1', '--max=3']);
  await eventually('scaled out to 3', async () => assert.equal(await k(['get', 'deploy', 'burner', '-o', 'jsonpath={.spec.replicas}']), '3'), 120_000);
  await eventually('the HPA shows 3 replicas', async () => assert.match(await k(['get', 'hpa', 'burner', '--no-headers']), /^burner\s+Deployment\/burner\s+cpu: \d+%\/50%\s+1\s+3\s+3\s/m), 30_000);
  // New pods that only sleep: usage drops to nothing, and after the stabilization window the
  // autoscaler brings the Deployment back to its minimum.
  await k(['patch', 'deploy', 'burner', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/command","value":["sh","-c","exec sleep 3600"]}]']);
  await eventually('scaled back to 1', async () => assert.equal(await k(['get', 'deploy', 'burner', '-o', 'jsonpath={.spec.replicas}']), '1'), 150_000);
  const events = await k(['get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler,reason=SuccessfulRescale', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
  assert.match(events, /New size: 3; reason: cpu resource utilization \(percentage of request\) above target/);
  assert.match(events, /New size: 1; reason: All metrics below target/);
});
