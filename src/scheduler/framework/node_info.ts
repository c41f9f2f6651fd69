import type { KubeObject } from '../../api/types.js';
import { arr, field, num, str } from '../../api/object.js';
import { parseQuantity } from '../../api/resources/core/quantity.js';
import { addInto, emptyResources, resourcesOf, type Resources } from './resources.js';
import { taintsOf, type Taint } from './taints.js';
import type { HostPort, PodInfo } from './pod_info.js';
import { normalizeImageName } from './images.js';

/** ZONE_LABEL is the well-known zone topology label. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

function readyOf(node: KubeObject): 'True' | 'False' | 'Unknown' {
  const c = arr(node, 'status', 'conditions').find((x) => str(x, 'type') === 'Ready');
  const s = str(c, 'status');
  return s === 'True' || s === 'False' ? s : 'Unknown';
}

function imagesOf(node: KubeObject): Map<string, number> {
  const out = new Map<string, number>();
  for (const img of arr(node, 'status', 'images')) {
    const size = num(img, 'sizeBytes') ?? 0;
    for (const n of arr(img, 'names')) if (typeof n === 'string') out.set(normalizeImageName(n), size);
  }
  return out;
}

/**
 * NodeInfo is the scheduler's aggregate view of one node: its properties parsed once per node
 * update, and the requested resources, pod count and host ports of the pods bound (or assumed)
 * there, kept up to date incrementally so a Filter is a handful of comparisons.
 */
export class NodeInfo {
  node: KubeObject | undefined;
  labels: Record<string, string> = {};
  taints: Taint[] = [];
  unschedulable = false;
  ready: 'True' | 'False' | 'Unknown' = 'Unknown';
  allocatable: Resources = emptyResources();
  allowedPods = 0;
  zone: string | undefined;
  images = new Map<string, number>();
  readonly requested: Resources = emptyResources();
  readonly nonZeroRequested: Resources = emptyResources();
  readonly pods = new Map<string, PodInfo>();
  /** usedPorts maps "protocol/port" to the host IPs bound with a use count. */
  readonly usedPorts = new Map<string, Map<string, number>>();

  constructor(readonly name: string) {}

  /** setNode refreshes the node's parsed properties (allocatable falls back to capacity). */
  setNode(node: KubeObject): void {
    this.node = node;
    this.labels = node.metadata.labels ?? {};
    this.zone = this.labels[ZONE_LABEL] ?? this.labels['failure-domain.beta.kubernetes.io/zone'];
    this.taints = taintsOf(node);
    this.unschedulable = field(node, 'spec', 'unschedulable') === true;
    this.ready = readyOf(node);
    const list = field(node, 'status', 'allocatable') ?? field(node, 'status', 'capacity');
    this.allocatable = resourcesOf(list);
    const pods = field(list, 'pods');
    this.allowedPods = typeof pods === 'string' || typeof pods === 'number' ? parseQuantity(pods) ?? 0 : 0;
    this.images = imagesOf(node);
  }

  /** addPod counts a pod's requests and ports on this node. */
  addPod(p: PodInfo): void {
    if (this.pods.has(p.key)) this.removePod(p.key);
    this.pods.set(p.key, p);
    addInto(this.requested, p.requests);
    addInto(this.nonZeroRequested, p.nonZero);
    for (const hp of p.hostPorts) this.changePort(hp, 1);
  }

  /** removePod uncounts a pod; unknown keys are ignored. */
  removePod(key: string): PodInfo | undefined {
    const p = this.pods.get(key);
    if (!p) return undefined;
    this.pods.delete(key);
    addInto(this.requested, p.requests, -1);
    addInto(this.nonZeroRequested, p.nonZero, -1);
    for (const hp of p.hostPorts) this.changePort(hp, -1);
    return p;
  }

  private changePort(hp: HostPort, delta: number): void {
    const k = `${hp.protocol}/${hp.port}`;
    let ips = this.usedPorts.get(k);
    if (!ips) this.usedPorts.set(k, (ips = new Map()));
    const ip = hp.ip || '0.0.0.0';
    const n = (ips.get(ip) ?? 0) + delta;
    if (n > 0) ips.set(ip, n);
    else ips.delete(ip);
    if (ips.size === 0) this.usedPorts.delete(k);
  }

  /** portConflicts tells whether a host port clashes with one in use (0.0.0.0 clashes with all). */
  portConflicts(hp: HostPort): boolean {
    const ips = this.usedPorts.get(`${hp.protocol}/${hp.port}`);
    if (!ips) return false;
    const ip = hp.ip || '0.0.0.0';
    return ip === '0.0.0.0' || ips.has('0.0.0.0') || ips.has(ip);
  }
}
