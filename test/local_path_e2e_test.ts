// The built-in local-path provisioner end to end, with kubectl against `skiff server --disable-agent`
// and one `skiff agent --runtime fake`: the default class `local-path`, a claim and a pod naming it,
// the volume made on the pod's node (affinity, folder), the claim Bound, the folder on the node,
// and deleting the claim removing volume and folder (the test names the node when the scheduler
// has not); a pod whose claim's node the scheduler's volume binding picks; a ReadWriteMany claim
// refused; `--disable local-storage` leaves no class and no provisioner.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, startFakeAgent, kubectl, kubectlOk, type TestServer } from './harness.js';
import { eventually } from './eventually.js';

const NODE = 'lp-node';
let server: TestServer;
let agent: ChildProcess;
let agentsDir: string;

before(async () => {
  server = await startServer();
  agentsDir = mkdtempSync(join(tmpdir(), 'skiff-lp-agents-'));
  agent = startFakeAgent(server, NODE, agentsDir);
  await eventually('node registered', () => k(['get', 'node', NODE]), 30_000);
});
after(async () => {
  await stopAgent(agent);
  await server?.stop();
  if (server) rmSync(server.dir, { recursive: true, force: true });
  if (agentsDir) rmSync(agentsDir, { recursive: true, force: true });
});

