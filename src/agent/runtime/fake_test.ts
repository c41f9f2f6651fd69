import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClock } from '../../lib/clock.js';
import { FakeRuntime, normalizeImage } from './fake.js';
import { PodIPAllocator } from './ipam.js';

const pod = (uid: string, extra: Record<string, unknown> = {}): KubeObject => ({ metadata: { uid, name: uid, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }], ...extra } });

test('the allocator skips network, gateway and broadcast and goes round-robin', () => {
  const a = new PodIPAllocator('10.42.7.0/30');
  assert.equal(a.allocate('a'), '10.42.7.2');
  assert.throws(() => a.allocate('b'), /no free pod IP/);
  a.release('10.42.7.2');
  assert.equal(a.allocate('b'), '10.42.7.2');
  const big = new PodIPAllocator('10.42.0.0/24');
  assert.equal(big.allocate('x'), '10.42.0.2');
  assert.equal(big.allocate('y'), '10.42.0.3');
  big.release('10.42.0.2');
  assert.equal(big.allocate('z'), '10.42.0.4', 'a freed address is not reused at once');
  assert.equal(big.reserve('10.42.0.3', 'other'), false);
  assert.equal(big.reserve('10.42.1.3', 'other'), false);
  assert.throws(() => new PodIPAllocator('10.42.0.0'), /invalid pod CIDR/);
});

test('images are spelled as containerd reports them', () => {
  const cases: [string, string][] = [
    ['nginx', 'docker.io/library/nginx:latest'],
    ['mongo:7', 'docker.io/library/mongo:7'],
    ['sdelements/lets-chat', 'docker.io/sdelements/lets-chat:latest'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
  ];
  for (const [image, want] of cases) assert.equal(normalizeImage(image), want, image);
});

test('the fake runtime starts, reports, stops and restores pods', async () => {
  const clock = new FakeClock();
  const rt = new FakeRuntime({ clock, stopDelayMs: 500 });
  await assert.rejects(rt.startPod(pod('u1')), /no pod CIDR/);
  rt.updatePodCIDR('10.42.1.0/24');
  const s = await rt.startPod(pod('u1'));
  assert.equal(s.podIP, '10.42.1.2');
  assert.equal((await rt.startPod(pod('u1'))).podIP, '10.42.1.2', 'starting twice is idempotent');
  assert.equal((await rt.startPod(pod('h', { hostNetwork: true }))).podIP, '');
  const stopping = rt.stopPod(pod('u1'), 30);
  clock.advance(500);
  const final = await stopping;
  assert.equal((final?.containerStatuses[0] as { state: { terminated: { exitCode: number } } }).state.terminated.exitCode, 0);
  assert.equal(await rt.podStatus(pod('u1')), undefined);
  assert.equal(await rt.stopPod(pod('u1'), 0), undefined);
  const running: KubeObject = { ...pod('u2'), status: { phase: 'Running', podIP: '10.42.1.9', containerStatuses: [{ name: 'c', containerID: 'fake://abc', state: { running: { startedAt: '2024-01-01T00:00:00Z' } } }] } };
  const restored = await new FakeRuntime({ clock }).restorePod(running);
  assert.equal(restored, undefined, 'no pod CIDR yet: cannot take the IP');
  const rt2 = new FakeRuntime({ clock });
  rt2.updatePodCIDR('10.42.1.0/24');
  const r = await rt2.restorePod(running);
  assert.equal(r?.podIP, '10.42.1.9');
  assert.equal((r?.containerStatuses[0] as { containerID: string }).containerID, 'fake://abc');
  assert.equal((r?.containerStatuses[0] as { state: { running: { startedAt: string } } }).state.running.startedAt, '2024-01-01T00:00:00Z');
});
