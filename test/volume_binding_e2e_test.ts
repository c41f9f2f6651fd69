// The scheduler's VolumeBinding end to end, with kubectl against `skiff server --disable-agent`
// and two `skiff agent --runtime fake` nodes: an unbound Immediate claim keeps its pod Pending
// until a volume appears, a bound local volume draws the pod to its node, a WaitForFirstConsumer
// claim binds the static volume of the node the pod goes to, and a local-path claim is
// provisioned on the pod's node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, startFakeAgent, kubectlOk, REPO, type TestServer } from './harness.js';
import { eventually } from './eventually.js';

const NODES = ['vb-a', 'vb-b'];
let server: TestServer;
let agents: ChildProcess[] = [];
let agentsDir: string;

before(async () => {
  server = await startServer();
  agentsDir = mkdtempSync(join(tmpdir(), 'skiff-vb-agents-'));
  agents = NODES.map((n) => startFakeAgent(server, n, agentsDir));
  await eventually('nodes Ready', () => {
    for (const n of NODES) assert.equal(jsonPath(['get', 'node', n], '{.status.conditions[?(@.type=="Ready")].status}'), 'True');
  }, 30_000);
});
after(async () => {
  for (const a of agents) a.kill('SIGTERM');
  await server?.stop();
  if (server) rmSync(server.dir, { recursive: true, force: true });
  if (agentsDir) rmSync(agentsDir, { recursive: true, force: true });
});

const k = (args: string[], input?: string): string => kubectlOk('kubectl', server.kubeconfig, args, input === undefined ? {} : { input });
const jsonPath = (args: string[], path: string): string => k([...args, '-o', `jsonpath=${path}`]);

const claim = (name: string, className: string): string => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: "${className}"
  resources: {requests: {storage: 100Mi}}
`;

const pod = (name: string, claimName: string, nodeSelector = ''): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 0
  ${nodeSelector ? `nodeSelector: {kubernetes.io/hostname: ${nodeSelector}}` : ''}
  containers:
  - {name: app, image: busybox, command: [sleep, '3600'], volumeMounts: [{name: data, mountPath: /data}]}
  volumes:
  - {name: data, persistentVolumeClaim: {claimName: ${claimName}}}
`;

const volume = (name: string, className: string, node: string, source = `hostPath: {path: /tmp/${name}}`): string => `apiVersion: v1
kind: PersistentVolume
metadata: {name: ${name}}
spec:
  storageClassName: "${className}"
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  ${source}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [${node}]}]
`;

const running = (name: string): Promise<void> => eventually(`${name} Running`, () => assert.equal(jsonPath(['get', 'pod', name], '{.status.phase}'), 'Running'), 30_000);

