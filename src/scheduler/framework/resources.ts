import { arr, field, objAt, str } from '../../api/object.js';
import { isObject } from '../../api/types.js';
import { parseQuantity } from '../../api/resources/core/quantity.js';

/**
 * Resources is an amount of node resources in scheduler units: cpu in millicores, memory and
 * ephemeral storage in bytes, and any other (extended, hugepages) resource in its own unit.
 */
export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  scalar: Record<string, number>;
}

/** DEFAULT_MILLI_CPU_REQUEST is what scoring assumes for a container without a cpu request (100m). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** DEFAULT_MEMORY_REQUEST is what scoring assumes for a container without a memory request (200Mi). */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** emptyResources returns zero of everything. */
export function emptyResources(): Resources {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: {} };
}

function quantity(v: unknown): number {
  return typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) ?? 0 : 0;
}

/** resourcesOf reads a core/v1 ResourceList ({cpu: "100m", memory: "1Gi"}); "pods" is not a resource here. */
export function resourcesOf(list: unknown): Resources {
  const r = emptyResources();
  if (!isObject(list)) return r;
  for (const [name, v] of Object.entries(list)) {
    const q = quantity(v);
    if (name === 'cpu') r.milliCPU = Math.ceil(q * 1000 - 1e-9);
    else if (name === 'memory') r.memory = Math.ceil(q - 1e-9);
    else if (name === 'ephemeral-storage') r.ephemeralStorage = Math.ceil(q - 1e-9);
    else if (name !== 'pods') r.scalar[name] = q;
  }
  return r;
}

/** addInto adds b to a (in place) and returns a. */
export function addInto(a: Resources, b: Resources, sign = 1): Resources {
  a.milliCPU += sign * b.milliCPU;
  a.memory += sign * b.memory;
  a.ephemeralStorage += sign * b.ephemeralStorage;
  for (const [k, v] of Object.entries(b.scalar)) a.scalar[k] = (a.scalar[k] ?? 0) + sign * v;
  return a;
}

function maxInto(a: Resources, b: Resources): void {
  a.milliCPU = Math.max(a.milliCPU, b.milliCPU);
  a.memory = Math.max(a.memory, b.memory);
  a.ephemeralStorage = Math.max(a.ephemeralStorage, b.ephemeralStorage);
  for (const [k, v] of Object.entries(b.scalar)) a.scalar[k] = Math.max(a.scalar[k] ?? 0, v);
}

/** containerRequests reads a container's requests, falling back to limits as API defaulting does. */
function containerRequests(c: unknown, nonZero: boolean): Resources {
  const limits = resourcesOf(field(c, 'resources', 'limits'));
  const req = objAt(c, 'resources', 'requests');
  const r = req ? resourcesOf(req) : limits;
  if (req && req.cpu === undefined) r.milliCPU = limits.milliCPU;
  if (req && req.memory === undefined) r.memory = limits.memory;
  if (nonZero) {
    if (r.milliCPU === 0) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (r.memory === 0) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * podRequests computes what a pod asks of a node, as upstream's resource helper: the sum of its
 * containers, or the largest init container (plus the sidecars started before it) when bigger,
 * plus spec.overhead. Sidecars (init containers with restartPolicy Always) run beside the app, so
 * they count in the sum. With nonZero, containers without cpu/memory requests count as 100m/200Mi
 * (used for scoring, so empty pods still spread).
 */
export function podRequests(spec: unknown, nonZero = false): Resources {
  const sum = emptyResources();
  for (const c of arr(spec, 'containers')) addInto(sum, containerRequests(c, nonZero));
  const sidecars = emptyResources();
  const initMax = emptyResources();
  for (const c of arr(spec, 'initContainers')) {
    const r = containerRequests(c, nonZero);
    if (str(c, 'restartPolicy') === 'Always') {
      addInto(sum, r);
      addInto(sidecars, r);
    } else {
      maxInto(initMax, addInto(r, sidecars));
    }
  }
  maxInto(sum, initMax);
  return addInto(sum, resourcesOf(field(spec, 'overhead')));
}
