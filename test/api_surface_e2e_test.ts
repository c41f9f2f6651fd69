// Parts of kube-apiserver's surface on `skiff server` with its embedded fake node, driven by the
// real kubectl: events.k8s.io/v1 Event over the core/v1 storage, node.k8s.io/v1 RuntimeClass
// admission, and ephemeral containers (`kubectl debug POD --target` adds one through
// pods/ephemeralcontainers and the node starts it; changing an existing one, or adding one through
// the pod itself, is refused as kube-apiserver does).
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

const newEvent = `
apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: demo.1, namespace: default}
eventTime: "2024-01-01T00:00:00.000000Z"
reportingController: example.com/demo
reportingInstance: demo-1
action: Sync
reason: Synced
type: Normal
note: synced fine
regarding: {kind: Pod, name: web, namespace: default}
`;

test('an events.k8s.io/v1 event reads as core/v1 and back; kubectl events lists it', () => {
  k(['create', '-f', '-'], newEvent);
  const core = JSON.parse(k(['get', 'events.v1.', 'demo.1', '-o', 'json'])) as Record<string, unknown>;
  assert.equal(core.apiVersion, 'v1');
  assert.equal(core.message, 'synced fine');
  assert.equal(core.reportingComponent, 'example.com/demo');
  assert.deepEqual(core.involvedObject, { kind: 'Pod', name: 'web', namespace: 'default' });
  const back = JSON.parse(k(['get', 'events.v1.events.k8s.io', 'demo.1', '-o', 'json'])) as Record<string, unknown>;
  assert.equal(back.apiVersion, 'events.k8s.io/v1');
  assert.equal(back.note, 'synced fine');
  assert.equal(back.reportingController, 'example.com/demo');
  assert.match(k(['get', 'events.events.k8s.io']), /LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n.*Normal\s+Synced\s+pod\/web\s+synced fine/);
  assert.match(k(['events']), /Normal\s+Synced\s+Pod\/web\s+synced fine/);
  const bad = kubectl('kubectl', server.kubeconfig, ['create', '-f', '-'], { input: newEvent.replace('demo.1', 'demo.2').replace('action: Sync\n', '') });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /action: Required value/);
});

const runtimeClass = `
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: sandboxed}
handler: runsc
overhead: {podFixed: {cpu: 100m, memory: 32Mi}}
scheduling:
  nodeSelector: {kubernetes.io/hostname: controller}
  tolerations: [{key: sandbox, operator: Exists, effect: NoSchedule}]
`;

const pod = (name: string, rc: string): string => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  runtimeClassName: ${rc}
  containers: [{name: c, image: busybox:1.36}]
`;

test('RuntimeClass columns and pod admission', async () => {
  k(['create', '-f', '-'], runtimeClass);
  assert.match(k(['get', 'runtimeclasses']), /^NAME\s+HANDLER\s+AGE\nsandboxed\s+runsc\s+\d+s$/m);
  const missing = kubectl('kubectl', server.kubeconfig, ['create', '-f', '-'], { input: pod('lost', 'nope') });
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /pods "lost" is forbidden: pod rejected: RuntimeClass "nope" not found/);
  k(['create', '-f', '-'], pod('boxed', 'sandboxed'));
  const got = JSON.parse(k(['get', 'pod', 'boxed', '-o', 'json'])) as { spec: Record<string, unknown> };
  assert.deepEqual(got.spec.overhead, { cpu: '100m', memory: '32Mi' });
  assert.deepEqual(got.spec.nodeSelector, { 'kubernetes.io/hostname': 'controller' });
  assert.ok((got.spec.tolerations as { key?: string }[]).some((t) => t.key === 'sandbox'));
  await eventually('pod Running', () => assert.match(k(['get', 'pod', 'boxed']), /boxed\s+1\/1\s+Running/));
});

const debugTarget = `
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: [sleep, 1d]
`;

interface Json {
  [k: string]: unknown;
}

function getPod(): Json {
  return JSON.parse(k(['get', 'pod', 'web', '-o', 'json'])) as Json;
}

function ephemeral(p: Json, key: 'spec' | 'status'): Json[] {
  const part = p[key] as Json | undefined;
  return (part?.[key === 'spec' ? 'ephemeralContainers' : 'ephemeralContainerStatuses'] as Json[] | undefined) ?? [];
}

test('kubectl debug adds an ephemeral container that the node starts; it cannot change afterwards', async () => {
  k(['apply', '-f', '-'], debugTarget);
  await eventually('pod Running', () => assert.match(k(['get', 'pod', 'web']), /\s1\/1\s+Running\s/));
  assert.match(k(['get', '--raw', '/api/v1']), /"name":"pods\/ephemeralcontainers","singularName":"","namespaced":true,"kind":"Pod","verbs":\["get","patch","update"\]/);

  const out = k(['debug', 'web', '--image=busybox:1.36', '--target=c', '--', 'sleep', '1d']);
  assert.match(out, /Targeting container "c"/);
  const spec = ephemeral(getPod(), 'spec');
  assert.equal(spec.length, 1);
  const name = String(spec[0]?.name);
  assert.match(name, /^debugger-/);
  assert.equal(spec[0]?.targetContainerName, 'c');
  assert.equal(spec[0]?.image, 'busybox:1.36');
  assert.equal(spec[0]?.imagePullPolicy, 'IfNotPresent');
  assert.equal(spec[0]?.terminationMessagePolicy, 'File');
  await eventually('ephemeral container running', () => {
    const st = ephemeral(getPod(), 'status');
    assert.equal(st[0]?.name, name);
    assert.ok((st[0]?.state as Json | undefined)?.running, JSON.stringify(st));
    assert.equal(st[0]?.ready, false);
  });

  // The subresource answers get with the whole pod.
  const viaSub = JSON.parse(k(['get', 'pod', 'web', '--subresource=ephemeralcontainers', '-o', 'json'])) as Json;
  assert.equal(ephemeral(viaSub, 'spec')[0]?.name, name);

  const change = JSON.stringify({ spec: { ephemeralContainers: [{ name, image: 'busybox:1.37' }] } });
  const changed = kubectl('kubectl', server.kubeconfig, ['patch', 'pod', 'web', '--subresource=ephemeralcontainers', '--type=strategic', '-p', change]);
  assert.notEqual(changed.code, 0);
  assert.match(changed.stderr, new RegExp(`spec\\.ephemeralContainers\\[${name}\\]: Forbidden: existing ephemeral containers "${name}" may not be changed`));

  const add = JSON.stringify([{ op: 'add', path: '/spec/ephemeralContainers/-', value: { name: 'other', image: 'busybox:1.36' } }]);
  const direct = kubectl('kubectl', server.kubeconfig, ['patch', 'pod', 'web', '--type=json', '-p', add]);
  assert.notEqual(direct.code, 0);
  assert.match(direct.stderr, /spec: Forbidden: pod updates may not change fields other than/);

  const badTarget = JSON.stringify({ spec: { ephemeralContainers: [{ name: 'second', image: 'busybox:1.36', targetContainerName: 'nope', ports: [{ containerPort: 80 }] }] } });
  const refused = kubectl('kubectl', server.kubeconfig, ['patch', 'pod', 'web', '--subresource=ephemeralcontainers', '--type=strategic', '-p', badTarget]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /spec\.ephemeralContainers\[\d\]\.targetContainerName: Not found: "nope"/);
  assert.match(refused.stderr, /spec\.ephemeralContainers\[\d\]\.ports: Forbidden: cannot be set for an Ephemeral Container/);
  assert.equal(ephemeral(getPod(), 'spec').length, 1);
});
