// metrics-server's storage: the last two samples of every node and container, and the usage
// computed from them once per scrape, so that API reads only look answers up.
import type { ContainerPoint, MetricsPoint, PodPoints } from './resource_text.js';
import { cpuQuantity, goDuration, memoryQuantity } from './quantity.js';

/** FRESH_CONTAINER_MIN_MS: a container younger than this has no usage from its start alone (too inaccurate). */
const FRESH_CONTAINER_MIN_MS = 10_000;

/** Usage is metrics.k8s.io's usage map: CPU and memory as Quantity strings. */
export interface Usage {
  cpu: string;
  memory: string;
}

/** Sampled is when a usage was measured, also as the strings the API serves (made once per scrape, not per request). */
export interface Sampled {
  timestampMs: number;
  windowMs: number;
  /** timestamp is timestampMs as metav1.Time (RFC 3339, seconds). */
  timestamp: string;
  /** window is windowMs as metav1.Duration (Go's form: "15.004s"). */
  window: string;
}

/** NodeUsage is what a NodeMetrics says beyond its metadata. */
export interface NodeUsage extends Sampled {
  usage: Usage;
}

/** PodUsage is what a PodMetrics says beyond its metadata. */
export interface PodUsage extends Sampled {
  containers: { name: string; usage: Usage }[];
}

/** rfc3339 is metav1.Time's form: seconds precision, UTC. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function sampled(timestampMs: number, windowMs: number): Sampled {
  return { timestampMs, windowMs, timestamp: rfc3339(timestampMs), window: goDuration(windowMs) };
}

/** Scrape is one round over every node: each node's sample and its pods'. */
export interface Scrape {
  nodes: Map<string, MetricsPoint>;
  pods: PodPoints[];
}

/** PodRecord is a pod's last points and, at the same index, the previous point of each container (if any). */
interface PodRecord {
  last: ContainerPoint[];
  prev: (ContainerPoint | undefined)[];
}

/**
 * usageBetween is metrics-server's resourceUsage: the CPU rate between two cumulative samples in
 * nanocores, the last working set, the last sample's time and the window between the two;
 * undefined when the cumulative CPU went down (a counter reset).
 */
export function usageBetween(prev: MetricsPoint, last: MetricsPoint): { timestampMs: number; windowMs: number; usage: Usage } | undefined {
  const prevNs = Math.trunc(prev.cpuSeconds * 1e9);
  const lastNs = Math.trunc(last.cpuSeconds * 1e9);
  if (lastNs < prevNs) return undefined;
  const windowMs = last.timestampMs - prev.timestampMs;
  if (windowMs <= 0) return undefined;
  const nanocores = Math.trunc((lastNs - prevNs) / (windowMs / 1000));
  return { timestampMs: last.timestampMs, windowMs, usage: { cpu: cpuQuantity(nanocores), memory: memoryQuantity(last.memoryBytes) } };
}

/** MetricsStore keeps the last two scrapes' points and the usage they give. */
export class MetricsStore {
  private lastNodes = new Map<string, MetricsPoint>();
  private prevNodes = new Map<string, MetricsPoint>();
  private pods = new Map<string, PodRecord>();
  private nodeUsage = new Map<string, NodeUsage>();
  private podUsage = new Map<string, PodUsage>();

  /** metricResolutionMs is the scrape period (a container started within it gets usage from its start). */
  constructor(private readonly metricResolutionMs: number) {}

  /** node returns a node's usage, undefined until two samples are known. */
  node(name: string): NodeUsage | undefined {
    return this.nodeUsage.get(name);
  }

  /** pod returns a pod's usage, undefined until every container has two samples. */
  pod(namespace: string, name: string): PodUsage | undefined {
    return this.podUsage.get(`${namespace}/${name}`);
  }

  /** counts are the points kept, for logs and tests. */
  counts(): { nodes: number; pods: number } {
    return { nodes: this.nodeUsage.size, pods: this.podUsage.size };
  }

