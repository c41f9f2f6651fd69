import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject, KubeObject } from '../../api/types.js';
import { FakeClock } from '../../lib/clock.js';
import { FakeRuntime } from './fake.js';
import type { FakeLookups } from './fake_checks.js';
import { imageInSimulatedRegistry, pullErrorMessage } from './fake_images.js';

function lookups(objects: Record<string, KubeObject>): FakeLookups {
  const get = (kind: string) => (ns: string, name: string) => Promise.resolve(objects[`${kind}/${ns}/${name}`]);
  return { getConfigMap: get('ConfigMap'), getSecret: get('Secret'), getClaim: get('PersistentVolumeClaim') };
}

function pod(uid: string, container: Record<string, unknown>, spec: Record<string, unknown> = {}): KubeObject {
  return { metadata: { uid, name: uid, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx:1.25', ...container }], ...spec } };
}

const waitingOf = (cs: JsonObject | undefined): unknown => (cs?.state as { waiting?: unknown } | undefined)?.waiting;

test('the simulated registry lacks only images of invalid hosts', () => {
  const cases: [string, boolean][] = [
    ['nginx', true],
    ['registry.k8s.io/pause:3.10', true],
    ['localhost:5000/app', true],
    ['invalid.example/app:1', false],
    ['invalid.registry.k8s.io/invalid/alpine:3.1', false],
    ['registry.invalid/app', false],
    ['invalid/app', true],
  ];
  for (const [image, want] of cases) assert.equal(imageInSimulatedRegistry(image), want, image);
  assert.equal(
    pullErrorMessage('invalid.example/app'),
    'rpc error: code = Unknown desc = failed to pull and unpack image "invalid.example/app:latest": failed to resolve reference "invalid.example/app:latest": failed to do request: Head "https://invalid.example/v2/app/manifests/latest": dial tcp: lookup invalid.example: no such host',
  );
});

test('missing ConfigMap, Secret and claim references hold containers with the kubelet messages', async () => {
  const rt = new FakeRuntime({ clock: new FakeClock(), lookups: lookups({ 'ConfigMap/default/cfg': { metadata: { name: 'cfg' }, data: { a: '1' } } }) });
  rt.updatePodCIDR('10.42.1.0/24');
  const cases: [KubeObject, unknown][] = [
    [pod('env1', { envFrom: [{ configMapRef: { name: 'nope' } }] }), { reason: 'CreateContainerConfigError', message: 'configmap "nope" not found' }],
    [pod('env2', { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }), { reason: 'CreateContainerConfigError', message: 'secret "s" not found' }],
    [pod('env3', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'zz' } } }] }), { reason: 'CreateContainerConfigError', message: "couldn't find key zz in ConfigMap default/cfg" }],
    [pod('vol1', {}, { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] }), { reason: 'CreateContainerConfigError', message: 'persistentvolumeclaim "data" not found' }],
    [pod('vol2', {}, { volumes: [{ name: 'v', projected: { sources: [{ secret: { name: 'tls' } }] } }] }), { reason: 'CreateContainerConfigError', message: 'secret "tls" not found' }],
    [pod('opt', { envFrom: [{ secretRef: { name: 'nope', optional: true } }] }, { volumes: [{ name: 'v', configMap: { name: 'x', optional: true } }] }), undefined],
    [pod('ok', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'a' } } }] }), undefined],
  ];
  for (const [p, want] of cases) {
    const s = await rt.startPod(p);
    assert.deepEqual(waitingOf(s.containerStatuses[0]), want, p.metadata.name);
    assert.ok(s.podIP, 'the sandbox exists (it has an IP) even when a container waits');
  }
});

test('a held container starts once its ConfigMap appears; the runtime asks for a re-sync', async () => {
  const clock = new FakeClock();
  const objects: Record<string, KubeObject> = {};
  const rt = new FakeRuntime({ clock, lookups: lookups(objects), recheckMs: 1000 });
  const resyncs: string[] = [];
  rt.setChangeHandler((p) => resyncs.push(p.name));
  rt.updatePodCIDR('10.42.1.0/24');
  const p = pod('late', { envFrom: [{ configMapRef: { name: 'late' } }] }, { initContainers: [{ name: 'init', image: 'busybox' }] });
  const held = await rt.startPod(p);
  assert.equal((held.initContainerStatuses[0]?.state as { terminated?: unknown }).terminated !== undefined, true, 'init containers have no references: they ran');
  assert.equal((waitingOf(held.containerStatuses[0]) as { reason: string }).reason, 'CreateContainerConfigError');
  clock.advance(1000);
  assert.deepEqual(resyncs, ['late']);
  objects['ConfigMap/default/late'] = { metadata: { name: 'late' }, data: {} };
  const s = await rt.podStatus(p);
  assert.ok((s?.containerStatuses[0]?.state as { running?: unknown }).running, 'running now');
});

test('an init container held back holds the main containers in PodInitializing', async () => {
  const rt = new FakeRuntime({ clock: new FakeClock(), lookups: lookups({}) });
  rt.updatePodCIDR('10.42.1.0/24');
  const s = await rt.startPod(pod('i', {}, { initContainers: [{ name: 'init', image: 'busybox', envFrom: [{ secretRef: { name: 'x' } }] }] }));
  assert.deepEqual(waitingOf(s.initContainerStatuses[0]), { reason: 'CreateContainerConfigError', message: 'secret "x" not found' });
  assert.deepEqual(waitingOf(s.containerStatuses[0]), { reason: 'PodInitializing' });
});

test('an image the registry lacks: ErrImagePull, then ImagePullBackOff until the back-off expires', async () => {
  const clock = new FakeClock();
  const rt = new FakeRuntime({ clock });
  rt.updatePodCIDR('10.42.1.0/24');
  const p = pod('img', { image: 'invalid.example/app:1' });
  const reason = (s: { containerStatuses: JsonObject[] } | undefined): string => (waitingOf(s?.containerStatuses[0]) as { reason: string }).reason;
  assert.equal(reason(await rt.startPod(p)), 'ErrImagePull');
  assert.equal(reason(await rt.podStatus(p)), 'ImagePullBackOff');
  clock.advance(10_000);
  assert.equal(reason(await rt.podStatus(p)), 'ErrImagePull');
  clock.advance(10_000);
  assert.equal(reason(await rt.podStatus(p)), 'ImagePullBackOff', 'the back-off doubled to 20 s');
  const never = await rt.startPod(pod('never', { image: 'invalid.example/app:1', imagePullPolicy: 'Never' }));
  assert.equal(reason(never), 'ErrImageNeverPull');
});