test('an unbound Immediate claim keeps its pod Pending until a volume binds it', async () => {
  k(['apply', '-f', '-'], `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: vb-immediate}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: Immediate
---
${claim('imm-data', 'vb-immediate')}---
${pod('imm', 'imm-data')}`);
  const want = '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.';
  await eventually('FailedScheduling', () => {
    const events = k(['get', 'events', '--field-selector', 'involvedObject.name=imm,reason=FailedScheduling', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
    assert.ok(events.split('\n').includes(want), events);
  });
  assert.equal(jsonPath(['get', 'pod', 'imm'], '{.status.phase}'), 'Pending');
  assert.equal(jsonPath(['get', 'pod', 'imm'], '{.status.conditions[?(@.type=="PodScheduled")].reason}'), 'Unschedulable');
  assert.match(k(['describe', 'pod', 'imm']), /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/2 nodes are available: pod has unbound immediate PersistentVolumeClaims\./);
  k(['apply', '-f', '-'], `apiVersion: v1
kind: PersistentVolume
metadata: {name: vb-imm-pv}
spec:
  storageClassName: vb-immediate
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath: {path: /tmp/vb-imm-pv}
`);
  await eventually('claim Bound', () => assert.equal(jsonPath(['get', 'pvc', 'imm-data'], '{.status.phase}'), 'Bound'));
  await running('imm');
});

test('a claim bound to a local volume pinned to a node draws the pod there', async () => {
  const path = join(agentsDir, 'local-b');
  k(['apply', '-f', '-'], `${volume('vb-local-b', '', 'vb-b', `local: {path: ${path}}`)}---
${claim('local-data', '')}`);
  await eventually('claim Bound', () => assert.equal(jsonPath(['get', 'pvc', 'local-data'], '{.spec.volumeName}'), 'vb-local-b'));
  for (let i = 0; i < 3; i++) k(['apply', '-f', '-'], pod(`local-${i}`, 'local-data'));
  for (let i = 0; i < 3; i++) {
    await running(`local-${i}`);
    assert.equal(jsonPath(['get', 'pod', `local-${i}`], '{.spec.nodeName}'), 'vb-b');
  }
});

test('a WaitForFirstConsumer claim binds the static volume of the node the pod goes to', async () => {
  k(['apply', '-f', '-'], `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: vb-wffc}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
---
${volume('vb-wffc-a', 'vb-wffc', 'vb-a')}---
${volume('vb-wffc-b', 'vb-wffc', 'vb-b')}---
${claim('wffc-data', 'vb-wffc')}`);
  await eventually('WaitForFirstConsumer event', () => assert.match(k(['describe', 'pvc', 'wffc-data']), /WaitForFirstConsumer\s+.*waiting for first consumer to be created before binding/));
  assert.equal(jsonPath(['get', 'pvc', 'wffc-data'], '{.status.phase}'), 'Pending');
  k(['apply', '-f', '-'], pod('wffc', 'wffc-data', 'vb-a'));
  await eventually('claim Bound to the volume on vb-a', () => assert.equal(jsonPath(['get', 'pvc', 'wffc-data'], '{.status.phase}={.spec.volumeName}'), 'Bound=vb-wffc-a'));
  assert.equal(jsonPath(['get', 'pv', 'vb-wffc-a'], '{.metadata.annotations.pv\\.kubernetes\\.io/bound-by-controller}'), 'yes');
  assert.equal(jsonPath(['get', 'pv', 'vb-wffc-b'], '{.status.phase}'), 'Available');
  await running('wffc');
  assert.equal(jsonPath(['get', 'pod', 'wffc'], '{.spec.nodeName}'), 'vb-a');
  // No volume is left for vb-a: a second claim's pod pinned there cannot be placed.
  k(['apply', '-f', '-'], `${claim('wffc-more', 'vb-wffc')}---
${pod('wffc-more', 'wffc-more', 'vb-a')}`);
  await eventually('FailedScheduling', () =>
    assert.match(k(['describe', 'pod', 'wffc-more']), /FailedScheduling\s+.*0\/2 nodes are available: 1 node\(s\) didn't find available persistent volumes to bind, 1 node\(s\) didn't match Pod's node affinity\/selector\./),
  );
});

test('a local-path claim is provisioned on the node its pod is scheduled to', { skip: !existsSync(join(REPO, 'src', 'controllers', 'localpath', 'index.ts')) && 'no local-path provisioner' }, async () => {
  await eventually('local-path class', () => k(['get', 'sc', 'local-path']));
  k(['apply', '-f', '-'], `${claim('lp-data', 'local-path')}---
${pod('lp', 'lp-data')}`);
  await running('lp');
  const node = jsonPath(['get', 'pod', 'lp'], '{.spec.nodeName}');
  assert.ok(NODES.includes(node), node);
  assert.equal(jsonPath(['get', 'pvc', 'lp-data'], '{.metadata.annotations.volume\\.kubernetes\\.io/selected-node}'), node);
  assert.equal(jsonPath(['get', 'pvc', 'lp-data'], '{.status.phase}'), 'Bound');
  const pv = jsonPath(['get', 'pvc', 'lp-data'], '{.spec.volumeName}');
  assert.equal(jsonPath(['get', 'pv', pv], '{.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}'), node);
});
