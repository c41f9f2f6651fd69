import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildOciImage, type BuiltImage, type TarEntry } from './oci_tar.js';
import { defaultBusybox } from './pause.js';

/** fallbackApplets are linked when `busybox --list` cannot be run. */
const fallbackApplets = [
  'sh', 'ash', 'ls', 'cat', 'echo', 'wget', 'sleep', 'ps', 'mkdir', 'rm', 'cp', 'mv', 'env', 'id', 'hostname', 'nslookup', 'ping',
  'grep', 'sed', 'awk', 'head', 'tail', 'date', 'true', 'false', 'touch', 'chmod', 'ln', 'pwd', 'uname', 'kill', 'df', 'find', 'wc',
  'tee', 'nc', 'printf', 'test', 'expr', 'seq', 'timeout', 'tr', 'cut', 'which', 'httpd', 'ip', 'ifconfig', 'netstat', 'top', 'vi',
];

/** etcFiles are the minimal account files of a small image. */
export function etcFiles(): TarEntry[] {
  return [
    { type: 'file', path: 'etc/passwd', data: Buffer.from('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n') },
    { type: 'file', path: 'etc/group', data: Buffer.from('root:x:0:\nnogroup:x:65534:\n') },
    { type: 'dir', path: 'root', mode: 0o700 },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
  ];
}

/** busyboxApplets lists the applets the busybox binary knows (its `--list`), or a fallback set. */
export function busyboxApplets(busyboxPath: string): string[] {
  const r = spawnSync(busyboxPath, ['--list'], { encoding: 'utf8', timeout: 5000 });
  const list = r.status === 0 ? r.stdout.split('\n').map((s) => s.trim()).filter((s) => /^[\w.[-]+$/.test(s) && s !== 'busybox') : [];
  return list.length ? list : fallbackApplets;
}

/**
 * buildBusyboxImage builds a small shell image from a static busybox: /bin/busybox, one symlink per
 * applet in /bin (sh, ls, cat, wget, sleep, …), /etc/passwd and /etc/group, /tmp, /root; command `sh`.
 */
export function buildBusyboxImage(name = 'skiff.local/busybox:1.35', busyboxPath = defaultBusybox): BuiltImage {
  let data: Buffer;
  try {
    data = readFileSync(busyboxPath);
  } catch {
    throw new Error(`${busyboxPath} not found: install the Debian package busybox-static (apt-get install busybox-static)`);
  }
  const links = busyboxApplets(busyboxPath).map((a): TarEntry => ({ type: 'symlink', path: `bin/${a}`, target: 'busybox' }));
  return buildOciImage({
    name,
    layers: [[{ type: 'dir', path: 'bin' }, { type: 'file', path: 'bin/busybox', data, mode: 0o755 }, ...links, ...etcFiles()]],
    config: { cmd: ['sh'] },
  });
}
