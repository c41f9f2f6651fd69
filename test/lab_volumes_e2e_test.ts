// Persistent volumes on real nodes: a containerd lab (controller with its embedded agent, one
// worker, client host). Claims bound to hostPath PersistentVolumes (made here, pinned to worker1,
// as are their pods) and claims of a StatefulSet (provisioned by the default local-path class,
// placed by the scheduler) are mounted into busybox pods; the data is checked from later pods,
// after a scale-down and up, and on the node's own filesystem.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerdSkipReason, startImageLab, type TestLab } from './lab_harness.js';
import { eventually as poll } from './eventually.js';

const skip = containerdSkipReason();
let lab: TestLab;

before(async () => {
  if (skip) return;
  lab = await startImageLab(['busybox-1.35.tar'], { name: 'vols', subnet: '10.84.0.0/24', workers: 1 });
});

after(async () => {
  if (!lab) return;
  await lab.kubectl(['delete', 'namespace', 'vol-a', 'vol-b', '--wait=false'], { timeoutMs: 20_000 });
  await lab.down();
});

const k = (args: string[], timeoutMs = 30_000): Promise<string> => lab.kubectlOk(args, { timeoutMs });
const apply = (yaml: string): Promise<string> => lab.kubectlOk(['apply', '-f', '-'], { input: yaml });
const eventually = <T>(what: string, fn: () => Promise<T>, timeoutMs = 45_000): Promise<T> => poll(what, fn, timeoutMs, 300);
const waitFor = (ns: string, what: string, cond: string, timeout = '45s'): Promise<string> => k(['wait', '-n', ns, what, `--for=${cond}`, `--timeout=${timeout}`], 50_000);
/** nodePath is a folder on worker1's filesystem (its data dir, removed with the lab). */
const nodePath = (...parts: string[]): string => join(lab.dir, 'worker1', 'volumes-test', ...parts);

/** hostPathPV is a classless Retain volume on worker1, pre-bound to a claim when one is named. */
const hostPathPV = (name: string, path: string, claim?: { namespace: string; name: string }): string => `---
apiVersion: v1
kind: PersistentVolume
metadata: {name: ${name}}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: ""
  hostPath: {path: ${path}, type: DirectoryOrCreate}
  nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [worker1]}]}]}}
${claim ? `  claimRef: {namespace: ${claim.namespace}, name: ${claim.name}}\n` : ''}`;

/** runOnce is a busybox pod on worker1 that runs a script once with the claim mounted at /data (plus /nested, a subPath). */
const runOnce = (name: string, claim: string, script: string, readOnly = false): string => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: vol-a}
spec:
  restartPolicy: Never
  nodeSelector: {kubernetes.io/hostname: worker1}
  terminationGracePeriodSeconds: 1
  volumes: [{name: data, persistentVolumeClaim: {claimName: ${claim}, readOnly: ${readOnly}}}]
  containers:
  - name: main
    image: skiff.local/busybox:1.35
    command: ["sh", "-c", ${JSON.stringify(script)}]
    volumeMounts: [{name: data, mountPath: /data}, {name: data, mountPath: /nested, subPath: nested}]
`;

const succeeded = (pod: string): Promise<string> => waitFor('vol-a', `pod/${pod}`, 'jsonpath={.status.phase}=Succeeded');

test('a claim on a hostPath PV keeps its data across pods and on the node', { skip }, async () => {
  const path = nodePath('web');
  await apply(`apiVersion: v1
kind: Namespace
metadata: {name: vol-a}
${hostPathPV('vol-web', path)}---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: web-data, namespace: vol-a}
spec:
  storageClassName: ""
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`);
  await waitFor('vol-a', 'pvc/web-data', 'jsonpath={.status.phase}=Bound');
  await apply(runOnce('writer', 'web-data', 'echo hello from writer > /data/msg && echo deep > /nested/file'));
  await succeeded('writer');
  await k(['delete', 'pod', 'writer', '-n', 'vol-a', '--wait=true']);
  assert.equal(readFileSync(join(path, 'msg'), 'utf8'), 'hello from writer\n', 'the file is on the node at the PV path');
  assert.equal(readFileSync(join(path, 'nested', 'file'), 'utf8'), 'deep\n', 'a subPath mount writes under the PV path');
  await apply(runOnce('reader', 'web-data', 'cat /data/msg /nested/file; if touch /data/x 2>/dev/null; then echo writable; else echo read-only; fi', true));
  await succeeded('reader');
  assert.equal(await k(['logs', 'reader', '-n', 'vol-a']), 'hello from writer\ndeep\nread-only\n');
});

/** failedMount polls for a pod's FailedMount event and returns its message. */
const failedMount = (pod: string): Promise<string> =>
  eventually(`the FailedMount event of ${pod}`, async () => {
    const events = JSON.parse(await k(['get', 'events', '-n', 'vol-a', '-o', 'json'])) as { items: { reason?: string; message?: string; involvedObject?: { name?: string } }[] };
    const ev = events.items.find((e) => e.reason === 'FailedMount' && e.involvedObject?.name === pod);
    if (!ev) throw new Error('no FailedMount event yet');
    return ev.message ?? '';
  });

/** pinnedPod runs on a node chosen by nodeName, which skips the scheduler: the node itself meets the claim. */
const pinnedPod = (name: string, node: string, claim: string): string => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: vol-a}
spec:
  restartPolicy: Never
  nodeName: ${node}
  terminationGracePeriodSeconds: 1
  volumes: [{name: data, persistentVolumeClaim: {claimName: ${claim}}}]
  containers: [{name: main, image: skiff.local/busybox:1.35, command: ["sh", "-c", "echo started > /data/msg && cat /data/msg"], volumeMounts: [{name: data, mountPath: /data}]}]
`;

