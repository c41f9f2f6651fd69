import type { Clock } from '../../lib/clock.js';
import type { CpuUsage, MemoryUsage, NodeStatsSnapshot, RuntimeStats } from './types.js';

/** HOUSEKEEPING_MS is how long a collection is served before the next (the kubelet's housekeeping interval). */
export const HOUSEKEEPING_MS = 10_000;

/** NodeStatsOptions configure a NodeStatsCollector. */
export interface NodeStatsOptions {
  nodeName: string;
  /** source is the runtime's stats (Runtime.stats). */
  source: () => Promise<RuntimeStats>;
  clock: Clock;
  /** machine is the node's CPU cores and memory bytes (its capacity): availableBytes is memory minus working set. */
  machine: { cpuCores: number; memoryBytes: number };
  /** cacheMs is how long one collection is reused (default HOUSEKEEPING_MS). */
  cacheMs?: number;
  /** startTime is the node's start (default: when the collector was made). */
  startTime?: number;
}

interface Previous {
  time: number;
  usage: number;
}

/**
 * NodeStatsCollector turns a runtime's stats into the snapshots the kubelet endpoints render: one
 * collection serves every request for cacheMs (a collection in flight is shared), so scrapers cost
 * one runtime call per interval whatever their number. It fills what sources leave out as the
 * kubelet does: usageNanoCores from the previous sample of the same object, availableBytes from
 * the node's memory (the container's limit for containers).
 */
export class NodeStatsCollector {
  private last: Promise<NodeStatsSnapshot> | undefined;
  private takenAt = -Infinity;
  private previous = new Map<string, Previous>();
  private readonly startTime: number;

  constructor(private readonly opts: NodeStatsOptions) {
    this.startTime = opts.startTime ?? opts.clock.now();
  }

  /** snapshot returns a collection at most cacheMs old. */
  snapshot(): Promise<NodeStatsSnapshot> {
    const now = this.opts.clock.now();
    if (!this.last || now - this.takenAt >= (this.opts.cacheMs ?? HOUSEKEEPING_MS)) {
      this.takenAt = now;
      this.last = this.collect();
    }
    return this.last;
  }

  private async collect(): Promise<NodeStatsSnapshot> {
    const base = { nodeName: this.opts.nodeName, nodeStartTime: this.startTime, machine: this.opts.machine };
    let stats: RuntimeStats;
    try {
      stats = await this.opts.source();
    } catch (e) {
      return { ...base, node: {}, pods: [], error: (e as Error)?.message ?? String(e) };
    }
    const seen = new Map<string, Previous>();
    const rate = (key: string, cpu: CpuUsage | undefined): void => {
      if (!cpu) return;
      const prev = this.previous.get(key);
      if (cpu.usageNanoCores === undefined && prev && cpu.time > prev.time && cpu.usageCoreNanoSeconds >= prev.usage) {
        cpu.usageNanoCores = Math.round(((cpu.usageCoreNanoSeconds - prev.usage) * 1000) / (cpu.time - prev.time));
      }
      seen.set(key, { time: cpu.time, usage: cpu.usageCoreNanoSeconds });
    };
    const available = (m: MemoryUsage | undefined, limit: number): void => {
      if (m && m.availableBytes === undefined && limit > 0) m.availableBytes = Math.max(0, limit - m.workingSetBytes);
    };
    rate('node', stats.node.cpu);
    available(stats.node.memory, this.opts.machine.memoryBytes);
    for (const p of stats.pods) {
      rate(p.uid, p.cpu);
      for (const c of p.containers) {
        rate(`${p.uid}/${c.id}`, c.cpu);
        available(c.memory, c.memoryLimitBytes);
      }
    }
    // Objects gone since the last collection are forgotten.
    this.previous = seen;
    return { ...base, ...stats };
  }
}
