import type { Clock } from '../../../lib/clock.js';
import type { ContainerState, CriClient, PodSandboxState } from '../../cri/types.js';

/** RelistSnapshot is what one ListPodSandbox + ListContainers pair showed: each object's state by id. */
export interface RelistSnapshot {
  sandboxes: Map<string, PodSandboxState>;
  containers: Map<string, ContainerState>;
}

/**
 * Relist shares one ListPodSandbox + ListContainers among all pod workers, as the kubelet's PLEG
 * relist does: get() answers from a listing at most maxAgeMs old (a listing in flight is shared),
 * so N steady pods cost two CRI calls per maxAgeMs instead of 2N status calls per poll; workers ask
 * for a full status only when the listed state differs from what they hold. A failed listing
 * yields undefined, and callers then ask per object as before.
 */
export class Relist {
  private last: Promise<RelistSnapshot | undefined> | undefined;
  private takenAt = 0;

  constructor(
    private readonly cri: CriClient,
    private readonly clock: Clock,
    private readonly maxAgeMs: number,
  ) {}

  /** get returns a listing started at most maxAgeMs ago, or undefined when listing failed. */
  get(): Promise<RelistSnapshot | undefined> {
    const now = this.clock.now();
    if (!this.last || now - this.takenAt >= this.maxAgeMs) {
      this.takenAt = now;
      this.last = this.list();
    }
    return this.last;
  }

  private async list(): Promise<RelistSnapshot | undefined> {
    try {
      const [sandboxes, containers] = await Promise.all([this.cri.listPodSandbox(), this.cri.listContainers()]);
      return { sandboxes: new Map(sandboxes.map((s) => [s.id, s.state])), containers: new Map(containers.map((c) => [c.id, c.state])) };
    } catch {
      return undefined;
    }
  }
}
