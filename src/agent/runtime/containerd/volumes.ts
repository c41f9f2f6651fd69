import { createHash } from 'node:crypto';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname } from 'node:path';
import { arr, objAt, str } from '../../../api/object.js';
import { volumeFitsNode } from '../../../api/resources/core/pv_matching.js';
import { writeAtomic, type FileEntry } from './atomic_writer.js';
import { ClaimError, resolveClaim, type ClaimedVolume } from './claim_source.js';
import { podDir, volumeDir } from './names.js';
import { volumeFiles, VolumeError, type VolumeContext } from './volume_sources.js';

/** MountSource is where a pod volume is on the node and whether every mount of it is read-only. */
export interface MountSource {
  path: string;
  readOnly: boolean;
}

const hostPathChecks: Record<string, [(s: Stats) => boolean, string]> = {
  Directory: [(s) => s.isDirectory(), 'a directory'],
  File: [(s) => s.isFile(), 'a file'],
  Socket: [(s) => s.isSocket(), 'a socket file'],
  CharDevice: [(s) => s.isCharacterDevice(), 'a character device'],
  BlockDevice: [(s) => s.isBlockDevice(), 'a block device'],
};

/** checkHostPath applies a hostPath volume's type (DirectoryOrCreate, Directory, FileOrCreate, File, Socket, …). */
export async function checkHostPath(path: string, type: string): Promise<void> {
  const st = await stat(path).catch(() => undefined);
  if (type === 'DirectoryOrCreate') {
    if (!st) await mkdir(path, { recursive: true, mode: 0o755 });
    else if (!st.isDirectory()) throw new VolumeError(`hostPath type check failed: ${path} is not a directory`);
    return;
  }
  if (type === 'FileOrCreate') {
    if (!st) {
      await mkdir(dirname(path), { recursive: true, mode: 0o755 });
      await (await open(path, 'a', 0o644)).close();
    }
    else if (!st.isFile()) throw new VolumeError(`hostPath type check failed: ${path} is not a file`);
    return;
  }
  const check = hostPathChecks[type];
  if (!check) return;
  if (!st || !check[0](st)) throw new VolumeError(`hostPath type check failed: ${path} is not ${check[1]}`);
}

function digest(files: Map<string, FileEntry>): string {
  const h = createHash('sha256');
  for (const [p, f] of [...files].sort(([a], [b]) => a.localeCompare(b))) h.update(`${p}\0${f.mode}\0`).update(f.data).update('\0');
  return h.digest('hex');
}

/**
 * mountClaimed checks a claim's volume on the node with the kubelet's mount messages (named after
 * the PV): the PV's nodeAffinity admits this node (a folder on another node is not this one's), a
 * local path exists, a hostPath's type holds.
 */
async function mountClaimed(c: ClaimedVolume, ctx: VolumeContext): Promise<MountSource> {
  const node = await ctx.getNode?.().catch(() => undefined);
  if (node && !volumeFitsNode(c.pv, node)) throw new VolumeError(`MountVolume.NodeAffinity check failed for volume "${c.pvName}" : no matching NodeSelectorTerms`);
  if (c.source === 'local') {
    // Local volumes are disks or folders prepared by an administrator: never created here.
    if (!(await stat(c.path).catch(() => undefined))) throw new VolumeError(`MountVolume.NewMounter initialization failed for volume "${c.pvName}" : path "${c.path}" does not exist`);
    return { path: c.path, readOnly: c.readOnly };
  }
  try {
    await checkHostPath(c.path, c.hostPathType);
  } catch (e) {
    throw new VolumeError(`MountVolume.SetUp failed for volume "${c.pvName}" : ${(e as Error).message}`);
  }
  return { path: c.path, readOnly: c.readOnly };
}

/**
 * PodVolumes prepares one pod's volumes on the node: emptyDir folders, hostPath checks, claims
 * bound to hostPath or local PersistentVolumes (also generic ephemeral ones), and the files of
 * configMap/secret/downwardAPI/projected volumes (rewritten atomically when their content changes,
 * so setup() can be called again to refresh them). setup returns volume name → mount source.
 */
export class PodVolumes {
  private readonly written = new Map<string, string>();

  constructor(
    private readonly dataDir: string,
    private readonly uid: string,
  ) {}

  /**
   * setup creates or refreshes every volume of the pod. Claims are processed first, all of them,
   * and any that cannot be used yet fail the setup with the kubelet's "Unable to attach or mount
   * volumes" message; then a volume that cannot be set up throws VolumeError naming it.
   */
  async setup(ctx: VolumeContext, now: number): Promise<Map<string, MountSource>> {
    const claimed = await this.processClaims(ctx);
    const paths = new Map<string, MountSource>();
    for (const v of arr(ctx.pod, 'spec', 'volumes')) {
      const name = str(v, 'name') ?? '';
      const claim = claimed.get(name);
      if (claim) {
        paths.set(name, await mountClaimed(claim, ctx));
        continue;
      }
      try {
        paths.set(name, { path: await this.setupOne(ctx, v, name, now), readOnly: false });
      } catch (e) {
        throw new VolumeError(`MountVolume.SetUp failed for volume "${name}" : ${(e as Error).message}`);
      }
    }
    return paths;
  }

  private async processClaims(ctx: VolumeContext): Promise<Map<string, ClaimedVolume>> {
    const claimed = new Map<string, ClaimedVolume>();
    const failed: string[] = [];
    const errors: string[] = [];
    for (const v of arr(ctx.pod, 'spec', 'volumes')) {
      const name = str(v, 'name') ?? '';
      try {
        const c = await resolveClaim(ctx.pod, v, ctx);
        if (c) claimed.set(name, c);
      } catch (e) {
        if (!(e instanceof ClaimError)) throw e;
        failed.push(name);
        errors.push(e.message);
      }
    }
    if (failed.length) {
      const names = `[${failed.sort().join(' ')}]`;
      throw new VolumeError(`Unable to attach or mount volumes: unmounted volumes=${names}, unattached volumes=[], failed to process volumes=${names}: ${errors.join('; ')}`);
    }
    return claimed;
  }

  private async setupOne(ctx: VolumeContext, v: unknown, name: string, now: number): Promise<string> {
    const hostPath = objAt(v, 'hostPath');
    if (hostPath) {
      const path = str(hostPath, 'path') ?? '';
      await checkHostPath(path, str(hostPath, 'type') ?? '');
      return path;
    }
    if (objAt(v, 'emptyDir')) {
      // medium: Memory would be a tmpfs; a plain folder keeps the semantics apart from RAM accounting.
      const dir = volumeDir(this.dataDir, this.uid, 'empty-dir', name);
      await mkdir(dir, { recursive: true, mode: 0o777 });
      return dir;
    }
    const files = await volumeFiles(ctx, v);
    if (!files) throw new VolumeError('volume type is not supported by this node');
    const plugin = objAt(v, 'configMap') ? 'configmap' : objAt(v, 'secret') ? 'secret' : objAt(v, 'projected') ? 'projected' : 'downward-api';
    const dir = volumeDir(this.dataDir, this.uid, plugin, name);
    const d = digest(files);
    if (this.written.get(name) !== d) {
      await writeAtomic(dir, files, now);
      this.written.set(name, d);
    }
    return dir;
  }

  /**
   * teardown removes the pod's private folder with its emptyDir and file-backed volumes. hostPath
   * and claim-backed volumes live outside it and are never touched: their data outlives the pod.
   */
  async teardown(): Promise<void> {
    this.written.clear();
    await rm(podDir(this.dataDir, this.uid), { recursive: true, force: true });
  }
}
