import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { str } from '../../../api/object.js';
import { realClock } from '../../../lib/clock.js';
import { silentLogger } from '../../../lib/log.js';
import { findExecutable } from '../../containerd/prerequisites.js';
import { startContainerd, type ContainerdHandle } from '../../containerd/supervisor.js';
import { GrpcCriClient } from '../../cri/grpc_client.js';
import { buildBusyboxImage } from '../../images/busybox_image.js';
import { importImage } from '../../images/import.js';
import { defaultPauseImage, ensurePauseImage } from '../../images/pause.js';
import { createContainerdRuntime } from './containerd_runtime.js';
import { testPod } from './harness_test_helper.js';

const skip = process.getuid?.() !== 0
  ? 'needs root (runs containerd)'
  : !findExecutable('containerd') || !findExecutable('runc') || !findExecutable('nsenter') || !existsSync('/bin/busybox') ? 'needs containerd, runc, nsenter, busybox-static' : false;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** cleanup removes what the test made, also after a failure: sandboxes, containerd and its shims, mounts, files, cgroups, the netns. */
async function cleanup(handle: ContainerdHandle | undefined, dataDir: string, ns: string, cgroupTop: string): Promise<void> {
  if (handle) {
    const cri = new GrpcCriClient({ socket: handle.socket, timeoutMs: 15_000 });
    for (const sb of await cri.listPodSandbox().catch(() => [])) {
      await cri.stopPodSandbox(sb.id).catch(() => undefined);
      await cri.removePodSandbox(sb.id).catch(() => undefined);
    }
    cri.close();
    await handle.stop();
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (cmd.includes('containerd-shim') && cmd.includes(handle.socket)) process.kill(Number(pid), 'SIGKILL');
    }
    const roots = [dataDir, handle.paths.state];
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '');
    for (const m of mounts.filter((m) => roots.some((r) => m.startsWith(r))).reverse()) spawnSync('umount', ['-l', m]);
    rmSync(dirname(handle.paths.state), { recursive: true, force: true });
  }
  // Empty cgroup folders of this test only (rmdir never removes a cgroup that still has tasks).
  for (const ctrl of readdirSync('/sys/fs/cgroup')) {
    for (const p of [join('/sys/fs/cgroup', ctrl, cgroupTop, 'node1'), join('/sys/fs/cgroup', ctrl, cgroupTop)]) {
      try {
        rmdirSync(p);
      } catch {
        // absent or not a cgroup controller
      }
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  spawnSync('ip', ['netns', 'del', ns]);
}

test('real containerd: a busybox pod that exits 1 goes into CrashLoopBackOff', { skip, timeout: 120_000 }, async () => {
  const id = randomBytes(3).toString('hex');
  const ns = `skiff-rt-${id}`;
  const cgroupTop = `skiff-rt-${id}`;
  execFileSync('ip', ['netns', 'add', ns]);
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-rt-'));
  const ctl = new AbortController();
  let handle: ContainerdHandle | undefined;
  try {
    handle = await startContainerd({ dataDir, logger: silentLogger, sandboxImage: defaultPauseImage, signal: ctl.signal, wrapper: ['nsenter', `--net=/run/netns/${ns}`, '--'], startTimeoutMs: 30_000 });
    const ctr = { socket: handle.socket, snapshotter: handle.snapshotter };
    writeFileSync(join(dataDir, 'busybox.tar'), buildBusyboxImage().tar);
    assert.ok((await importImage(join(dataDir, 'busybox.tar'), ctr)).ok);
    await ensurePauseImage({ ...ctr, tmpDir: dataDir });
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
  } finally {
    ctl.abort();
    await cleanup(handle, dataDir, ns, cgroupTop);
  }
});
