import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CpuUsage, MemoryUsage } from './types.js';

/** CgroupUsage is what a cgroup's files say about its CPU and memory. */
export interface CgroupUsage {
  cpu?: CpuUsage;
  memory?: MemoryUsage;
}

async function text(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

function statField(stat: string | undefined, key: string): number | undefined {
  const m = stat && new RegExp(`^${key} (\\d+)$`, 'm').exec(stat);
  return m ? Number(m[1]) : undefined;
}

/** cgroupVersion tells a unified (v2) hierarchy from per-controller (v1) mounts under root. */
export async function cgroupVersion(root: string): Promise<1 | 2> {
  try {
    await access(join(root, 'cgroup.controllers'));
    return 2;
  } catch {
    return 1;
  }
}

/**
 * readCgroupUsage reads one cgroup (path relative to the hierarchy, e.g. `/skiff/node1/pod<uid>`)
 * as cAdvisor does: v2 cpu.stat usage_usec, memory.current, memory.stat anon / inactive_file /
 * pgfault / pgmajfault; v1 cpuacct.usage, memory.usage_in_bytes and memory.stat's total_* fields.
 * The working set is usage minus inactive file pages. Missing files leave their part out.
 */
export async function readCgroupUsage(root: string, version: 1 | 2, path: string, now: number): Promise<CgroupUsage> {
  const out: CgroupUsage = {};
  if (version === 2) {
    const dir = join(root, path);
    const [cpuStat, current, memStat] = await Promise.all([text(join(dir, 'cpu.stat')), text(join(dir, 'memory.current')), text(join(dir, 'memory.stat'))]);
    const usec = statField(cpuStat, 'usage_usec');
    if (usec !== undefined) out.cpu = { time: now, usageCoreNanoSeconds: usec * 1000 };
    if (current !== undefined) {
      const usage = Number(current.trim());
      const inactive = statField(memStat, 'inactive_file') ?? 0;
      out.memory = withFaults({ time: now, usageBytes: usage, workingSetBytes: Math.max(0, usage - inactive), rssBytes: statField(memStat, 'anon') ?? 0 }, memStat, 'pgfault', 'pgmajfault');
    }
    return out;
  }
  const [cpuacct, usageText, memStat] = await Promise.all([
    text(join(root, 'cpuacct', path, 'cpuacct.usage')), text(join(root, 'memory', path, 'memory.usage_in_bytes')), text(join(root, 'memory', path, 'memory.stat')),
  ]);
  if (cpuacct !== undefined) out.cpu = { time: now, usageCoreNanoSeconds: Number(cpuacct.trim()) };
  if (usageText !== undefined) {
    const usage = Number(usageText.trim());
    const inactive = statField(memStat, 'total_inactive_file') ?? 0;
    out.memory = withFaults({ time: now, usageBytes: usage, workingSetBytes: Math.max(0, usage - inactive), rssBytes: statField(memStat, 'total_rss') ?? 0 }, memStat, 'total_pgfault', 'total_pgmajfault');
  }
  return out;
}

function withFaults(m: MemoryUsage, stat: string | undefined, minor: string, major: string): MemoryUsage {
  const pf = statField(stat, minor);
  const mpf = statField(stat, major);
  return { ...m, ...(pf !== undefined ? { pageFaults: pf } : {}), ...(mpf !== undefined ? { majorPageFaults: mpf } : {}) };
}
