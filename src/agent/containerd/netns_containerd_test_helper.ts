// A real containerd inside a throwaway network namespace for the containerd e2e tests (root only):
// the namespace, a temp data dir and containerd are made for one test body and always removed
// after it, with containerd's shims, mounts and state.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { silentLogger } from '../../lib/log.js';
import { GrpcCriClient } from '../cri/grpc_client.js';
import { buildBusyboxImage } from '../images/busybox_image.js';
import { importImage, type ImportResult } from '../images/import.js';
import { defaultPauseImage, ensurePauseImage } from '../images/pause.js';
import { startContainerd, type ContainerdHandle } from './supervisor.js';

/** NetnsContainerd is a running containerd in its own network namespace. */
export interface NetnsContainerd {
  /** ns is the network namespace (/run/netns/<ns>). */
  ns: string;
  /** dataDir is the temp folder containerd's state lives under (removed afterwards). */
  dataDir: string;
  handle: ContainerdHandle;
  /** ctr reaches this containerd with `ctr` (image import). */
  ctr: { socket: string; snapshotter: 'overlayfs' | 'native' };
}

/** NetnsContainerdOptions name the namespace and the data dir. */
export interface NetnsContainerdOptions {
  /** ns is the network namespace to create (and delete afterwards). */
  ns: string;
  /** dataDirPrefix is the mkdtemp prefix of the data dir under the OS temp dir. */
  dataDirPrefix: string;
  /** loopbackUp sets `lo` up in the namespace (for servers on its 127.0.0.1). */
  loopbackUp?: boolean;
  /** removeSandboxes stops and removes every pod sandbox through CRI before containerd stops (default true). */
  removeSandboxes?: boolean;
}

/**
 * withNetnsContainerd creates the namespace and a data dir, starts containerd inside the namespace
 * (30 s start timeout) and runs body with it; afterwards, also when anything failed, it removes
 * what the test made: pod sandboxes (unless told not to), containerd and its shims, mounts, files,
 * the namespace.
 */
export async function withNetnsContainerd(opts: NetnsContainerdOptions, body: (c: NetnsContainerd) => Promise<void>): Promise<void> {
  const { ns } = opts;
  execFileSync('ip', ['netns', 'add', ns]);
  if (opts.loopbackUp) execFileSync('nsenter', [`--net=/run/netns/${ns}`, '--', 'ip', 'link', 'set', 'lo', 'up']);
  const dataDir = mkdtempSync(join(tmpdir(), opts.dataDirPrefix));
  const ctl = new AbortController();
  let handle: ContainerdHandle | undefined;
  try {
    handle = await startContainerd({ dataDir, logger: silentLogger, sandboxImage: defaultPauseImage, signal: ctl.signal, wrapper: ['nsenter', `--net=/run/netns/${ns}`, '--'], startTimeoutMs: 30_000 });
    await body({ ns, dataDir, handle, ctr: { socket: handle.socket, snapshotter: handle.snapshotter } });
  } finally {
    ctl.abort();
    await cleanup(handle, dataDir, ns, opts.removeSandboxes ?? true);
  }
}

/**
 * importTestImages writes the test busybox image (skiff.local/busybox:1.35) to dataDir/busybox.tar
 * and imports it, then makes sure the pause image is present; it resolves with the busybox import.
 */
export async function importTestImages(c: NetnsContainerd): Promise<ImportResult> {
  writeFileSync(join(c.dataDir, 'busybox.tar'), buildBusyboxImage().tar);
  const imported = await importImage(join(c.dataDir, 'busybox.tar'), c.ctr);
  await ensurePauseImage({ ...c.ctr, tmpDir: c.dataDir });
  return imported;
}

async function removeSandboxes(socket: string): Promise<void> {
  const cri = new GrpcCriClient({ socket, timeoutMs: 15_000 });
  for (const sb of await cri.listPodSandbox().catch(() => [])) {
    await cri.stopPodSandbox(sb.id).catch(() => undefined);
    await cri.removePodSandbox(sb.id).catch(() => undefined);
  }
  cri.close();
}

async function cleanup(handle: ContainerdHandle | undefined, dataDir: string, ns: string, sandboxes: boolean): Promise<void> {
  if (handle) {
    if (sandboxes) await removeSandboxes(handle.socket);
    await handle.stop();
    // Shims of this containerd (their command line names its socket), by pid.
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
  rmSync(dataDir, { recursive: true, force: true });
  spawnSync('ip', ['netns', 'del', ns]);
}
