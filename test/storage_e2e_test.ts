// kubectl against `skiff server --disable-agent`: StorageClasses (the default marked in `get sc`,
// immutable fields), the DefaultStorageClass admission, static binding of a hostPath volume,
// Retain leaving the volume Released, and pvc-protection holding a claim a pod uses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, kubectl, kubectlOk, type TestServer } from './harness.js';
import { eventually } from './eventually.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

const k = (args: string[], input?: string): string => kubectlOk('kubectl', server.kubeconfig, args, input === undefined ? {} : { input });
const jsonPath = (args: string[], path: string): string => k([...args, '-o', `jsonpath=${path}`]);

const classes = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: e2e-fast
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: kubernetes.io/no-provisioner
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: e2e-late
provisioner: example.com/late
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
`;

// The pod's node must exist, or pod garbage collection removes the pod at once.
const volumeAndClaim = `apiVersion: v1
kind: Node
metadata:
  name: e2e-node
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: e2e-host
spec:
  storageClassName: e2e-fast
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /tmp/e2e-host}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: e2e-claim
  namespace: default
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 500Mi}}
---
apiVersion: v1
kind: Pod
metadata:
  name: e2e-user
  namespace: default
spec:
  nodeName: e2e-node
  containers: [{name: c, image: busybox}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: e2e-claim}}]
`;

test('kubectl get sc shows the default class, defaults and columns; provisioner and parameters are immutable', () => {
  k(['apply', '-f', '-'], classes);
  const out = k(['get', 'sc']);
  assert.match(out, /^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE\n/);
  assert.match(out, /^e2e-fast \(default\)\s+kubernetes\.io\/no-provisioner\s+Delete\s+Immediate\s+false\s+\S+$/m);
  assert.match(out, /^e2e-late\s+example\.com\/late\s+Delete\s+WaitForFirstConsumer\s+true\s+\S+$/m);
  const r = kubectl('kubectl', server.kubeconfig, ['patch', 'sc', 'e2e-late', '--type=merge', '-p', '{"provisioner":"other.io/p","parameters":{"a":"b"}}']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /parameters: Forbidden: updates to parameters are forbidden\./);
  assert.match(r.stderr, /provisioner: Forbidden: updates to provisioner are forbidden\./);
  assert.match(k(['api-resources', '--api-group=storage.k8s.io']), /storageclasses\s+sc\s+storage\.k8s\.io\/v1\s+false\s+StorageClass/);
  assert.match(k(['explain', 'sc.volumeBindingMode']), /volumeBindingMode/);
  assert.match(kubectl('kubectl', server.kubeconfig, ['get', 'csidrivers,csinodes,volumeattachments']).stderr, /No resources found/);
});

test('a claim gets the default class, binds to the hostPath volume, and is held while its pod exists; Retain leaves Released', async () => {
  k(['apply', '-f', '-'], volumeAndClaim);
  assert.equal(jsonPath(['get', 'pvc', 'e2e-claim'], '{.spec.storageClassName}'), 'e2e-fast');
  await eventually('claim Bound', () => assert.equal(jsonPath(['get', 'pvc', 'e2e-claim'], '{.status.phase}'), 'Bound'));
  assert.match(k(['get', 'pvc', 'e2e-claim']), /^e2e-claim\s+Bound\s+e2e-host\s+1Gi\s+RWO\s+e2e-fast\s+<unset>\s+\S+$/m);
  assert.match(k(['get', 'pv', 'e2e-host']), /^e2e-host\s+1Gi\s+RWO\s+Retain\s+Bound\s+default\/e2e-claim\s+e2e-fast\s+/m);
  assert.equal(jsonPath(['get', 'pvc', 'e2e-claim'], '{.metadata.finalizers}'), '["kubernetes.io/pvc-protection"]');
  k(['delete', 'pvc', 'e2e-claim', '--wait=false']);
  await new Promise((r) => setTimeout(r, 1000));
  assert.match(k(['get', 'pvc', 'e2e-claim']), /^e2e-claim\s+Terminating\s+/m);
  k(['delete', 'pod', 'e2e-user', '--grace-period=0', '--force']);
  await eventually('claim gone', () => assert.match(kubectl('kubectl', server.kubeconfig, ['get', 'pvc', 'e2e-claim']).stderr, /NotFound/));
  await eventually('volume Released', () => assert.equal(jsonPath(['get', 'pv', 'e2e-host'], '{.status.phase}'), 'Released'));
  k(['delete', 'pv', 'e2e-host']);
});