  /**
   * store replaces the last scrape with s: a node or pod missing from s is forgotten (as when
   * metrics-server fails to scrape its node); a point becomes "previous" only when the new one
   * is newer and its container has not restarted since.
   */
  store(s: Scrape): void {
    const lastNodes = new Map<string, MetricsPoint>();
    const prevNodes = new Map<string, MetricsPoint>();
    for (const [name, point] of s.nodes) {
      lastNodes.set(name, point);
      const before = this.lastNodes.get(name);
      if (before && point.timestampMs > before.timestampMs) prevNodes.set(name, before);
      else {
        const older = this.prevNodes.get(name);
        if (before && older && older.timestampMs < point.timestampMs) prevNodes.set(name, older);
      }
    }
    const pods = new Map<string, PodRecord>();
    for (const pod of s.pods) {
      const key = `${pod.namespace}/${pod.name}`;
      if (pods.has(key)) continue;
      const before = this.pods.get(key);
      const last: ContainerPoint[] = [];
      const prev: (ContainerPoint | undefined)[] = [];
      for (const c of pod.containers) {
        if (last.some((x) => x.name === c.name)) continue;
        last.push(c);
        prev.push(this.previousOf(before, c));
      }
      pods.set(key, { last, prev });
    }
    this.lastNodes = lastNodes;
    this.prevNodes = prevNodes;
    this.pods = pods;
    this.computeUsage();
  }

  /** previousOf picks the point a container's usage is measured from (metrics-server's rules). */
  private previousOf(record: PodRecord | undefined, c: ContainerPoint): ContainerPoint | undefined {
    const age = c.timestampMs - c.startTimeMs;
    // A container started within the last period: its start is a sample with no CPU used yet.
    if (c.startTimeMs > 0 && age > 0 && age < this.metricResolutionMs && age >= FRESH_CONTAINER_MIN_MS) {
      return { ...c, timestampMs: c.startTimeMs, cpuSeconds: 0 };
    }
    const i = record ? record.last.findIndex((x) => x.name === c.name) : -1;
    const before = i >= 0 ? record!.last[i] : undefined;
    // A start after the stored sample is a restart: the old counter means nothing now.
    if (!before || !(c.startTimeMs < before.timestampMs)) return undefined;
    if (c.timestampMs > before.timestampMs) return before;
    const older = record!.prev[i];
    return older && older.timestampMs < c.timestampMs ? older : undefined;
  }

  private computeUsage(): void {
    // Pods sampled in the same second and over the same window share their strings.
    const stamps = new Map<string, Sampled>();
    const stamp = (timestampMs: number, windowMs: number): Sampled => {
      const k = `${timestampMs}/${windowMs}`;
      let v = stamps.get(k);
      if (!v) stamps.set(k, (v = sampled(timestampMs, windowMs)));
      return v;
    };
    const nodeUsage = new Map<string, NodeUsage>();
    for (const [name, last] of this.lastNodes) {
      const prev = this.prevNodes.get(name);
      const u = prev && usageBetween(prev, last);
      if (u) nodeUsage.set(name, { ...sampled(u.timestampMs, u.windowMs), usage: u.usage });
    }
    const podUsage = new Map<string, PodUsage>();
    for (const [key, record] of this.pods) {
      const u = podUsageOf(record, stamp);
      if (u) podUsage.set(key, u);
    }
    this.nodeUsage = nodeUsage;
    this.podUsage = podUsage;
  }
}

/** podUsageOf is a pod's usage when every container has a previous point; its time is the earliest container's. */
function podUsageOf(record: PodRecord, stamp: (timestampMs: number, windowMs: number) => Sampled): PodUsage | undefined {
  const containers: PodUsage['containers'] = [];
  let earliest: { timestampMs: number; windowMs: number } | undefined;
  for (let i = 0; i < record.last.length; i++) {
    const p = record.prev[i];
    if (!p) return undefined;
    const l = record.last[i]!;
    const u = usageBetween(p, l);
    // A counter that went down leaves the container out, not the pod (metrics-server skips it).
    if (!u) continue;
    containers.push({ name: l.name, usage: u.usage });
    if (!earliest || u.timestampMs < earliest.timestampMs) earliest = u;
  }
  if (!earliest) return undefined;
  const t = stamp(earliest.timestampMs, earliest.windowMs);
  return { timestampMs: t.timestampMs, windowMs: t.windowMs, timestamp: t.timestamp, window: t.window, containers };
}
