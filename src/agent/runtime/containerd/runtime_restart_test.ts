import { test } from 'node:test';
import assert from 'node:assert/strict';
import { field, str } from '../../../api/object.js';
import { harness, testPod } from './harness_test_helper.js';

test('CrashLoopBackOff: first restart at once, then 10s, 20s, … 5m, with upstream messages', async () => {
  const h = harness();
  try {
    h.cri.images.add('busybox:1.36');
    h.cri.behavior = () => ({ exitCode: 1, runMs: 0 });
    const pod = testPod();
    await h.rt.startPod(pod);
    await h.settle();
    const messages: string[] = [];
    await h.step(1000);
    for (let i = 0; i < 900 && messages.length < 7; i++) {
      await h.step(1000);
      const cs = (await h.rt.podStatus(pod))?.containerStatuses[0];
      const msg = str(cs, 'state', 'waiting', 'message');
      if (msg && messages.at(-1) !== msg) messages.push(msg);
    }
    const want = ['10s', '20s', '40s', '1m20s', '2m40s', '5m0s'].map((d) => `back-off ${d} restarting failed container=main pod=web_default(uid-web)`);
    assert.deepEqual(messages.slice(0, 6), want);
    // Restart gaps (finish → next start) follow the same schedule after the immediate first restart.
    const starts = [...h.cri.containers.values()].length;
    assert.ok(starts <= 2, 'old instances are removed, only current and previous are kept');
    const cs = (await h.rt.podStatus(pod))?.containerStatuses[0];
    assert.equal(str(cs, 'state', 'waiting', 'reason'), 'CrashLoopBackOff');
    assert.equal(field(cs, 'lastState', 'terminated', 'exitCode'), 1);
    assert.equal(str(cs, 'lastState', 'terminated', 'reason'), 'Error');
    assert.ok(h.events.includes('Warning BackOff Back-off restarting failed container main in pod web_default(uid-web)'));
    assert.ok(h.changes.length > 0, 'status changes are announced');
  } finally {
    h.cleanup();
  }
});

test('restart back-off: schedule of starts and reset after 10 minutes of running', async () => {
  const h = harness();
  try {
    h.cri.images.add('busybox:1.36');
    // Attempts 0-3 crash at once; attempt 4 runs 11 minutes; later ones crash at once.
    h.cri.behavior = (_n, attempt) => ({ exitCode: 2, runMs: attempt === 4 ? 660_000 : 0 });
    const pod = testPod();
    await h.rt.startPod(pod);
    await h.settle();
    const startTimes: number[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < 1000 && startTimes.length < 8; i++) {
      for (const c of h.cri.containers.values()) {
        if (c.startedAt > 0n && !seen.has(c.id)) {
          seen.add(c.id);
          startTimes.push(Number(c.startedAt / 1_000_000n));
        }
      }
      await h.step(1000);
    }
    const gaps = startTimes.slice(1).map((t, i) => t - (startTimes[i] ?? 0));
    // 1 s (the next pass notices the exit and restarts at once), then 10 s, 20 s, 40 s after each exit.
    assert.deepEqual(gaps.slice(0, 4), [1000, 10_000, 20_000, 40_000], JSON.stringify(gaps));
    assert.equal(gaps[4], 660_000, 'reset: restarted at once after a long run');
    assert.equal(gaps[5], 10_000, 'back-off starts over at 10 s');
    assert.equal(gaps[6], 20_000);
  } finally {
    h.cleanup();
  }
});

test('OOMKilled is reported as the terminated reason; restartPolicy Never keeps it terminated', async () => {
  const h = harness();
  try {
    h.cri.images.add('busybox:1.36');
    const pod = testPod({ restartPolicy: 'Never' });
    await h.rt.startPod(pod);
    await h.settle();
    const id = [...h.cri.containers.keys()][0] ?? '';
    h.cri.crash(id, 137, 'OOMKilled');
    await h.step(1000);
    const cs = (await h.rt.podStatus(pod))?.containerStatuses[0];
    assert.equal(str(cs, 'state', 'terminated', 'reason'), 'OOMKilled');
    assert.equal(field(cs, 'state', 'terminated', 'exitCode'), 137);
    assert.equal(str(cs, 'containerID'), `containerd://${id}`);
    assert.equal(field(cs, 'restartCount'), 0);
  } finally {
    h.cleanup();
  }
});