/** stopAgent ends an agent and waits (bounded) for it to exit, so its files can be removed. */
async function stopAgent(proc: ChildProcess | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGTERM');
  const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

const k = (args: string[], input?: string): string => kubectlOk('kubectl', server.kubeconfig, args, input === undefined ? {} : { input });
const jsonPath = (args: string[], path: string): string => k([...args, '-o', `jsonpath=${path}`]);

const claimAndPod = (claim: string, pod: string): string => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${claim}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: local-path
  resources:
    requests:
      storage: 128Mi
---
apiVersion: v1
kind: Pod
metadata:
  name: ${pod}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'echo hi > /data/hello; sleep 3600']
    volumeMounts:
    - {name: data, mountPath: /data}
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: ${claim}
`;

test('kubectl get sc shows the built-in class local-path as the default', async () => {
  const out = await eventually('local-path class deployed', () => {
    const o = k(['get', 'sc']);
    assert.match(o, /^local-path \(default\)\s+skiff\.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s+/m);
    return o;
  });
  assert.match(out.split('\n')[0] ?? '', /^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE$/);
  assert.equal(jsonPath(['get', 'node', NODE], '{.metadata.annotations.skiff\\.io/local-storage-path}'), join(agentsDir, NODE, 'storage'));
});

test('a claim used by a pod is provisioned on the pod\'s node, bound, and removed with its folder', async (t) => {
  k(['apply', '-f', '-'], claimAndPod('data', 'writer'));
  // The scheduler's volume binding chooses the node; without it the test names the pod's node itself.
  const selected = await eventually('claim gets a node, or the pod one', () => {
    const node = jsonPath(['get', 'pvc', 'data'], '{.metadata.annotations.volume\\.kubernetes\\.io/selected-node}');
    if (node) return { node, by: 'scheduler' };
    const podNode = jsonPath(['get', 'pod', 'writer'], '{.spec.nodeName}');
    assert.ok(podNode, 'neither selected-node nor pod node yet');
    return { node: podNode, by: 'test' };
  });
  t.diagnostic(`selected-node set by the ${selected.by}`);
  if (selected.by === 'test') k(['annotate', 'pvc', 'data', `volume.kubernetes.io/selected-node=${selected.node}`]);
  assert.equal(selected.node, NODE);
  await eventually('claim Bound', () => assert.equal(jsonPath(['get', 'pvc', 'data'], '{.status.phase}'), 'Bound'));
  const uid = jsonPath(['get', 'pvc', 'data'], '{.metadata.uid}');
  const pvName = `pvc-${uid}`;
  assert.equal(jsonPath(['get', 'pvc', 'data'], '{.spec.volumeName}'), pvName);
  const folder = join(agentsDir, NODE, 'storage', `${pvName}_default_data`);
  assert.equal(jsonPath(['get', 'pv', pvName], '{.spec.hostPath.path}'), folder);
  assert.equal(jsonPath(['get', 'pv', pvName], '{.spec.hostPath.type}'), 'DirectoryOrCreate');
  assert.equal(jsonPath(['get', 'pv', pvName], '{.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}'), NODE);
  assert.equal(jsonPath(['get', 'pv', pvName], '{.spec.persistentVolumeReclaimPolicy}'), 'Delete');
  assert.equal(jsonPath(['get', 'pv', pvName], '{.spec.claimRef.uid}'), uid);
  assert.equal(jsonPath(['get', 'pv', pvName], '{.metadata.annotations.pv\\.kubernetes\\.io/provisioned-by}'), 'skiff.io/local-path');
  assert.match(k(['get', 'pv', pvName]), new RegExp(`${pvName}\\s+128Mi\\s+RWO\\s+Delete\\s+Bound\\s+default/data\\s+local-path`));
  await eventually('folder made on the node', () => assert.equal(statSync(folder).mode & 0o777, 0o777));
  const events = k(['get', 'events', '--field-selector', 'involvedObject.name=data', '-o', 'jsonpath={range .items[*]}{.reason}={.message}{"\\n"}{end}']);
  assert.match(events, /Provisioning=External provisioner is provisioning volume for claim "default\/data"/);
  assert.match(events, new RegExp(`ProvisioningSucceeded=Successfully provisioned volume ${pvName}`));
  await eventually('pod Running', () => assert.equal(jsonPath(['get', 'pod', 'writer'], '{.status.phase}'), 'Running'));

  k(['delete', 'pod', 'writer', '--wait=true', '--timeout=60s']);
  k(['delete', 'pvc', 'data', '--wait=true', '--timeout=60s']);
  await eventually('volume deleted', () => {
    const r = kubectl('kubectl', server.kubeconfig, ['get', 'pv', pvName]);
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stderr, /NotFound/);
  });
  assert.equal(existsSync(folder), false);
});

test('the scheduler picks the node of a pod\'s local-path claim; the pod starts once it is Bound', async () => {
  k(['apply', '-f', '-'], claimAndPod('web-data', 'web'));
  await eventually('pod Running', () => assert.equal(jsonPath(['get', 'pod', 'web'], '{.status.phase}'), 'Running'), 60_000);
  assert.equal(jsonPath(['get', 'pod', 'web'], '{.spec.nodeName}'), NODE);
  assert.equal(jsonPath(['get', 'pvc', 'web-data'], '{.metadata.annotations.volume\\.kubernetes\\.io/selected-node}'), NODE);
  assert.equal(jsonPath(['get', 'pvc', 'web-data'], '{.status.phase}'), 'Bound');
  const pvName = jsonPath(['get', 'pvc', 'web-data'], '{.spec.volumeName}');
  assert.equal(jsonPath(['get', 'pv', pvName], '{.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}'), NODE);
  const folder = join(agentsDir, NODE, 'storage', `${pvName}_default_web-data`);
  assert.ok(existsSync(folder));
  k(['delete', 'pod', 'web', '--wait=true', '--timeout=60s']);
  k(['delete', 'pvc', 'web-data', '--wait=true', '--timeout=60s']);
  await eventually('volume and folder removed', () => {
    assert.notEqual(kubectl('kubectl', server.kubeconfig, ['get', 'pv', pvName]).code, 0);
    assert.equal(existsSync(folder), false);
  });
});

test('a ReadWriteMany claim is refused with ProvisioningFailed', async () => {
  k(['apply', '-f', '-'], `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: shared
  annotations:
    volume.kubernetes.io/selected-node: ${NODE}
