import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { field, str } from '../../../api/object.js';
import { silentLogger } from '../../../lib/log.js';
import { ContainerdRuntime } from './containerd_runtime.js';
import { harness, testPod } from './harness_test_helper.js';
import { runHandler } from './probe_check.js';

const execProbe = (cmd: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ exec: { command: [cmd] }, periodSeconds: 10, failureThreshold: 3, ...extra });

test('liveness failure kills the container with upstream events and restarts it', async () => {
  const h = harness();
  try {
    h.cri.images.add('busybox:1.36');
    let healthy = true;
    h.cri.onExec = () => ({ stdout: Buffer.from(healthy ? '' : 'boom'), stderr: Buffer.alloc(0), exitCode: healthy ? 0 : 1 });
    const pod = testPod({ containers: [{ name: 'main', image: 'busybox:1.36', livenessProbe: execProbe('alive') }] });
    await h.rt.startPod(pod);
    await h.step(25_000);
    healthy = false;
    await h.step(35_000);
    assert.ok(h.events.includes('Warning Unhealthy Liveness probe failed: boom'));
    assert.ok(h.events.includes('Normal Killing Container main failed liveness probe, will be restarted'));
    const cs = (await h.rt.podStatus(pod))?.containerStatuses[0];
    assert.equal(field(cs, 'restartCount'), 1);
    assert.equal(field(cs, 'lastState', 'terminated', 'exitCode'), 143);
    assert.ok(str(cs, 'state', 'running', 'startedAt'));
    assert.ok(h.cri.calls.includes('stopContainer main 30'), 'stopped with the pod grace period');
  } finally {
    h.cleanup();
  }
});

test('readiness probe toggles ready and announces the change; startup probe gates started', async () => {
  const h = harness();
  try {
    h.cri.images.add('busybox:1.36');
    let ok = true;
    h.cri.onExec = () => ({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: ok ? 0 : 1 });
    const spec = { name: 'main', image: 'busybox:1.36', readinessProbe: execProbe('ready', { initialDelaySeconds: 5 }), startupProbe: execProbe('up', { periodSeconds: 2 }) };
    const pod = testPod({ containers: [spec] });
    await h.rt.startPod(pod);
    await h.settle();
    let cs = (await h.rt.podStatus(pod))?.containerStatuses[0];
    assert.equal(field(cs, 'ready'), false);
    assert.equal(field(cs, 'started'), false);
    await h.step(6000);
    cs = (await h.rt.podStatus(pod))?.containerStatuses[0];
    assert.equal(field(cs, 'started'), true);
    assert.equal(field(cs, 'ready'), true);
    const changesBefore = h.changes.length;
    ok = false;
    await h.step(40_000);
    cs = (await h.rt.podStatus(pod))?.containerStatuses[0];
    assert.equal(field(cs, 'ready'), false);
    assert.ok(h.changes.length > changesBefore);
    assert.ok(h.events.includes('Warning Unhealthy Readiness probe failed: '), JSON.stringify(h.events));
    assert.equal(field(cs, 'restartCount'), 0, 'readiness never restarts');
  } finally {
    h.cleanup();
  }
});

test('restorePod adopts the sandbox and containers without restarting them', async () => {
  const h = harness();
  try {
    h.cri.images.add('busybox:1.36');
    h.cri.behavior = (_n, attempt) => ({ exitCode: 1, runMs: attempt === 0 ? 0 : Infinity });
    const pod = testPod();
    await h.rt.startPod(pod);
    await h.step(3000);
    const before = await h.rt.podStatus(pod);
    assert.equal(field(before?.containerStatuses[0], 'restartCount'), 1);
    h.rt.shutdown();
    const creates = h.cri.calls.filter((c) => c.startsWith('create') || c.startsWith('runPodSandbox')).length;
    const rt2 = new ContainerdRuntime({ cri: h.cri, clock: h.clock, logger: silentLogger, nodeName: 'node1', dataDir: h.dataDir, cgroupRoot: join(h.dataDir, 'cgroup') });
    const restored = await rt2.restorePod({ ...pod, status: { containerStatuses: before?.containerStatuses ?? [] } });
    assert.ok(restored);
    assert.equal(str(restored.containerStatuses[0], 'containerID'), str(before?.containerStatuses[0], 'containerID'));
    assert.equal(field(restored.containerStatuses[0], 'restartCount'), 1);
    assert.equal(field(restored.containerStatuses[0], 'lastState', 'terminated', 'exitCode'), 1);
    assert.equal(restored.podIP, before?.podIP);
    for (let i = 0; i < 5; i++) {
      h.clock.advance(1000);
      await rt2.whenIdle();
    }
    assert.equal(h.cri.calls.filter((c) => c.startsWith('create') || c.startsWith('runPodSandbox')).length, creates, 'nothing recreated');
    assert.equal(await rt2.restorePod(testPod({}, 'gone')), undefined, 'a pod without a sandbox is gone');
    rt2.shutdown();
  } finally {
    h.cleanup();
  }
});

test('stopPod runs preStop, then stops with the remaining grace, then removes sandbox and volumes', async () => {
  const h = harness({
    // The preStop hook takes 5 s of (fake) time.
    check: async (handler, target, timeout) => {
      if (str(handler, 'exec', 'command', 0) === 'drain') h.clock.advance(5000);
      return runHandler(handler, target, timeout);
    },
  });
  try {
    h.cri.images.add('busybox:1.36');
    const pod = testPod({
      terminationGracePeriodSeconds: 30,
      volumes: [{ name: 'scratch', emptyDir: {} }],
      containers: [{ name: 'main', image: 'busybox:1.36', lifecycle: { preStop: { exec: { command: ['drain'] } } }, volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }],
    });
    await h.rt.startPod(pod);
    await h.settle();
    const podDir = join(h.dataDir, 'agent', 'pods', 'uid-web');
    assert.ok(existsSync(join(podDir, 'volumes', 'empty-dir', 'scratch')));
    const final = await h.rt.stopPod(pod, 30);
    const tail = h.cri.calls.slice(h.cri.calls.indexOf('execSync main drain'));
    assert.deepEqual(tail.slice(0, 4).map((c) => c.replace(/sb\d+/, 'SB')), ['execSync main drain', 'stopContainer main 25', 'stopPodSandbox SB', 'removePodSandbox SB']);
    assert.equal(field(final?.containerStatuses[0], 'state', 'terminated', 'exitCode'), 143);
    assert.equal(existsSync(podDir), false);
    assert.equal(await h.rt.podStatus(pod), undefined);
    assert.equal(await h.rt.stopPod(pod, 30), undefined, 'stopping an unknown pod is fine');
  } finally {
    h.cleanup();
  }
});