test('init containers run in order before containers; a failing one crash-loops (Init:CrashLoopBackOff)', async () => {
  const h = harness();
  try {
    h.cri.images.add('busybox:1.36');
    h.cri.behavior = (name) => (name === 'init-a' ? { exitCode: 0, runMs: 2000 } : name === 'init-b' ? { exitCode: 3, runMs: 0 } : { exitCode: 0, runMs: Infinity });
    const init = [{ name: 'init-a', image: 'busybox:1.36' }, { name: 'init-b', image: 'busybox:1.36' }];
    const pod = testPod({ initContainers: init });
    await h.rt.startPod(pod);
    await h.settle();
    let st = await h.rt.podStatus(pod);
    assert.equal(str(st?.containerStatuses[0], 'state', 'waiting', 'reason'), 'PodInitializing');
    assert.ok(str(st?.initContainerStatuses[0], 'state', 'running', 'startedAt'));
    await h.step(30_000);
    st = await h.rt.podStatus(pod);
    assert.equal(str(st?.initContainerStatuses[0], 'state', 'terminated', 'reason'), 'Completed');
    assert.equal(str(st?.initContainerStatuses[1], 'state', 'waiting', 'reason'), 'CrashLoopBackOff');
    assert.equal(str(st?.containerStatuses[0], 'state', 'waiting', 'reason'), 'PodInitializing');
    const creates = h.cri.calls.filter((c) => c.startsWith('createContainer'));
    assert.equal(creates[0], 'createContainer init-a 0');
    assert.equal(creates[1], 'createContainer init-b 0');
    assert.ok(!creates.some((c) => c.includes(' main ')), 'main never created');
  } finally {
    h.cleanup();
  }
});

test('init container failure with restartPolicy Never is not retried', async () => {
  const h = harness();
  try {
    h.cri.images.add('busybox:1.36');
    h.cri.behavior = (name) => (name === 'setup' ? { exitCode: 1, runMs: 0 } : { exitCode: 0, runMs: Infinity });
    const pod = testPod({ restartPolicy: 'Never', initContainers: [{ name: 'setup', image: 'busybox:1.36' }] });
    await h.rt.startPod(pod);
    await h.step(20_000);
    const st = await h.rt.podStatus(pod);
    assert.equal(field(st?.initContainerStatuses[0], 'state', 'terminated', 'exitCode'), 1);
    assert.equal(h.cri.calls.filter((c) => c.startsWith('createContainer')).length, 1);
  } finally {
    h.cleanup();
  }
});

test('image pulls: ErrImagePull then ImagePullBackOff, Never → ErrImageNeverPull, success events', async () => {
  const h = harness();
  try {
    h.cri.pullFailures.set('nope:1', 'not found');
    const pod = testPod({ containers: [{ name: 'main', image: 'nope:1' }, { name: 'side', image: 'local:1', imagePullPolicy: 'Never' }, { name: 'pulled', image: 'nginx:1.25' }] });
    await h.rt.startPod(pod);
    await h.settle();
    let st = await h.rt.podStatus(pod);
    assert.equal(str(st?.containerStatuses[0], 'state', 'waiting', 'reason'), 'ErrImagePull');
    assert.equal(str(st?.containerStatuses[1], 'state', 'waiting', 'reason'), 'ErrImageNeverPull');
    assert.ok(str(st?.containerStatuses[2], 'state', 'running', 'startedAt'));
    await h.step(1000);
    st = await h.rt.podStatus(pod);
    assert.equal(str(st?.containerStatuses[0], 'state', 'waiting', 'reason'), 'ImagePullBackOff');
    assert.equal(str(st?.containerStatuses[0], 'state', 'waiting', 'message'), 'Back-off pulling image "nope:1"');
    const pullsBefore = h.cri.calls.filter((c) => c === 'pullImage nope:1').length;
    await h.step(10_000);
    assert.equal(h.cri.calls.filter((c) => c === 'pullImage nope:1').length, pullsBefore + 1, 'retried once the 10 s back-off expired');
    h.cri.pullFailures.delete('nope:1');
    await h.step(21_000);
    st = await h.rt.podStatus(pod);
    assert.ok(str(st?.containerStatuses[0], 'state', 'running', 'startedAt'));
    assert.ok(h.events.includes('Normal Pulling Pulling image "nope:1"'));
    assert.ok(h.events.includes('Warning Failed Failed to pull image "nope:1": not found'));
    assert.ok(h.events.includes('Warning ErrImageNeverPull Container image "local:1" is not present with pull policy of Never'));
    assert.ok(h.events.some((e) => e.startsWith('Normal Pulled Successfully pulled image "nginx:1.25" in')));
  } finally {
    h.cleanup();
  }
});