spec:
  accessModes: [ReadWriteMany]
  storageClassName: local-path
  resources:
    requests:
      storage: 1Gi
`);
  await eventually('ProvisioningFailed', () =>
    assert.match(k(['describe', 'pvc', 'shared']), /ProvisioningFailed .*failed to provision volume with StorageClass "local-path": NodePath only supports ReadWriteOnce and ReadWriteOncePod \(1\.22\+\) access modes/s),
  );
  assert.equal(jsonPath(['get', 'pvc', 'shared'], '{.status.phase}'), 'Pending');
  k(['delete', 'pvc', 'shared']);
});

test('--disable local-storage: no class and no provisioner', async () => {
  const off = await startServer(['--disable', 'local-storage']);
  try {
    const ko = (args: string[], input?: string): string => kubectlOk('kubectl', off.kubeconfig, args, input === undefined ? {} : { input });
    // The manifests pass has run once the other built-in objects are there.
    await eventually('built-in IngressClass deployed', () => ko(['get', 'ingressclass', 'skiff']));
    const r = kubectl('kubectl', off.kubeconfig, ['get', 'sc']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /No resources found/);
    // A class of the same provisioner made by hand: the binder hands claims over, nobody provisions.
    ko(['apply', '-f', '-'], `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: by-hand}
provisioner: skiff.io/local-path
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: Node
metadata: {name: off-node}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: lonely
  annotations: {volume.kubernetes.io/selected-node: off-node}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: by-hand
  resources: {requests: {storage: 1Gi}}
`);
    await eventually('claim handed to the provisioner', () => assert.equal(ko(['get', 'pvc', 'lonely', '-o', 'jsonpath={.metadata.annotations.volume\\.kubernetes\\.io/storage-provisioner}']), 'skiff.io/local-path'));
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(ko(['get', 'pv', '-o', 'name']), '');
    assert.doesNotMatch(ko(['get', 'events', '--field-selector', 'involvedObject.name=lonely']), /\sProvisioning\s/);
  } finally {
    await off.stop();
    rmSync(off.dir, { recursive: true, force: true });
  }
});

test('--default-local-storage-path: volumes go there, and a joined agent makes and removes them', async () => {
  const root = mkdtempSync(join(tmpdir(), 'skiff-lp-path-'));
  const path = join(root, 'volumes');
  const custom = await startServer(['--default-local-storage-path', path]);
  const node = startFakeAgent(custom, 'path-node', root);
  try {
    const kc = (args: string[], input?: string): string => kubectlOk('kubectl', custom.kubeconfig, args, input === undefined ? {} : { input });
    await eventually('node and class', () => kc(['get', 'node', 'path-node']) && kc(['get', 'sc', 'local-path']));
    assert.equal(kc(['get', 'sc', 'local-path', '-o', 'jsonpath={.metadata.annotations.skiff\\.io/local-storage-path}']), path);
    kc(['apply', '-f', '-'], `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: far
  annotations: {volume.kubernetes.io/selected-node: path-node}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`);
    await eventually('claim Bound', () => assert.equal(kc(['get', 'pvc', 'far', '-o', 'jsonpath={.status.phase}']), 'Bound'));
    const pvName = kc(['get', 'pvc', 'far', '-o', 'jsonpath={.spec.volumeName}']);
    const folder = join(path, `${pvName}_default_far`);
    assert.equal(kc(['get', 'pv', pvName, '-o', 'jsonpath={.spec.hostPath.path}']), folder);
    await eventually('folder made by the agent', () => assert.ok(existsSync(folder)));
    kc(['delete', 'pvc', 'far', '--wait=true', '--timeout=60s']);
    await eventually('volume and folder removed', () => {
      assert.notEqual(kubectl('kubectl', custom.kubeconfig, ['get', 'pv', pvName]).code, 0);
      assert.equal(existsSync(folder), false);
    });
  } finally {
    await stopAgent(node);
    await custom.stop();
    rmSync(custom.dir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  }
});
