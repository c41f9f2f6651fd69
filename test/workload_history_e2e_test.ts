// Workload gaps on `skiff server` with its embedded fake node, driven by the real kubectl:
// `kubectl rollout status|history|undo` for a DaemonSet and a StatefulSet (ControllerRevisions),
// the documentation's MySQL StatefulSet accepted, and the fake node's pre-start checks
// (CreateContainerConfigError for a missing ConfigMap, ErrImagePull / ImagePullBackOff).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from './eventually.js';
import { startServerWithFakeNode, kubectl, kubectlOk, type TestServer } from './harness.js';

let server: TestServer;
const k = (args: string[], input?: string): string => kubectlOk('kubectl', server.kubeconfig, args, input === undefined ? {} : { input });

before(async () => {
  server = await startServerWithFakeNode();
});

after(async () => {
  await server?.stop();
});

const daemonSet = `
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: logger
spec:
  selector:
    matchLabels: {app: logger}
  template:
    metadata:
      labels: {app: logger}
    spec:
      containers:
      - name: log
        image: busybox:1.36
`;

function historyRevisions(kind: string): string[] {
  return k(['rollout', 'history', kind])
    .split('\n')
    .filter((l) => /^\d+\s/.test(l))
    .map((l) => l.split(/\s+/)[0] ?? '');
}

function rolloutStatus(kind: string): string {
  return k(['rollout', 'status', kind, '--timeout=60s']);
}

