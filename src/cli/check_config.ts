import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { findExecutable } from '../agent/containerd/prerequisites.js';
import { CNI_BIN_DIRS, CNI_PLUGINS } from '../network/index.js';
import { formatHelp, parseFlags, UsageError, type FlagSpec } from './flags.js';

/** CheckResult is one line of `skiff check-config`. */
export interface CheckResult {
  name: string;
  ok: boolean;
  /** detail says what was found (a version, "built-in") or, when missing, how to get it. */
  detail: string;
  /** required checks fail the command; the others only warn. */
  required: boolean;
}

/** HostView is what the checks read: files under root (`/` on a real machine) and programs on PATH. */
export interface HostView {
  root: string;
  kernelRelease: string;
  findProgram(name: string): string | undefined;
  /** programVersion runs `<program> --version` (read-only) and returns its first line. */
  programVersion(path: string): string | undefined;
}

/** KERNEL_MODULES are what the pod network, overlay snapshots, services and policies need, with their kernel config symbols. */
export const KERNEL_MODULES: Readonly<Record<string, string>> = { br_netfilter: 'BRIDGE_NETFILTER', overlay: 'OVERLAY_FS', nf_tables: 'NF_TABLES', veth: 'VETH', bridge: 'BRIDGE' };
/** CGROUP_CONTROLLERS are the cgroup v2 controllers the kubelet's pod limits use. */
export const CGROUP_CONTROLLERS = ['cpu', 'memory', 'pids'];

function read(host: HostView, path: string): string | undefined {
  try {
    return readFileSync(join(host.root, path), 'utf8');
  } catch {
    return undefined;
  }
}

/** kernelConfig is the kernel's build config (/proc/config.gz, else /boot/config-<release>); empty when neither exists. */
function kernelConfig(host: HostView): string {
  try {
    return gunzipSync(readFileSync(join(host.root, '/proc/config.gz'))).toString('utf8');
  } catch {
    return read(host, `/boot/config-${host.kernelRelease}`) ?? '';
  }
}

/** moduleState says whether a kernel module is loaded, built in, loadable or absent. */
export function moduleState(host: HostView, name: string): 'loaded' | 'built-in' | 'loadable' | 'missing' {
  const loaded = read(host, '/proc/modules')?.split('\n').some((l) => l.split(' ')[0] === name);
  if (loaded || existsSync(join(host.root, '/sys/module', name))) return 'loaded';
  // Module files use either - or _ in their names; modules.builtin lists kernel/.../<name>.ko paths.
  const file = new RegExp(`/${name.replace(/_/g, '[-_]')}\\.ko(\\.[a-z]+)?:?$`, 'm');
  const dir = `/lib/modules/${host.kernelRelease}`;
  if (file.test(read(host, `${dir}/modules.builtin`) ?? '')) return 'built-in';
  const dep = (read(host, `${dir}/modules.dep`) ?? '').split('\n').map((l) => l.split(':')[0] ?? '');
  if (dep.some((l) => file.test(l))) return 'loadable';
  // Kernels without /lib/modules (built for VMs) still say what is built in through their config.
  const symbol = KERNEL_MODULES[name];
  const config = kernelConfig(host);
  if (symbol && new RegExp(`^CONFIG_${symbol}=y$`, 'm').test(config)) return 'built-in';
  if (symbol && new RegExp(`^CONFIG_${symbol}=m$`, 'm').test(config)) return 'loadable';
  return 'missing';
}

function kernelCheck(host: HostView): CheckResult {
  const [major = 0, minor = 0] = host.kernelRelease.split(/[.-]/).map(Number);
  // 5.4: cgroup v2 with every controller skiff uses and nftables with the features the rulesets use.
  const ok = major > 5 || (major === 5 && minor >= 4);
  return { name: 'kernel', ok, detail: ok ? host.kernelRelease : `${host.kernelRelease} (need 5.4 or newer)`, required: true };
}

/** enabledCgroupControllers lists the cgroup controllers and the hierarchy they are on (v2 unified, else v1 from /proc/cgroups). */
function enabledCgroupControllers(host: HostView): { version: 'v2' | 'v1'; controllers: string[] } | undefined {
  const v2 = read(host, '/sys/fs/cgroup/cgroup.controllers');
  if (v2 !== undefined) return { version: 'v2', controllers: v2.trim().split(/\s+/) };
  const v1 = read(host, '/proc/cgroups');
  if (v1 === undefined) return undefined;
  // Lines: subsys_name hierarchy num_cgroups enabled.
  const controllers = v1.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/\s+/)).filter((f) => f[3] === '1').map((f) => f[0] ?? '');
  return { version: 'v1', controllers };
}

