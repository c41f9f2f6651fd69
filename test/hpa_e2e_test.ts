// The horizontal pod autoscaler end to end: `kubectl autoscale` (autoscaling/v1) against
// `skiff server --disable-agent` and one simulated node (the fake runtime, `skiff sim-nodes`, whose
// kubelet API reports the usage set by the `skiff.io/simulated-cpu` annotation). The server
// scrapes every second and the controller syncs every 3 s with a 6 s downscale stabilization
// window and a 1 s cpu initialization period (--kube-controller-manager-arg), so a scale-out and
// the scale-in after it take seconds. Each rollout leaves the new pods without metrics for a few
// syncs, and each such sync records two Warning events: a faster sync would spend the object's
// event budget (client-go's spam filter) before the rescale events the test looks for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './eventually.js';
import { kubectl, kubectlBinaries, kubectlOk, REPO, startServer, type TestServer } from './harness.js';

const NS = 'hpa-e2e';
const SERVER_ARGS = [
  '--metric-resolution', '1s',
  '--kube-controller-manager-arg', 'horizontal-pod-autoscaler-sync-period=3s',
  '--kube-controller-manager-arg', 'horizontal-pod-autoscaler-downscale-stabilization=6s',
  '--kube-controller-manager-arg', 'horizontal-pod-autoscaler-cpu-initialization-period=1s',
];
let server: TestServer;
let agent: ChildProcess | undefined;
let agentOut = '';

function startSimNode(s: TestServer): ChildProcess {
  const token = readFileSync(join(s.dir, 'data', 'server', 'node-token'), 'utf8').trim();
  const args = [join(REPO, 'bin', 'skiff'), 'sim-nodes', '--count', '1', '--name-prefix', 'hpa-', '--server', `https://127.0.0.1:${s.port}`, '--token', token, '--kubeconfig', s.kubeconfig, '--node-ip', '127.0.0.1', '--node-capacity', 'cpu=8,memory=16Gi,pods=110', '--node-status-update-frequency', '1s'];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout?.on('data', (d: Buffer) => (agentOut = (agentOut + d.toString()).slice(-4000)));
  proc.stderr?.on('data', (d: Buffer) => (agentOut = (agentOut + d.toString()).slice(-4000)));
  return proc;
}

const k = (args: string[], bin = 'kubectl'): string => kubectlOk(bin, server.kubeconfig, args);