test('DaemonSet: rollout status, history and undo', () => {
  k(['apply', '-f', '-'], daemonSet);
  assert.match(rolloutStatus('ds/logger'), /daemon set "logger" successfully rolled out/);
  k(['set', 'image', 'ds/logger', 'log=busybox:1.37']);
  assert.match(rolloutStatus('ds/logger'), /daemon set "logger" successfully rolled out/);
  const history = k(['rollout', 'history', 'ds/logger']);
  assert.match(history, /^daemonset\.apps\/logger\s*$/m);
  assert.match(history, /^REVISION\s+CHANGE-CAUSE$/m);
  assert.deepEqual(historyRevisions('ds/logger'), ['1', '2']);
  assert.match(k(['rollout', 'history', 'ds/logger', '--revision=1']), /Image:\s+busybox:1\.36/);
  assert.match(k(['rollout', 'undo', 'ds/logger']), /daemonset\.apps\/logger rolled back/);
  assert.equal(k(['get', 'ds', 'logger', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'busybox:1.36');
  assert.match(rolloutStatus('ds/logger'), /successfully rolled out/);
  assert.deepEqual(historyRevisions('ds/logger'), ['2', '3']);
  const revs = k(['get', 'controllerrevisions', '-l', 'app=logger']);
  assert.match(revs, /^logger-[a-z0-9]+\s+daemonset\.apps\/logger\s+3\s/m);
  const pods = JSON.parse(k(['get', 'pods', '-l', 'app=logger', '-o', 'json'])) as { items: { metadata: { labels: Record<string, string>; deletionTimestamp?: string }; spec: { containers: { image: string }[] } }[] };
  const live = pods.items.filter((p) => !p.metadata.deletionTimestamp);
  assert.deepEqual(live.map((p) => p.spec.containers[0]?.image), ['busybox:1.36']);
  assert.match(k(['rollout', 'undo', 'ds/logger', '--to-revision=2']), /rolled back/);
  assert.equal(k(['get', 'ds', 'logger', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'busybox:1.37');
  k(['delete', 'ds', 'logger']);
});

const statefulSet = `
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
`;

test('StatefulSet: rollout status, history and undo', () => {
  k(['apply', '-f', '-'], statefulSet);
  assert.match(rolloutStatus('sts/web'), /(partitioned roll out complete: 2 new pods have been updated|statefulset rolling update complete 2 pods at revision web-)/);
  k(['set', 'image', 'sts/web', 'nginx=nginx:1.27']);
  assert.match(rolloutStatus('sts/web'), /complete/);
  assert.deepEqual(historyRevisions('sts/web'), ['1', '2']);
  assert.match(k(['rollout', 'history', 'sts/web', '--revision=1']), /Image:\s+nginx:1\.25/);
  assert.match(k(['rollout', 'undo', 'sts/web']), /statefulset\.apps\/web rolled back/);
  assert.equal(k(['get', 'sts', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.25');
  assert.match(rolloutStatus('sts/web'), /complete/);
  assert.deepEqual(historyRevisions('sts/web'), ['2', '3']);
  const status = k(['get', 'sts', 'web', '-o', 'jsonpath={.status.currentRevision} {.status.updateRevision} {.status.observedGeneration} {.metadata.generation}']).split(' ');
  assert.equal(status[0], status[1], 'currentRevision = updateRevision after the rollout');
  assert.equal(status[2], status[3], 'observedGeneration caught up');
  const podRevs = k(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.labels.controller-revision-hash}']).split(' ');
  assert.deepEqual(podRevs, [status[1], status[1]]);
  k(['delete', 'sts', 'web']);
});

const mysql = `
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: mysql
spec:
  selector:
    matchLabels: {app: mysql}
  serviceName: mysql
  replicas: 3
  template:
    metadata:
      labels: {app: mysql}
    spec:
      initContainers:
      - name: init-mysql
        image: mysql:5.7
        command: [bash, "-c", "true"]
        volumeMounts:
        - {name: conf, mountPath: /mnt/conf.d}
        - {name: config-map, mountPath: /mnt/config-map}
      containers:
      - name: mysql
        image: mysql:5.7
        env:
        - {name: MYSQL_ALLOW_EMPTY_PASSWORD, value: "1"}
        ports:
        - {name: mysql, containerPort: 3306}
        volumeMounts:
        - {name: data, mountPath: /var/lib/mysql, subPath: mysql}
        - {name: conf, mountPath: /etc/mysql/conf.d}
      volumes:
      - {name: conf, emptyDir: {}}
      - name: config-map
        configMap: {name: mysql}
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 10Gi
`;

test("the documentation's MySQL StatefulSet (volumeMounts naming a claim template) is accepted", () => {
  assert.match(k(['apply', '--dry-run=server', '-f', '-'], mysql), /statefulset\.apps\/mysql created \(server dry run\)/);
});

function podStatusColumn(name: string): string {
  return (k(['get', 'pod', name, '--no-headers']).split(/\s+/)[2] ?? '').trim();
}

test('the fake node holds a pod whose ConfigMap is missing, and starts it once it exists', async () => {
  k(['run', 'needs-config', '--image=busybox:1.36', '--overrides={"spec":{"containers":[{"name":"needs-config","image":"busybox:1.36","envFrom":[{"configMapRef":{"name":"settings"}}]}]}}']);
  await eventually('CreateContainerConfigError', () => assert.equal(podStatusColumn('needs-config'), 'CreateContainerConfigError'));
  const message = k(['get', 'pod', 'needs-config', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.message}']);
  assert.equal(message, 'configmap "settings" not found');
  k(['create', 'configmap', 'settings', '--from-literal=a=1']);
  await eventually('Running', () => assert.equal(podStatusColumn('needs-config'), 'Running'));
  k(['delete', 'pod', 'needs-config', '--wait=false']);
});

test('an image the simulated registry lacks: ErrImagePull, then ImagePullBackOff', async () => {
  k(['run', 'no-image', '--image=invalid.example/nothing:1']);
  const seen = new Set<string>();
  await eventually('ImagePullBackOff', () => {
    seen.add(podStatusColumn('no-image'));
    assert.ok(seen.has('ImagePullBackOff'), [...seen].join());
  });
  const events = kubectl('kubectl', server.kubeconfig, ['get', 'pod', 'no-image', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.message}']).stdout;
  assert.match(events, /Back-off pulling image "invalid\.example\/nothing:1"|failed to pull and unpack image/);
  k(['delete', 'pod', 'no-image', '--wait=false']);
});

const withClaims = (name: string, whenDeleted: string, whenScaled: string): string => `
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}
spec:
  serviceName: ${name}
  replicas: 2
  podManagementPolicy: Parallel
  persistentVolumeClaimRetentionPolicy: {whenDeleted: ${whenDeleted}, whenScaled: ${whenScaled}}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: c
        image: busybox:1.36
        volumeMounts:
        - {name: data, mountPath: /data}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
`;

function claims(app: string): string[] {
  return k(['get', 'pvc', '-o', 'jsonpath={.items[*].metadata.name}'])
    .split(' ')
    .filter((n) => n.startsWith(`data-${app}-`))
    .sort();
}

test('persistentVolumeClaimRetentionPolicy: whenScaled=Delete removes claims, whenDeleted=Delete hands them to the garbage collector, Retain keeps them', async () => {
  k(['apply', '-f', '-'], withClaims('keep', 'Retain', 'Retain'));
  k(['apply', '-f', '-'], withClaims('drop', 'Delete', 'Delete'));
  await eventually('claims of both sets', () => assert.deepEqual([...claims('keep'), ...claims('drop')], ['data-keep-0', 'data-keep-1', 'data-drop-0', 'data-drop-1']));
  k(['scale', 'sts/drop', '--replicas=1']);
  await eventually('whenScaled=Delete removes data-drop-1', () => assert.deepEqual(claims('drop'), ['data-drop-0']), 60_000);
  // whenDeleted=Delete: the claims are owned by the set, so deleting the set collects them.
  const uid = k(['get', 'sts', 'drop', '-o', 'jsonpath={.metadata.uid}']);
  assert.equal(k(['get', 'pvc', 'data-drop-0', '-o', 'jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].uid}']), `StatefulSet/${uid}`);
  assert.equal(k(['get', 'pvc', 'data-keep-0', '-o', 'jsonpath={.metadata.ownerReferences}']), '');
  k(['delete', 'sts', 'keep', 'drop']);
  await eventually('pods gone', () => assert.equal(k(['get', 'pods', '-l', 'app in (keep,drop)', '-o', 'name']), ''), 60_000);
  assert.deepEqual(claims('keep'), ['data-keep-0', 'data-keep-1']);
});

test('ReplicationControllers: selector defaulted from the template, pods kept at replicas, scale, validation, cascade delete', async () => {
  k(['apply', '-f', '-'], `
apiVersion: v1
kind: ReplicationController
metadata: {name: legacy}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: legacy}}
    spec:
      containers: [{name: web, image: busybox:1.36}]
`);
  assert.equal(k(['get', 'rc', 'legacy', '-o', 'jsonpath={.spec.selector.app}/{.metadata.labels.app}']), 'legacy/legacy');
  await eventually('3 pods Running', () => assert.equal(k(['get', 'pods', '-l', 'app=legacy', '--field-selector', 'status.phase=Running', '-o', 'name']).split('\n').filter(Boolean).length, 3));
  const owner = k(['get', 'pods', '-l', 'app=legacy', '-o', 'jsonpath={.items[0].metadata.ownerReferences[0].kind}/{.items[0].metadata.ownerReferences[0].apiVersion}']);
  assert.equal(owner, 'ReplicationController/v1');
  await eventually('status', () => assert.match(k(['get', 'rc', 'legacy', '-o', 'wide']), /^legacy\s+3\s+3\s+3\s+\S+\s+web\s+busybox:1\.36\s+app=legacy$/m));
  // A deleted pod is replaced.
  const first = k(['get', 'pods', '-l', 'app=legacy', '-o', 'jsonpath={.items[0].metadata.name}']);
  k(['delete', 'pod', first, '--wait=false']);
  await eventually('replacement', () => assert.equal(k(['get', 'pods', '-l', 'app=legacy', '-o', 'name']).split('\n').filter((n) => n && !n.endsWith(`/${first}`)).length, 3));
  k(['scale', 'rc', 'legacy', '--replicas=1']);
  await eventually('scaled to 1', () => assert.equal(k(['get', 'pods', '-l', 'app=legacy', '-o', 'name']).split('\n').filter(Boolean).length, 1));
  const bad = kubectl('kubectl', server.kubeconfig, ['apply', '-f', '-'], {
    input: 'apiVersion: v1\nkind: ReplicationController\nmetadata: {name: bad}\nspec:\n  selector: {app: other}\n  template:\n    metadata: {labels: {app: legacy}}\n    spec:\n      containers: [{name: web, image: busybox:1.36}]\n',
  });
  assert.match(bad.stderr, /spec\.template\.metadata\.labels: Invalid value: map\[string\]string\{"app":"legacy"\}: selector does not match template labels/);
  k(['delete', 'rc', 'legacy']);
  await eventually('pods removed with their controller', () => assert.equal(k(['get', 'pods', '-l', 'app=legacy', '-o', 'name']), ''));
});

test('generic ephemeral volumes: the claim <pod>-<volume> is made from the template, owned by the pod, and goes with it', async () => {
  k(['apply', '-f', '-'], `
apiVersion: v1
kind: Pod
metadata: {name: scratch}
spec:
  containers: [{name: c, image: busybox:1.36, volumeMounts: [{name: work, mountPath: /work}]}]
  volumes:
  - name: work
    ephemeral:
      volumeClaimTemplate:
        metadata: {labels: {kind: scratch}}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`);
  await eventually('claim Bound', () => assert.equal(k(['get', 'pvc', 'scratch-work', '-o', 'jsonpath={.status.phase}/{.metadata.ownerReferences[0].kind}/{.metadata.labels.kind}/{.spec.storageClassName}']), 'Bound/Pod/scratch/local-path'));
  await eventually('pod Running', () => assert.equal(k(['get', 'pod', 'scratch', '-o', 'jsonpath={.status.phase}']), 'Running'));
  k(['delete', 'pod', 'scratch', '--grace-period=0', '--force']);
  await eventually('claim deleted with the pod', () => assert.equal(k(['get', 'pvc', '-l', 'kind=scratch', '-o', 'name']), ''));
});
