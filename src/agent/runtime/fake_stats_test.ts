import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClock } from '../../lib/clock.js';
import { FakeRuntime } from './fake.js';
import { SIMULATED_CPU_ANNOTATION, SIMULATED_MEMORY_ANNOTATION } from './fake_stats.js';

const MiB = 2 ** 20;

function pod(uid: string, annotations: Record<string, string> = {}, containers: unknown[] = [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '200m', memory: '64Mi' } } }]): KubeObject {
  return { metadata: { uid, name: `p-${uid}`, namespace: 'default', annotations }, spec: { containers } };
}

async function runtime(clock: FakeClock): Promise<FakeRuntime> {
  const rt = new FakeRuntime({ clock, stopDelayMs: 0 });
  rt.updatePodCIDR('10.42.0.0/24');
  return rt;
}

test('fake containers use a tenth of their CPU request and half their memory request, with jitter', async () => {
  const clock = new FakeClock();
  const rt = await runtime(clock);
  await rt.startPod(pod('a'));
  clock.advance(60_000);
  const s = await rt.stats();
  const c = s.pods[0]?.containers[0];
  assert.equal(s.pods[0]?.name, 'p-a');
  assert.ok(c?.cpu && c.memory);
  // 20m for 60 s ≈ 1.2 core-seconds; one full jitter wave integrates to ~0.
  assert.ok(Math.abs(c.cpu.usageCoreNanoSeconds - 1.2e9) < 0.05e9, String(c.cpu.usageCoreNanoSeconds));
  assert.ok(c.cpu.usageNanoCores! >= 18e6 && c.cpu.usageNanoCores! <= 22e6, String(c.cpu.usageNanoCores));
  assert.ok(c.memory.workingSetBytes >= 32 * MiB && c.memory.workingSetBytes < 34 * MiB, String(c.memory.workingSetBytes));
  assert.equal(s.pods[0]?.cpu?.usageCoreNanoSeconds, c.cpu.usageCoreNanoSeconds, 'a pod is the sum of its containers');
});

test('annotations set exact usage, split by requests, and may change on a running pod', async () => {
  const clock = new FakeClock();
  const rt = await runtime(clock);
  const containers = [
    { name: 'big', image: 'app', resources: { requests: { cpu: '300m', memory: '300Mi' } } },
    { name: 'small', image: 'app', resources: { requests: { cpu: '100m', memory: '100Mi' } } },
  ];
  const p = pod('b', { [SIMULATED_CPU_ANNOTATION]: '800m', [SIMULATED_MEMORY_ANNOTATION]: '200Mi' }, containers);
  await rt.startPod(p);
  clock.advance(10_000);
  let s = await rt.stats();
  const [big, small] = s.pods[0]?.containers ?? [];
  assert.equal(big?.cpu?.usageNanoCores, 600e6);
  assert.equal(small?.cpu?.usageNanoCores, 200e6);
  assert.equal(big?.cpu?.usageCoreNanoSeconds, 6e9);
  assert.equal(s.pods[0]?.memory?.workingSetBytes, 200 * MiB);
  assert.equal(small?.memory?.workingSetBytes, 50 * MiB);
  // Raising the annotation raises the rate from now on; usage so far is kept.
  await rt.podStatus(pod('b', { [SIMULATED_CPU_ANNOTATION]: '1600m' }, containers));
  clock.advance(10_000);
  s = await rt.stats();
  assert.equal(s.pods[0]?.cpu?.usageNanoCores, 1600e6);
  assert.equal(s.pods[0]?.cpu?.usageCoreNanoSeconds, 8e9 + 16e9);
});

test('node totals add an overhead, grow monotonically and keep the CPU of stopped pods', async () => {
  const clock = new FakeClock();
  const rt = await runtime(clock);
  await rt.startPod(pod('x', { [SIMULATED_CPU_ANNOTATION]: '1' }));
  clock.advance(10_000);
  const before = await rt.stats();
  assert.equal(before.node.cpu?.usageCoreNanoSeconds, 10e9 + 1e9, '1 core for 10 s plus the 100m overhead');
  assert.equal(before.node.memory?.workingSetBytes, 256 * MiB + (before.pods[0]?.memory?.workingSetBytes ?? 0));
  await rt.stopPod(pod('x'), 0);
  clock.advance(10_000);
  const after = await rt.stats();
  assert.deepEqual(after.pods, []);
  assert.equal(after.node.cpu?.usageCoreNanoSeconds, 10e9 + 2e9);
});

test('exited fake pods and waiting containers report no usage', async () => {
  const clock = new FakeClock();
  const rt = await runtime(clock);
  const done = pod('d', { 'skiff.io/fake-exit-code': '0' });
  await rt.startPod(done);
  await rt.podStatus(done);
  await rt.startPod(pod('w', {}, [{ name: 'c', image: 'invalid.example/app' }]));
  assert.deepEqual((await rt.stats()).pods, []);
});

test('stats for 10,000 fake pods stay cheap', async () => {
  const clock = new FakeClock();
  const rt = new FakeRuntime({ clock });
  rt.updatePodCIDR('10.0.0.0/8');
  for (let i = 0; i < 10_000; i++) await rt.startPod(pod(`u${i}`));
  const t0 = performance.now();
  const s = await rt.stats();
  const ms = performance.now() - t0;
  assert.equal(s.pods.length, 10_000);
  // Loose: the bound guards against per-pod work growing (a few µs a pod), on a shared machine.
  assert.ok(ms < 2000, `${ms} ms`);
});
