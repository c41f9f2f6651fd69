import type { KubeObject } from '../../api/types.js';
import { arr, str } from '../../api/object.js';
import { parseQuantity } from '../../api/resources/core/quantity.js';
import type { ContainerUsage, CpuUsage, MemoryUsage } from '../stats/types.js';

/** SIMULATED_CPU_ANNOTATION sets a fake pod's CPU usage (a quantity, e.g. "500m"), shared by its containers in proportion to their CPU requests. */
export const SIMULATED_CPU_ANNOTATION = 'skiff.io/simulated-cpu';
/** SIMULATED_MEMORY_ANNOTATION sets a fake pod's working set (a quantity, e.g. "200Mi"), shared by its containers in proportion to their memory requests. */
export const SIMULATED_MEMORY_ANNOTATION = 'skiff.io/simulated-memory';

const MiB = 2 ** 20;
const JITTER = 0.1;
const PERIOD_MS = 60_000;
const OMEGA = (2 * Math.PI) / PERIOD_MS;

/**
 * SimulatedContainer is the usage model of one fake container. Without annotations: CPU at 10 % of
 * its request (at least 1m) with ±10 % jitter on a one-minute wave; a working set of half its
 * memory request (at least 8 MiB) that grows by up to 5 % over the first hour. With an annotation
 * the value is exact (no jitter, no growth), so autoscaling tests get predictable figures.
 * Cumulative CPU is the closed-form integral of the rate, so it only grows, even when the rate
 * changes (an annotation edited on a running pod).
 */
export class SimulatedContainer {
  private anchorMs: number;
  private anchorNs = 0;
  private rateNanoCores = 0;
  private jitter = JITTER;
  private memoryBytes = 0;
  private growth = 0.05;
  private readonly phase: number;
  private key = '';

  constructor(
    readonly name: string,
    readonly id: string,
    readonly image: string,
    readonly startMs: number,
  ) {
    this.anchorMs = startMs;
    // The id is random hex: its first bytes give each container its own phase.
    this.phase = (Number.parseInt(id.slice(0, 8), 16) / 0xffffffff || 0) * 2 * Math.PI;
  }

  /** memoryLimitBytes is the container's limits.memory (0: none). */
  memoryLimitBytes = 0;

  /** configure applies the pod's spec and annotations; cheap when the annotations did not change. */
  configure(pod: KubeObject, nowMs: number): void {
    const ann = pod.metadata.annotations ?? {};
    const key = `${ann[SIMULATED_CPU_ANNOTATION] ?? ''}|${ann[SIMULATED_MEMORY_ANNOTATION] ?? ''}`;
    if (key === this.key) return;
    this.key = key;
    const containers = arr(pod, 'spec', 'containers');
    const request = (c: unknown, res: string): number => parseQuantity(str(c, 'resources', 'requests', res) ?? str(c, 'resources', 'limits', res) ?? '0') ?? 0;
    const mine = containers.find((c) => str(c, 'name') === this.name);
    const share = (res: string): number => {
      const total = containers.reduce<number>((a, c) => a + request(c, res), 0);
      return total > 0 ? request(mine, res) / total : 1 / Math.max(1, containers.length);
    };
    const cpuAnn = parseQuantity(ann[SIMULATED_CPU_ANNOTATION] ?? '');
    const memAnn = parseQuantity(ann[SIMULATED_MEMORY_ANNOTATION] ?? '');
    const rate = cpuAnn !== undefined ? cpuAnn * share('cpu') * 1e9 : Math.max(1e6, request(mine, 'cpu') * 0.1 * 1e9);
    // Re-anchor the integral so usage so far is kept when the rate changes.
    this.anchorNs = this.cpuAt(nowMs);
    this.anchorMs = nowMs;
    this.rateNanoCores = rate;
    this.jitter = cpuAnn !== undefined ? 0 : JITTER;
    this.memoryBytes = memAnn !== undefined ? memAnn * share('memory') : Math.max(8 * MiB, request(mine, 'memory') * 0.5);
    this.growth = memAnn !== undefined ? 0 : 0.05;
    this.memoryLimitBytes = Math.floor(parseQuantity(str(mine, 'resources', 'limits', 'memory') ?? '0') ?? 0);
  }

  /** cpuAt is cumulative core-nanoseconds at t: ∫ rate·(1 + j·sin(ωt + φ)) from the anchor. */
  private cpuAt(t: number): number {
    if (t <= this.anchorMs) return this.anchorNs;
    const dtMs = t - this.anchorMs;
    const wave = (this.jitter / OMEGA) * (Math.cos(OMEGA * this.anchorMs + this.phase) - Math.cos(OMEGA * t + this.phase));
    return this.anchorNs + (this.rateNanoCores * (dtMs + wave)) / 1000;
  }

  /** usage samples the container at t. */
  usage(t: number): ContainerUsage {
    const cpu: CpuUsage = {
      time: t,
      usageCoreNanoSeconds: Math.round(this.cpuAt(t)),
      usageNanoCores: Math.round(this.rateNanoCores * (1 + this.jitter * Math.sin(OMEGA * t + this.phase))),
    };
    const ageHours = Math.max(0, t - this.startMs) / 3_600_000;
    const ws = Math.round(this.memoryBytes * (1 + this.growth * Math.min(1, ageHours)));
    const memory: MemoryUsage = { time: t, workingSetBytes: ws, usageBytes: Math.round(ws * 1.1), rssBytes: Math.round(ws * 0.8), pageFaults: 0, majorPageFaults: 0 };
    return { name: this.name, startTime: this.startMs, id: this.id, image: this.image, memoryLimitBytes: this.memoryLimitBytes, cpu, memory };
  }
}