test('pods whose claim is missing or on another node wait with FailedMount; a claim bound later starts them', { skip }, async () => {
  await apply(pinnedPod('waiter', 'worker1', 'late') + pinnedPod('stray', 'controller', 'web-data'));
  const [waiting, stray] = await Promise.all([failedMount('waiter'), failedMount('stray')]);
  assert.equal(waiting, 'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC vol-a/late: failed to fetch PVC from API server: persistentvolumeclaims "late" not found');
  assert.equal(stray, 'MountVolume.NodeAffinity check failed for volume "vol-web" : no matching NodeSelectorTerms');
  await k(['delete', 'pod', 'stray', '-n', 'vol-a', '--wait=false']);
  assert.equal(await k(['get', 'pod', 'waiter', '-n', 'vol-a', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.reason}']), 'ContainerCreating');
  await apply(`${hostPathPV('vol-late', nodePath('late'))}---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: late, namespace: vol-a}
spec:
  storageClassName: ""
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`);
  await succeeded('waiter');
  assert.equal(await k(['logs', 'waiter', '-n', 'vol-a']), 'started\n');
  assert.equal(readFileSync(nodePath('late', 'msg'), 'utf8'), 'started\n');
});

test('StatefulSet claims from volumeClaimTemplates, provisioned by local-path, outlive a scale-down', { skip }, async () => {
  await apply(`apiVersion: v1
kind: Namespace
metadata: {name: vol-b}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: vol-b}
spec:
  serviceName: db
  replicas: 2
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: skiff.local/busybox:1.35
        command: ["sh", "-c", "if [ -f /data/owner ]; then echo found $(cat /data/owner); else hostname > /data/owner; echo wrote; fi; trap 'exit 0' TERM; sleep 3600 & wait"]
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
`);
  await waitFor('vol-b', 'pod/db-0', 'condition=Ready', '60s');
  await waitFor('vol-b', 'pod/db-1', 'condition=Ready', '60s');
  assert.equal(await k(['get', 'pvc', '-n', 'vol-b', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.storageClassName}/{.status.phase} {end}']), 'data-db-0=local-path/Bound data-db-1=local-path/Bound ', 'the default class provisioned both claims');
  const placement = async (ordinal: number): Promise<{ node: string; path: string }> => {
    const pv = await k(['get', 'pvc', `data-db-${ordinal}`, '-n', 'vol-b', '-o', 'jsonpath={.spec.volumeName}']);
    const path = await k(['get', 'pv', pv, '-o', 'jsonpath={.spec.hostPath.path}']);
    return { node: await k(['get', 'pod', `db-${ordinal}`, '-n', 'vol-b', '-o', 'jsonpath={.spec.nodeName}']), path };
  };
  const [first0, first1] = await Promise.all([placement(0), placement(1)]);
  assert.equal(await k(['logs', 'db-1', '-n', 'vol-b']), 'wrote\n');
  assert.equal(readFileSync(join(first0.path, 'owner'), 'utf8'), 'db-0\n', 'each pod wrote its hostname into its own volume, on the node');
  assert.equal(readFileSync(join(first1.path, 'owner'), 'utf8'), 'db-1\n');

  await k(['scale', 'statefulset', 'db', '-n', 'vol-b', '--replicas=1']);
  await k(['wait', '-n', 'vol-b', 'pod/db-1', '--for=delete', '--timeout=30s'], 35_000);
  assert.equal(await k(['get', 'pvc', 'data-db-1', '-n', 'vol-b', '-o', 'jsonpath={.status.phase}']), 'Bound', 'whenScaled: Retain keeps the claim');

  await k(['scale', 'statefulset', 'db', '-n', 'vol-b', '--replicas=2']);
  await waitFor('vol-b', 'pod/db-1', 'condition=Ready');
  assert.equal(await k(['logs', 'db-1', '-n', 'vol-b']), 'found db-1\n', 'the new db-1 sees what the old one wrote');
  assert.deepEqual(await placement(1), first1, 'the volume brought db-1 back to its node');
});