function cgroupChecks(host: HostView): CheckResult[] {
  const found = enabledCgroupControllers(host);
  if (!found) return [{ name: 'cgroups', ok: false, detail: 'missing (no /sys/fs/cgroup/cgroup.controllers nor /proc/cgroups)', required: true }];
  return [
    { name: 'cgroups', ok: true, detail: found.version === 'v2' ? 'v2 (unified)' : 'v1 (v2 recommended: boot with systemd.unified_cgroup_hierarchy=1)', required: true },
    ...CGROUP_CONTROLLERS.map((c) => ({ name: `cgroup controller ${c}`, ok: found.controllers.includes(c), detail: found.controllers.includes(c) ? 'enabled' : 'missing (enable it in /sys/fs/cgroup/cgroup.subtree_control or on the kernel command line)', required: true })),
  ];
}

function programCheck(host: HostView, name: string, pkg: string, required: boolean, versioned = false): CheckResult {
  const path = host.findProgram(name);
  if (!path) return { name, ok: false, detail: `missing (apt-get install ${pkg})`, required };
  const version = versioned ? host.programVersion(path) : undefined;
  return { name, ok: true, detail: version ? `${path}: ${version}` : path, required };
}

function cniChecks(host: HostView): CheckResult[] {
  const dir = CNI_BIN_DIRS.find((d) => CNI_PLUGINS.every((p) => existsSync(join(host.root, d, p))));
  return CNI_PLUGINS.map((p) => {
    const at = dir ?? CNI_BIN_DIRS.find((d) => existsSync(join(host.root, d, p)));
    return { name: `cni plugin ${p}`, ok: dir !== undefined, detail: dir ? join(dir, p) : at ? `${join(at, p)}, but not with every other plugin in one of ${CNI_BIN_DIRS.join(', ')}` : 'missing (apt-get install containernetworking-plugins)', required: true };
  });
}

/** runChecks checks the host for everything a skiff node needs; read-only. */
export function runChecks(host: HostView): CheckResult[] {
  const modules = Object.keys(KERNEL_MODULES).map((m): CheckResult => {
    const state = moduleState(host, m);
    return { name: `module ${m}`, ok: state !== 'missing', detail: state === 'missing' ? `missing (not in this kernel: apt-get install linux-image-${process.arch === 'arm64' ? 'arm64' : 'amd64'})` : state === 'loadable' ? `not loaded (skiff loads it: modprobe ${m})` : state, required: true };
  });
  return [
    kernelCheck(host),
    ...modules,
    ...cgroupChecks(host),
    programCheck(host, 'nft', 'nftables', true, true),
    programCheck(host, 'ip', 'iproute2', true),
    programCheck(host, 'containerd', 'containerd', true, true),
    programCheck(host, 'runc', 'runc', true, true),
    ...cniChecks(host),
    programCheck(host, 'nginx', 'nginx-light', false, true),
  ];
}

/** formatChecks prints `name: ok (detail)` or `name: missing …`, one per line; optional ones are marked. */
export function formatChecks(results: CheckResult[]): string {
  return results.map((r) => `${r.name}: ${r.ok ? `ok (${r.detail})` : r.detail.startsWith('missing') ? r.detail : `missing: ${r.detail}`}${!r.ok && !r.required ? ' [optional: needed for the ingress]' : ''}`).join('\n');
}

/** realHost is the machine skiff runs on. */
export function realHost(): HostView {
  return {
    root: '/',
    kernelRelease: release(),
    findProgram: (name) => findExecutable(name, `${process.env.PATH ?? ''}:/usr/sbin:/sbin`),
    programVersion: (path) => {
      // nginx prints its version to stderr and only with -v.
      const r = spawnSync(path, [path.endsWith('nginx') ? '-v' : '--version'], { encoding: 'utf8', timeout: 5_000 });
      return (`${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n')[0] ?? '') || undefined;
    },
  };
}

const flags: FlagSpec[] = [];

/** runCheckConfig runs `skiff check-config`: exit 1 when a required check fails. */
export async function runCheckConfig(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(`skiff check-config - check this machine's kernel, cgroups and programs for running skiff (read-only)\n\nUSAGE:\n   skiff check-config\n\nFLAGS:\n${formatHelp(flags)}`);
    return 0;
  }
  const { args } = parseFlags(flags, argv);
  if (args.length) throw new UsageError(`unexpected argument ${args[0]}`);
  const results = runChecks(realHost());
  console.log(formatChecks(results));
  const failed = results.filter((r) => !r.ok && r.required);
  console.log(failed.length ? `\nSTATUS: FAIL (${failed.length} required missing)` : '\nSTATUS: pass');
  return failed.length ? 1 : 0;
}
