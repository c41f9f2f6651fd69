import { createHash } from 'node:crypto';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { arr, objAt, str } from '../../../api/object.js';
import { writeAtomic, type FileEntry } from './atomic_writer.js';
import { podDir, volumeDir } from './names.js';
import { volumeFiles, VolumeError, type VolumeContext } from './volume_sources.js';

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
    if (!st) await (await open(path, 'a', 0o644)).close();
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
 * PodVolumes prepares one pod's volumes on the node: emptyDir folders, hostPath checks, and the
 * files of configMap/secret/downwardAPI/projected volumes (rewritten atomically when their content
 * changes, so setup() can be called again to refresh them). setup returns volume name → host path.
 */
export class PodVolumes {
  private readonly written = new Map<string, string>();

  constructor(
    private readonly dataDir: string,
    private readonly uid: string,
  ) {}

  /** setup creates or refreshes every volume of the pod; a volume that cannot be set up throws VolumeError naming it. */
  async setup(ctx: VolumeContext, now: number): Promise<Map<string, string>> {
    const paths = new Map<string, string>();
    for (const v of arr(ctx.pod, 'spec', 'volumes')) {
      const name = str(v, 'name') ?? '';
      try {
        paths.set(name, await this.setupOne(ctx, v, name, now));
      } catch (e) {
        throw new VolumeError(`MountVolume.SetUp failed for volume "${name}" : ${(e as Error).message}`);
      }
    }
    return paths;
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

  /** teardown removes the pod's folder with all its volumes (hostPath volumes are left alone). */
  async teardown(): Promise<void> {
    this.written.clear();
    await rm(podDir(this.dataDir, this.uid), { recursive: true, force: true });
  }
}
