import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { buildOciImage, type BuiltImage, type ImageConfig, type TarEntry } from './oci_tar.js';
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

/**
 * nssFiles are the host's glibc NSS modules and the libraries they need. Debian's static busybox
 * still loads them (dlopen) for name and address lookups, and segfaults in wget/nslookup without
 * them; they are copied at the host's paths (same glibc version as the busybox build).
 */
export function nssFiles(): TarEntry[] {
  const triple = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
  const loader = process.arch === 'arm64' ? 'lib/ld-linux-aarch64.so.1' : 'lib64/ld-linux-x86-64.so.2';
  const libs = [loader, ...['libc.so.6', 'libnss_files.so.2', 'libnss_dns.so.2', 'libresolv.so.2'].map((l) => `lib/${triple}/${l}`)];
  const out: TarEntry[] = [];
  for (const path of libs) {
    try {
      out.push({ type: 'file', path, data: readFileSync(realpathSync(`/${path}`)), mode: 0o755 });
    } catch {
      // Absent on this host: lookups in the image fall back to what busybox does without NSS.
    }
  }
  if (out.length) out.push({ type: 'file', path: 'etc/nsswitch.conf', data: Buffer.from('passwd: files\ngroup: files\nhosts: files dns\n') });
  return out;
}

/** busyboxApplets lists the applets the busybox binary knows (its `--list`), or a fallback set. */
export function busyboxApplets(busyboxPath: string): string[] {
  const r = spawnSync(busyboxPath, ['--list'], { encoding: 'utf8', timeout: 5000 });
  const list = r.status === 0 ? r.stdout.split('\n').map((s) => s.trim()).filter((s) => /^[\w.[-]+$/.test(s) && s !== 'busybox') : [];
  return list.length ? list : fallbackApplets;
}

/** BusyboxExtras add files (a second layer) and a runtime config to a busybox image. */
export interface BusyboxExtras {
  files?: TarEntry[];
  config?: ImageConfig;
}

/**
 * buildBusyboxImage builds a small shell image from a static busybox: /bin/busybox, one symlink per
 * applet in /bin (sh, ls, cat, wget, sleep, …), /etc/passwd and /etc/group, /tmp, /root; command
 * `sh` unless extras say otherwise. extras.files go in a layer of their own.
 */
export function buildBusyboxImage(name = 'skiff.local/busybox:1.35', busyboxPath = defaultBusybox, extras: BusyboxExtras = {}): BuiltImage {
  let data: Buffer;
  try {
    data = readFileSync(busyboxPath);
  } catch {
    throw new Error(`${busyboxPath} not found: install the Debian package busybox-static (apt-get install busybox-static)`);
  }
  const links = busyboxApplets(busyboxPath).map((a): TarEntry => ({ type: 'symlink', path: `bin/${a}`, target: 'busybox' }));
  const base: TarEntry[] = [{ type: 'dir', path: 'bin' }, { type: 'file', path: 'bin/busybox', data, mode: 0o755 }, ...links, ...etcFiles(), ...nssFiles()];
  return buildOciImage({
    name,
    layers: extras.files?.length ? [base, extras.files] : [base],
    config: extras.config ?? { cmd: ['sh'] },
  });
}
