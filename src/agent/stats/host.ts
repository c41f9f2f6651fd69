import { readFile } from 'node:fs/promises';
import type { NodeUsage } from './types.js';

/** USER_HZ is the tick /proc/stat counts in (100 on Linux builds for every architecture skiff runs on). */
const NS_PER_TICK = 1e9 / 100;

/** cpuFromProcStat sums the busy ticks of /proc/stat's `cpu` line (user nice system irq softirq steal) in core-nanoseconds. */
export function cpuFromProcStat(text: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return (user + nice + system + irq + softirq + steal) * NS_PER_TICK;
}

/** meminfo parses /proc/meminfo into bytes by field name. */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([^:]+):\s+(\d+)(?: kB)?/.exec(line);
    if (m) out.set(m[1] ?? '', Number(m[2]) * (line.endsWith('kB') ? 1024 : 1));
  }
  return out;
}

/**
 * readHostUsage reads the machine's CPU and memory, as the kubelet reports its host from the root
 * cgroup: usage is total minus free memory, the working set that minus inactive file pages, RSS the
 * anonymous pages. Several lab nodes share one machine, so each reports the machine's figures.
 */
export async function readHostUsage(now: number, procDir = '/proc'): Promise<NodeUsage> {
  const [stat, meminfo] = await Promise.all([readFile(`${procDir}/stat`, 'utf8'), readFile(`${procDir}/meminfo`, 'utf8')]);
  const cpu = cpuFromProcStat(stat);
  const mem = parseMeminfo(meminfo);
  const total = mem.get('MemTotal') ?? 0;
  const usage = total - (mem.get('MemFree') ?? 0);
  const workingSet = Math.max(0, usage - (mem.get('Inactive(file)') ?? 0));
  return {
    ...(cpu !== undefined ? { cpu: { time: now, usageCoreNanoSeconds: cpu } } : {}),
    memory: { time: now, workingSetBytes: workingSet, usageBytes: usage, rssBytes: mem.get('AnonPages') ?? 0, availableBytes: Math.max(0, total - workingSet) },
  };
}
