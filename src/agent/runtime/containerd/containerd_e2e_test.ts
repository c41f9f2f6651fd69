import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { str } from '../../../api/object.js';
import { realClock } from '../../../lib/clock.js';
import { silentLogger } from '../../../lib/log.js';
import { importTestImages, withNetnsContainerd } from '../../containerd/netns_containerd_test_helper.js';
import { findExecutable } from '../../containerd/prerequisites.js';
import { GrpcCriClient } from '../../cri/grpc_client.js';
import { createContainerdRuntime } from './containerd_runtime.js';
import { testPod } from './harness_test_helper.js';

const skip = process.getuid?.() !== 0
  ? 'needs root (runs containerd)'
  : !findExecutable('containerd') || !findExecutable('runc') || !findExecutable('nsenter') || !existsSync('/bin/busybox') ? 'needs containerd, runc, nsenter, busybox-static' : false;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** removeTestCgroups removes the empty cgroup folders of this test only (rmdir never removes a cgroup that still has tasks). */
function removeTestCgroups(cgroupTop: string): void {
  for (const ctrl of readdirSync('/sys/fs/cgroup')) {
    for (const p of [join('/sys/fs/cgroup', ctrl, cgroupTop, 'node1'), join('/sys/fs/cgroup', ctrl, cgroupTop)]) {
      try {
        rmdirSync(p);
      } catch {
        // absent or not a cgroup controller
      }
    }
  }
}

test('real containerd: a busybox pod that exits 1 goes into CrashLoopBackOff', { skip, timeout: 120_000 }, async () => {
  const id = randomBytes(3).toString('hex');
  const ns = `skiff-rt-${id}`;
  const cgroupTop = `skiff-rt-${id}`;
  try {
    await withNetnsContainerd({ ns, dataDirPrefix: 'skiff-rt-' }, async (c) => {
      const { dataDir, handle } = c;
      assert.ok((await importTestImages(c)).ok);
      const cri = new GrpcCriClient({ socket: handle.socket });
      const rt = await createContainerdRuntime({ cri, nodeName: 'node1', dataDir, clock: realClock, logger: silentLogger, cgroupParent: `/${cgroupTop}/node1`, pollIntervalMs: 200 });
      try {
        assert.match(rt.version(), /^containerd:\/\//);
        const pod = testPod({ hostNetwork: true, restartPolicy: 'Always', containers: [{ name: 'main', image: 'skiff.local/busybox:1.35', imagePullPolicy: 'Never', command: ['sh', '-c', 'echo bye; exit 1'] }] });
        await rt.startPod(pod);
        let waiting: string | undefined;
        for (let i = 0; i < 150 && !waiting; i++) {
          await sleep(200);
          const cs = (await rt.podStatus(pod))?.containerStatuses[0];
          if (str(cs, 'state', 'waiting', 'reason') === 'CrashLoopBackOff') waiting = str(cs, 'state', 'waiting', 'message');
        }
        assert.equal(waiting, 'back-off 10s restarting failed container=main pod=web_default(uid-web)');
        const cs = (await rt.podStatus(pod))?.containerStatuses[0];
        assert.equal(str(cs, 'lastState', 'terminated', 'reason'), 'Error');
        assert.match(readFileSync(join(dataDir, 'agent/pods/logs/default_web_uid-web/main/0.log'), 'utf8'), /stdout F bye/);
        await rt.stopPod(pod, 2);
        assert.deepEqual(await cri.listPodSandbox(), []);
      } finally {
        rt.shutdown();
        cri.close();
      }
    });
  } finally {
    removeTestCgroups(cgroupTop);
  }
});

test('real containerd: a busy busybox container reports CPU and memory through stats()', { skip, timeout: 120_000 }, async () => {
  const id = randomBytes(3).toString('hex');
  const ns = `skiff-rs-${id}`;
  const cgroupTop = `skiff-rs-${id}`;
  try {
    await withNetnsContainerd({ ns, dataDirPrefix: 'skiff-rs-' }, async (c) => {
      const { dataDir, handle } = c;
      assert.ok((await importTestImages(c)).ok);
      const cri = new GrpcCriClient({ socket: handle.socket });
      const rt = await createContainerdRuntime({ cri, nodeName: 'node1', dataDir, clock: realClock, logger: silentLogger, cgroupParent: `/${cgroupTop}/node1`, pollIntervalMs: 200 });
      try {
        const pod = testPod({ hostNetwork: true, restartPolicy: 'Always', containers: [{ name: 'burn', image: 'skiff.local/busybox:1.35', imagePullPolicy: 'Never', command: ['sh', '-c', 'x=$(head -c 4000000 /dev/zero | tr "\\0" a); while :; do :; done'] }] });
        await rt.startPod(pod);
        let running = false;
        for (let i = 0; i < 100 && !running; i++) {
          await sleep(200);
          running = str((await rt.podStatus(pod))?.containerStatuses[0], 'state', 'running', 'startedAt') !== undefined;
        }
        assert.ok(running, 'the container runs');
        await sleep(2000);
        const s = await rt.stats();
        const [p] = s.pods;
        const ctr = p?.containers[0];
        assert.equal(ctr?.name, 'burn');
        assert.ok((ctr?.cpu?.usageCoreNanoSeconds ?? 0) > 100e6, `container CPU ${ctr?.cpu?.usageCoreNanoSeconds}`);
        assert.ok((ctr?.memory?.workingSetBytes ?? 0) > 0, `container working set ${ctr?.memory?.workingSetBytes}`);
        assert.ok((p?.cpu?.usageCoreNanoSeconds ?? 0) >= (ctr?.cpu?.usageCoreNanoSeconds ?? 0) * 0.9, 'the pod cgroup holds the container');
        assert.ok((s.node.cpu?.usageCoreNanoSeconds ?? 0) > 0 && (s.node.memory?.workingSetBytes ?? 0) > 0);
        // containerd's rate needs a previous sample of its own: the second listing has one.
        await sleep(1000);
        const rate = (await rt.stats()).pods[0]?.containers[0]?.cpu?.usageNanoCores ?? 0;
        assert.ok(rate > 10e6, `container nanocores ${rate}`);
        await rt.stopPod(pod, 0);
      } finally {
        rt.shutdown();
        cri.close();
      }
    });
  } finally {
    removeTestCgroups(cgroupTop);
  }
});
