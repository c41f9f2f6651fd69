import { existsSync } from 'node:fs';
import { readFile, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { run } from './command.js';
import { deleteNetns, podNetnsOf } from './netns.js';
import { killHost, removeCgroups } from './processes.js';
import { labStatePath, readLabState } from './state.js';

/** containerdStateDir reads the `state = "…"` path from a node's generated containerd config, if any. */
async function containerdStateDir(hostDir: string): Promise<string | undefined> {
  try {
    const text = await readFile(join(hostDir, 'agent', 'etc', 'containerd', 'config.toml'), 'utf8');
    const m = /^state\s*=\s*"([^"]+)"/m.exec(text);
    return m?.[1];
  } catch {
    return undefined;
  }
}

/** mountsUnder lists mount points below dir (deepest first), from /proc/self/mountinfo. */
async function mountsUnder(dir: string): Promise<string[]> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  const points = info
    .split('\n')
    .map((l) => (l.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((p) => p.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/**
 * labDown removes a lab: kills every host's processes, deletes the lab's pod namespaces, unmounts
 * what its nodes mounted under the lab folder, deletes the host and switch namespaces (their
 * veths go with them) and the lab's cgroups, then the host folders unless `keep`, and lab.json.
 * It goes on past failures and throws one error listing them at the end.
 */
export async function labDown(o: { dir: string; keep?: boolean; progress?: (line: string) => void }): Promise<void> {
  const progress = o.progress ?? (() => {});
  const state = await readLabState(o.dir);
  const problems: string[] = [];
  const attempt = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
    await fn().catch((e: unknown) => problems.push(`${what}: ${(e as Error).message}`));
  };
  for (const h of state.hosts) await attempt(`stop ${h.name}`, () => killHost(h, state.cgroupDirs));
  progress(`stopped the processes of ${state.hosts.length} hosts`);
  const hostNetns = state.hosts.map((h) => h.netns);
  for (const n of await podNetnsOf(hostNetns).catch(() => [])) await attempt(`delete pod namespace ${n}`, () => deleteNetns(n));
  // Each node's containerd keeps its state (rootfs and shm mounts) outside the lab folder, at the
  // `state` path of its generated config; those go too.
  const stateDirs = (await Promise.all(state.hosts.map((h) => containerdStateDir(h.dir)))).filter((d): d is string => d !== undefined);
  for (const d of [state.dir, ...stateDirs.map((x) => (dirname(x).startsWith('/run/skiff/') ? dirname(x) : x))]) {
    for (const m of await mountsUnder(d)) await attempt(`unmount ${m}`, () => run('umount', ['-l', m]));
  }
  for (const d of stateDirs) {
    // /run/skiff/<hash>/containerd: the <hash> folder is this node's alone.
    const own = dirname(d).startsWith('/run/skiff/') ? dirname(d) : d;
    await attempt(`remove ${own}`, () => rm(own, { recursive: true, force: true }));
  }
  for (const n of [...hostNetns, state.switchNetns]) await attempt(`delete namespace ${n}`, () => deleteNetns(n));
  progress(`deleted namespaces ${[...hostNetns, state.switchNetns].join(', ')}`);
  for (const d of state.cgroupDirs) {
    await attempt(`remove cgroup ${d}`, () => removeCgroups(d));
    await rmdir(dirname(d)).catch(() => {}); // the shared skiff-lab parent, once no lab uses it
  }
  if (!o.keep) {
    for (const h of state.hosts) await attempt(`remove ${h.dir}`, () => rm(h.dir, { recursive: true, force: true }));
  }
  await rm(labStatePath(state.dir), { force: true });
  // Only an empty lab folder goes: --dir may point somewhere that holds other things.
  if (!o.keep && existsSync(state.dir)) await rmdir(state.dir).catch(() => {});
  if (problems.length) throw new Error(`lab ${state.name} is down, with problems:\n  ${problems.join('\n  ')}`);
  progress(`lab ${state.name} is down${o.keep ? ` (host folders kept in ${state.dir})` : ''}`);
}
