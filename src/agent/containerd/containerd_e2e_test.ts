import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GrpcCriClient } from '../cri/grpc_client.js';
import type { PodSandboxConfig } from '../cri/types.js';
import { buildBusyboxImage } from '../images/busybox_image.js';
import { importImage, importImageDir } from '../images/import.js';
import { defaultPauseImage, ensurePauseImage } from '../images/pause.js';
import { withNetnsContainerd } from './netns_containerd_test_helper.js';
import { findExecutable } from './prerequisites.js';

const skip = process.getuid?.() !== 0
  ? 'needs root (runs containerd)'
  : !findExecutable('containerd') || !findExecutable('ctr') || !findExecutable('runc')
    ? 'containerd/runc not installed (apt-get install containerd runc)'
    : !findExecutable('nsenter') || !findExecutable('ip') ? 'needs nsenter and ip'
      : !existsSync('/bin/busybox') ? 'needs /bin/busybox (apt-get install busybox-static)' : false;
if (skip) console.log(`# skipping the containerd round trip: ${skip}`);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** until polls check every 200 ms until it returns a value, for at most ms. */
async function until<T>(what: string, ms: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch {
      // retry until the deadline
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

test('containerd round trip: supervisor, image import, CRI pod lifecycle', { skip, timeout: 120_000 }, async () => {
  const ns = `skiff-t-${randomBytes(3).toString('hex')}`;
  await withNetnsContainerd({ ns, dataDirPrefix: 'skiff-ctd-' }, async ({ dataDir, handle, ctr }) => {
    assert.match(handle.version, /^containerd:\/\/1\./);

    // The OCI writer's archive is accepted by `ctr images import`, directly and from the images dir.
    const imagesDir = join(dataDir, 'agent/images');
    mkdirSync(imagesDir, { recursive: true });
    writeFileSync(join(imagesDir, 'busybox.tar'), buildBusyboxImage().tar);
    const direct = await importImage(join(imagesDir, 'busybox.tar'), ctr);
    assert.ok(direct.ok, direct.error);
    assert.deepEqual(direct.images, ['skiff.local/busybox:1.35']);
    const fromDir = await importImageDir(imagesDir, ctr);
    assert.deepEqual(fromDir.map((r) => r.ok), [true]);
    assert.equal(await ensurePauseImage({ ...ctr, tmpDir: dataDir }), 'imported');
    assert.equal(await ensurePauseImage({ ...ctr, tmpDir: dataDir }), 'present');

    const cri = new GrpcCriClient({ socket: handle.socket });
    try {
      assert.equal((await cri.version()).runtimeName, 'containerd');
      const tags = (await cri.listImages()).flatMap((i) => i.repoTags);
      assert.ok(tags.includes('skiff.local/busybox:1.35') && tags.includes(defaultPauseImage), tags.join(','));

      const logDir = join(dataDir, 'pods/default_demo_uid1');
      const sandboxConfig: PodSandboxConfig = {
        metadata: { name: 'demo', uid: 'uid1', namespace: 'default' }, logDirectory: logDir,
        linux: { securityContext: { namespaceOptions: { network: 'NODE', pid: 'CONTAINER' } } },
      };
      const sb = await cri.runPodSandbox(sandboxConfig);
      assert.equal((await cri.podSandboxStatus(sb)).state, 'SANDBOX_READY');
      const cid = await cri.createContainer(sb, {
        metadata: { name: 'main' }, image: { image: 'skiff.local/busybox:1.35' },
        command: ['sh', '-c', 'echo hello; sleep 30'], logPath: 'main/0.log',
      }, sandboxConfig);
      await cri.startContainer(cid);
      assert.equal((await cri.containerStatus(cid)).state, 'CONTAINER_RUNNING');
      const hi = await cri.execSync(cid, ['echo', 'hi'], 10);
      assert.deepEqual({ out: hi.stdout.toString(), code: hi.exitCode }, { out: 'hi\n', code: 0 });
      assert.equal((await cri.execSync(cid, ['sh', '-c', 'exit 3'], 10)).exitCode, 3);
      const log = await until('the container log', 10_000, () => {
        const text = readFileSync(join(logDir, 'main/0.log'), 'utf8');
        return text.includes('hello') ? text : undefined;
      });
      assert.match(log, /stdout F hello/);

      // containerd dies: the supervisor restarts it and the container kept running meanwhile.
      const oldPid = handle.pid();
      assert.ok(oldPid !== undefined);
      process.kill(oldPid, 'SIGKILL');
      const h = handle;
      await until('containerd to restart', 20_000, () => (h.pid() !== undefined && h.pid() !== oldPid ? true : undefined));
      const state = await until('CRI after restart', 20_000, async () => (await cri.containerStatus(cid, { timeoutMs: 2000 })).state);
      assert.equal(state, 'CONTAINER_RUNNING');

      await cri.stopContainer(cid, 1);
      assert.equal((await cri.containerStatus(cid)).state, 'CONTAINER_EXITED');
      await cri.removeContainer(cid);
      await cri.removeContainer(cid); // already gone: still fine
      await cri.stopPodSandbox(sb);
      await cri.removePodSandbox(sb);
      assert.deepEqual(await cri.listPodSandbox(), []);
    } finally {
      cri.close();
    }
  });
});
