import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, readdir, readFile, readlink, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nsenterArgs } from './command.js';
import type { LabHostState } from './state.js';

/** SKIFF_BIN is this checkout's `bin/skiff` (dist/src/lab/processes.js → ../../../bin/skiff). */
export const SKIFF_BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'skiff');

/**
 * labCgroupDirs returns the cgroup folders that group a lab's processes: `skiff-lab/<lab>` in the
 * pids hierarchy (cgroup v1) or in the unified hierarchy (v2); [] when neither is mounted.
 */
export function labCgroupDirs(lab: string): string[] {
  if (existsSync('/sys/fs/cgroup/cgroup.controllers')) return [`/sys/fs/cgroup/skiff-lab/${lab}`];
  if (existsSync('/sys/fs/cgroup/pids/cgroup.procs')) return [`/sys/fs/cgroup/pids/skiff-lab/${lab}`];
  return [];
}

/** childEnv is the environment of lab processes: the caller's, minus SKIFF_* settings meant for another cluster. */
function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SKIFF_') && k !== 'KUBECONFIG'));
}

/**
 * startHostProcess runs `node bin/skiff ARGV` (or the host's program) inside the host's namespace with
 * `nsenter --net=/run/netns/NS`, detached, logging to `<host dir>/skiff.log`. A tiny sh wrapper
 * first joins the host's cgroup (so its containerd, shims and containers can be found and killed
 * later) and then execs nsenter, which execs node: the returned pid is skiff's own.
 */
export async function startHostProcess(host: LabHostState, cgroupDirs: string[], skiffBin = SKIFF_BIN): Promise<number> {
  const cgroups: string[] = [];
  for (const d of cgroupDirs) {
    const dir = join(d, host.name);
    if (await mkdir(dir, { recursive: true }).then(() => true, () => false)) cgroups.push(dir);
  }
  const log = openSync(join(host.dir, 'skiff.log'), 'a');
  try {
    const script = 'for c in $SKIFF_LAB_CGROUPS; do echo $$ > "$c/cgroup.procs" 2>/dev/null; done; exec "$@"';
    const command = host.program ? [host.program, ...host.argv] : [process.execPath, skiffBin, ...host.argv];
    const argv = ['-c', script, 'sh', 'nsenter', ...nsenterArgs(host.netns), ...command];
    const child = spawn('sh', argv, { detached: true, stdio: ['ignore', log, log], env: { ...childEnv(), SKIFF_LAB_CGROUPS: cgroups.join(' ') } });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid ?? 0));
      child.once('error', reject);
    });
    child.unref();
    return pid;
  } finally {
    closeSync(log);
  }
}

/** readProcs reads pid → parent pid for every process (bounded by /proc's size). */
async function readProcs(): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const e of await readdir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const st = await readFile(`/proc/${e}/stat`, 'utf8').catch(() => '');
    // The command name is in parentheses and may hold spaces: the ppid is the 2nd field after ')'.
    const ppid = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
    if (st && Number.isInteger(ppid)) out.set(Number(e), ppid);
  }
  return out;
}

/**
 * hostPids finds every process of a lab host: those in its network namespace, those in its
 * cgroup, and all their descendants (container processes live in pod namespaces under a shim).
 */
export async function hostPids(host: LabHostState, cgroupDirs: string[]): Promise<number[]> {
  const procs = await readProcs();
  const found = new Set<number>();
  const nsIno = await stat(`/run/netns/${host.netns}`).then((s) => `net:[${s.ino}]`, () => undefined);
  if (nsIno) {
    for (const pid of procs.keys()) if ((await readlink(`/proc/${pid}/ns/net`).catch(() => '')) === nsIno) found.add(pid);
  }
  for (const d of cgroupDirs) for (const pid of await cgroupPids(join(d, host.name))) found.add(pid);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of procs) {
      if (found.has(pid) || !found.has(ppid)) continue;
      found.add(pid);
      grew = true;
    }
  }
  found.delete(process.pid);
  return [...found].sort((a, b) => a - b);
}

async function cgroupPids(dir: string): Promise<number[]> {
  if (!existsSync(dir)) return [];
  const pids = (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean).map(Number);
  for (const e of await readdir(dir, { withFileTypes: true })) if (e.isDirectory()) pids.push(...(await cgroupPids(join(dir, e.name))));
  return pids;
}

/** killHost SIGKILLs a host's processes, repeating (at most 20 rounds, ~4 s) until none is left; returns how many it killed. */
export async function killHost(host: LabHostState, cgroupDirs: string[]): Promise<number> {
  let killed = 0;
  for (let round = 0; round < 20; round++) {
    const pids = await hostPids(host, cgroupDirs);
    if (pids.length === 0) return killed;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        /* already gone */
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`processes of ${host.name} survive SIGKILL: ${(await hostPids(host, cgroupDirs)).join(' ')}`);
}

/** removeCgroups deletes cgroup folders bottom-up (their processes must be gone); missing ones are fine. */
export async function removeCgroups(dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  for (const e of await readdir(dir, { withFileTypes: true })) if (e.isDirectory()) await removeCgroups(join(dir, e.name));
  await rmdir(dir);
}
