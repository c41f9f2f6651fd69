import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** FileEntry is one file of a projected volume: its bytes and permission bits. */
export interface FileEntry {
  data: Buffer;
  mode: number;
}

const DATA_LINK = '..data';

/**
 * writeAtomic replaces the files of a ConfigMap/Secret/downward API volume in one step, using the
 * kubelet's layout so applications see either the old or the new set, never a mix: files go into
 * a fresh `..<stamp>` folder, the `..data` symlink is swapped to it (rename), and each top-level
 * name is a symlink `name → ..data/name`. Old folders and names no longer present are removed.
 */
export async function writeAtomic(dir: string, files: Map<string, FileEntry>, stamp: number): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const tsName = `..${new Date(stamp).toISOString().replace(/[-:T]/g, '_').replace(/\..*$/, '')}.${randomBytes(4).toString('hex')}`;
  const tsDir = join(dir, tsName);
  await mkdir(tsDir, { mode: 0o755 });
  for (const [rel, f] of files) {
    const target = join(tsDir, rel);
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    await writeFile(target, f.data);
    // writeFile's mode is filtered by the umask; chmod sets the bits exactly.
    await chmod(target, f.mode);
  }
  const old = await readlink(join(dir, DATA_LINK)).catch(() => undefined);
  const tmpLink = join(dir, '..data_tmp');
  await rm(tmpLink, { force: true });
  await symlink(tsName, tmpLink);
  await rename(tmpLink, join(dir, DATA_LINK));
  const top = new Set([...files.keys()].map((p) => p.split('/')[0] ?? p));
  for (const name of top) {
    const link = join(dir, name);
    const st = await lstat(link).catch(() => undefined);
    if (!st) await symlink(join(DATA_LINK, name), link);
  }
  for (const name of await readdir(dir)) {
    if (name.startsWith('..') || top.has(name)) continue;
    await rm(join(dir, name), { recursive: true, force: true });
  }
  if (old && old !== tsName) await rm(join(dir, old), { recursive: true, force: true });
}
