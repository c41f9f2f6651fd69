import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** findExecutable looks a command up in PATH (or returns an absolute path as is when executable). */
export function findExecutable(cmd: string, path = process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin'): string | undefined {
  const candidates = cmd.includes('/') ? [cmd] : path.split(delimiter).filter(Boolean).map((d) => join(d, cmd));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** MissingPrerequisite is a program the node needs and the Debian package that ships it. */
export interface MissingPrerequisite {
  program: string;
  debianPackage: string;
}

/**
 * checkNodePrerequisites lists the programs a real node needs that are missing: containerd and ctr
 * (containerd), runc (runc), the CNI plugins bridge/host-local/loopback/portmap in cniBinDir
 * (containernetworking-plugins), nft (nftables), ip (iproute2). Empty means ready.
 */
export function checkNodePrerequisites(opts: { path?: string; cniBinDir?: string } = {}): MissingPrerequisite[] {
  const cniBinDir = opts.cniBinDir ?? '/usr/lib/cni';
  const need: [string, string][] = [
    ['containerd', 'containerd'], ['ctr', 'containerd'], ['runc', 'runc'], ['nft', 'nftables'], ['ip', 'iproute2'],
    ...['bridge', 'host-local', 'loopback', 'portmap'].map((p): [string, string] => [join(cniBinDir, p), 'containernetworking-plugins']),
  ];
  return need.filter(([prog]) => findExecutable(prog, opts.path) === undefined).map(([program, debianPackage]) => ({ program, debianPackage }));
}

/** formatMissingPrerequisites is the error text for missing programs, with the apt-get line that installs them. */
export function formatMissingPrerequisites(missing: MissingPrerequisite[]): string {
  const pkgs = [...new Set(missing.map((m) => m.debianPackage))];
  return `missing ${missing.map((m) => m.program).join(', ')}: install the Debian package${pkgs.length > 1 ? 's' : ''} ${pkgs.join(', ')} (apt-get install ${pkgs.join(' ')})`;
}

const overlayMagic = 0x794c7630;

/**
 * overlayUsable reports whether overlayfs can be mounted with its upper dir under `dir` (the
 * containerd root): the kernel must know overlay, `dir` must not itself be on overlayfs, and a
 * test mount must succeed. Needs root; any failure answers false (containerd then uses native).
 */
export function overlayUsable(dir: string): boolean {
  try {
    if (!readFileSync('/proc/filesystems', 'utf8').includes('\toverlay\n')) return false;
    mkdirSync(dir, { recursive: true });
    if (statfsSync(dir).type === overlayMagic) return false;
  } catch {
    return false;
  }
  const t = mkdtempSync(join(dir, '.overlay-check-'));
  try {
    for (const d of ['lower', 'upper', 'work', 'merged']) mkdirSync(join(t, d));
    const opts = `lowerdir=${t}/lower,upperdir=${t}/upper,workdir=${t}/work`;
    const r = spawnSync('mount', ['-t', 'overlay', 'overlay', '-o', opts, join(t, 'merged')], { timeout: 10_000, stdio: 'ignore' });
    if (r.status !== 0) return false;
    spawnSync('umount', [join(t, 'merged')], { timeout: 10_000, stdio: 'ignore' });
    return true;
  } finally {
    rmSync(t, { recursive: true, force: true });
  }
}
