/** Pod QoS class, computed as kube's qos.GetPodQOS does from cpu and memory requests and limits. */
import { arr, objAt } from '../../object.js';
import { isObject } from '../../types.js';
import { parseQuantity } from './quantity.js';

/** QOSClass is a pod's quality-of-service class. */
export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const qosResources = ['cpu', 'memory'];

function quantities(m: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (!isObject(m)) return out;
  for (const name of qosResources) {
    const raw = m[name];
    const q = typeof raw === 'string' || typeof raw === 'number' ? parseQuantity(raw) : undefined;
    if (q !== undefined && q !== 0) out.set(name, q);
  }
  return out;
}

function add(sum: Map<string, number>, more: Map<string, number>): void {
  for (const [k, v] of more) sum.set(k, (sum.get(k) ?? 0) + v);
}

/**
 * podQOSClass returns BestEffort when no container sets cpu/memory requests or limits, Guaranteed when
 * every container limits both and the summed requests equal the summed limits, Burstable otherwise.
 */
export function podQOSClass(spec: unknown): QOSClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  const containers = [...arr(spec, 'initContainers'), ...arr(spec, 'containers')];
  for (const c of containers) {
    add(requests, quantities(objAt(c, 'resources', 'requests')));
    const l = quantities(objAt(c, 'resources', 'limits'));
    add(limits, l);
    if (!qosResources.every((r) => l.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [k, v] of requests) if (limits.get(k) !== v) guaranteed = false;
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
