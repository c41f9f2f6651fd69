import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOciImage, type BuiltImage } from './oci_tar.js';
import { imageExists, importImage, type CtrOptions } from './import.js';

/** defaultPauseImage is the sandbox image skiff builds locally (never pulled). */
export const defaultPauseImage = 'skiff.local/pause:3.9';

/** defaultBusybox is Debian busybox-static's statically linked binary. */
export const defaultBusybox = '/bin/busybox';

/**
 * buildPauseImage builds the sandbox ("pause") image from a static busybox: one layer holding
 * /bin/busybox, entrypoint `busybox sleep 2147483647`. Why busybox: Debian ships no static pause
 * binary; a sandbox process only has to hold the pod's namespaces open. Unlike the real pause it
 * does not reap zombies, which only matters for pods sharing one PID namespace
 * (shareProcessNamespace), where orphans then linger until the pod ends.
 */
export function buildPauseImage(busyboxPath = defaultBusybox, name = defaultPauseImage): BuiltImage {
  let data: Buffer;
  try {
    data = readFileSync(busyboxPath);
  } catch {
    throw new Error(`${busyboxPath} not found: install the Debian package busybox-static (apt-get install busybox-static)`);
  }
  return buildOciImage({
    name,
    layers: [[{ type: 'file', path: 'bin/busybox', data, mode: 0o755 }]],
    // SIGKILL: CRI kills sandboxes anyway, and PID 1 ignores SIGTERM without a handler.
    config: { entrypoint: ['/bin/busybox', 'sleep', '2147483647'], stopSignal: 'SIGKILL' },
  });
}

/** EnsurePauseImageOptions say where containerd is and where to stage the archive. */
export interface EnsurePauseImageOptions extends CtrOptions {
  /** tmpDir is a folder for the built archive (removed afterwards). */
  tmpDir: string;
  ref?: string;
  busybox?: string;
}

/**
 * ensurePauseImage imports the locally built pause image into containerd's k8s.io namespace
 * unless an image with that reference is already there. It answers what it did.
 */
export async function ensurePauseImage(opts: EnsurePauseImageOptions): Promise<'present' | 'imported'> {
  const ref = opts.ref ?? defaultPauseImage;
  if (await imageExists(ref, opts)) return 'present';
  const image = buildPauseImage(opts.busybox, ref);
  mkdirSync(opts.tmpDir, { recursive: true });
  const file = join(opts.tmpDir, `pause-${process.pid}-${Date.now()}.tar`);
  writeFileSync(file, image.tar);
  try {
    const r = await importImage(file, opts);
    if (!r.ok) throw new Error(`importing the pause image ${ref}: ${r.error ?? 'failed'}`);
    return 'imported';
  } finally {
    rmSync(file, { force: true });
  }
}