function deployment(name: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${NS}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: app
        image: nginx
        resources: {requests: {cpu: 100m, memory: 64Mi}}
`;
}

/** eventMessages lists the messages of the Events of one object with one reason. */
function eventMessages(name: string, reason: string): string {
  const list = JSON.parse(k(['-n', NS, 'get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'json'])) as { items: { reason: string; message: string }[] };
  return list.items.filter((e) => e.reason === reason).map((e) => e.message).join('\n');
}

const replicas = (name: string): number => Number(k(['-n', NS, 'get', 'deployment', name, '-o', 'jsonpath={.spec.replicas}']));

before(async () => {
  server = await startServer(SERVER_ARGS);
  agent = startSimNode(server);
  await eventually('node hpa-0 Ready', () => assert.match(k(['get', 'nodes']), /^hpa-0\s+Ready\s/m), 30_000).catch((e: Error) => {
    throw new Error(`${e.message}\n${agentOut}`);
  });
  k(['create', 'namespace', NS]);
});

after(async () => {
  agent?.kill('SIGTERM');
  await server?.stop();
});

for (const { name: version, bin } of kubectlBinaries()) {
  const name = `web-${version.replace('.', '-')}`;
  test(`kubectl ${version}: autoscale creates an autoscaling/v1 HPA, printed the same in v1 and v2`, async () => {
    kubectlOk('kubectl', server.kubeconfig, ['apply', '-f', '-'], { input: deployment(name) });
    // Metrics first: each sync without them records two Warning events, and an object's event
    // budget (25, then one per 5 minutes, as client-go's spam filter) would hide the rescales.
    await eventually('pod metrics', () => assert.match(k(['-n', NS, 'top', 'pod', '-l', `app=${name}`]), /\d+m\s+\d+Mi/), 60_000);
    assert.match(k(['-n', NS, 'autoscale', 'deployment', name, '--cpu-percent=50', '--min=1', '--max=5'], bin), new RegExp(`horizontalpodautoscaler.autoscaling/${name} autoscaled`));
    const v1 = JSON.parse(k(['-n', NS, 'get', 'horizontalpodautoscalers.v1.autoscaling', name, '-o', 'json'])) as { apiVersion: string; spec: Record<string, unknown> };
    assert.equal(v1.apiVersion, 'autoscaling/v1');
    assert.deepEqual(v1.spec, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 });
    const v2 = JSON.parse(k(['-n', NS, 'get', 'hpa', name, '-o', 'json'])) as { apiVersion: string; spec: { metrics: unknown[] } };
    assert.equal(v2.apiVersion, 'autoscaling/v2');
    assert.deepEqual(v2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
    const header = /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$/m;
    const row = new RegExp(`^${name}\\s+Deployment/${name}\\s+cpu: (<unknown>|\\d+%)/50%\\s+1\\s+5\\s+[01]\\s+\\d+s$`, 'm');
    for (const resource of ['hpa', 'horizontalpodautoscalers.v1.autoscaling', 'horizontalpodautoscalers.v2.autoscaling']) {
      const out = k(['-n', NS, 'get', resource, name], bin);
      assert.match(out, header, `${resource}:\n${out}`);
      assert.match(out, row, `${resource}:\n${out}`);
    }
    assert.match(k(['explain', 'hpa.spec.targetCPUUtilizationPercentage', '--api-version=autoscaling/v1'], bin), /targetCPUUtilizationPercentage\s+<integer>/);
    await eventually('the HPA to read the pods\' cpu', () => assert.match(k(['-n', NS, 'get', 'hpa', name], bin), new RegExp(`^${name}\\s+Deployment/${name}\\s+cpu: \\d+%/50%\\s+1\\s+5\\s+1\\s`, 'm')), 60_000);
    const status = JSON.parse(k(['-n', NS, 'get', 'hpa', name, '-o', 'jsonpath={.status}'])) as { conditions: { type: string; status: string; reason: string }[] };
    assert.deepEqual(status.conditions.map((c) => [c.type, c.status]), [['AbleToScale', 'True'], ['ScalingActive', 'True'], ['ScalingLimited', 'False']]);
    assert.equal(status.conditions[1]!.reason, 'ValidMetricFound');
  });

  test(`kubectl ${version}: usage above the target scales out, back to normal scales in after the window`, async () => {
    k(['-n', NS, 'patch', 'deployment', name, '-p', '{"spec":{"template":{"metadata":{"annotations":{"skiff.io/simulated-cpu":"400m"}}}}}']);
    await eventually('scale out to 5', () => assert.equal(replicas(name), 5), 90_000);
    const events = eventMessages(name, 'SuccessfulRescale');
    assert.match(events, /^New size: \d; reason: cpu resource utilization \(percentage of request\) above target$/m, k(['-n', NS, 'get', 'events', '--field-selector', `involvedObject.name=${name}`]));
    await eventually('the HPA to report 5 replicas and a high utilization', () => {
      const out = k(['-n', NS, 'get', 'hpa', name], bin);
      const m = new RegExp(`cpu: (\\d+)%/50%\\s+1\\s+5\\s+5\\s`).exec(out);
      assert.ok(m && Number(m[1]) > 55, out);
    }, 60_000);
    k(['-n', NS, 'patch', 'deployment', name, '--type', 'json', '-p', '[{"op":"remove","path":"/spec/template/metadata/annotations/skiff.io~1simulated-cpu"}]']);
    await eventually('scale in to 1', () => assert.equal(replicas(name), 1), 120_000);
    const later = eventMessages(name, 'SuccessfulRescale');
    assert.match(later, /^New size: 1; reason: All metrics below target$/m);
    const describe = k(['-n', NS, 'describe', 'hpa', name], bin);
    assert.match(describe, /SuccessfulRescale/);
  });
}

test('an unknown target kind reports FailedGetScale; an AverageValue target prints as upstream', async () => {
  const hpa = (kind: string, target: string): string => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ${target}, namespace: ${NS}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: ${kind}, name: ${target}}
  maxReplicas: 3
  metrics:
  - type: Resource
    resource: {name: memory, target: {type: AverageValue, averageValue: 100Mi}}
`;
  kubectlOk('kubectl', server.kubeconfig, ['apply', '-f', '-'], { input: hpa('Nope', 'nokind') });
  await eventually('FailedGetScale', () => {
    assert.match(eventMessages('nokind', 'FailedGetScale'), /no matches for kind "Nope" in group "apps"/);
  }, 30_000);
  const missing = kubectl('kubectl', server.kubeconfig, ['-n', NS, 'get', 'hpa', 'nokind', '-o', 'jsonpath={.status.conditions[0].reason}']);
  assert.equal(missing.stdout, 'FailedGetScale');
  assert.match(k(['-n', NS, 'get', 'hpa', 'nokind']), /^nokind\s+Nope\/nokind\s+memory: <unknown>\/100Mi\s+1\s+3\s+0\s/m);
});
