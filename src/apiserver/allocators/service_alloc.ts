import { randomInt } from 'node:crypto';
import type { KubeObject } from '../../api/types.js';
import { isObject } from '../../api/types.js';
import { errors } from '../../api/errors.js';
import type { FieldError } from '../../api/field_errors.js';
import { arr, str } from '../../api/object.js';
import type { AdmissionPlugin, AdmissionRequest } from '../admission.js';
import { cidrContains, intToIp, ipToInt, parseCidr, type Cidr } from './ip_range.js';

/** ServiceAllocatorOptions: the ranges and a view of the Services that exist. */
export interface ServiceAllocatorOptions {
  serviceCIDR: string;
  nodePortRange: { min: number; max: number };
  /** services lists every stored Service (from the watch cache). */
  services: () => KubeObject[];
}

const needsNodePorts = (type: string | undefined): boolean => type === 'NodePort' || type === 'LoadBalancer';

/**
 * serviceAllocator is the admission step that gives Services their ClusterIP and NodePorts, as
 * kube-apiserver's service REST storage does: requested values are checked against the ranges
 * and current use, missing ones are picked at random; updates keep what was allocated.
 */
export function serviceAllocator(opts: ServiceAllocatorOptions): AdmissionPlugin {
  const cidr = parseCidr(opts.serviceCIDR);
  const { min, max } = opts.nodePortRange;
  // Reservations of writes in flight, so two concurrent creates never get the same value.
  const pendingIPs = new Set<string>();
  const pendingPorts = new Set<number>();
  const inFlight = new WeakMap<AdmissionRequest, { ips: string[]; ports: number[] }>();

  const usedIPs = (exceptUid?: string): Set<string> => {
    const s = new Set(pendingIPs);
    for (const svc of opts.services()) if (svc.metadata.uid !== exceptUid) for (const ip of clusterIPsOf(svc)) s.add(ip);
    return s;
  };
  const usedPorts = (exceptUid?: string): Set<number> => {
    const s = new Set(pendingPorts);
    for (const svc of opts.services()) {
      if (svc.metadata.uid === exceptUid) continue;
      for (const p of arr(svc, 'spec', 'ports')) if (isObject(p) && typeof p.nodePort === 'number') s.add(p.nodePort);
    }
    return s;
  };

  return {
    name: 'ServiceAllocation',
    admit(req) {
      if (req.type.plural !== 'services' || req.type.group !== '' || req.subresource === 'status' || req.subresource === 'delete') return;
      const spec = req.obj.spec;
      if (!isObject(spec)) return;
      const taken = { ips: [] as string[], ports: [] as number[] };
      const errs: FieldError[] = [];
      allocateIP(spec, req.old, cidr, usedIPs(req.obj.metadata.uid), errs, taken.ips);
      allocatePorts(spec, req.old, { min, max }, usedPorts(req.obj.metadata.uid), errs, taken.ports);
      if (errs.length) throw errors.invalid({ group: '', resource: 'services', kind: 'Service' }, req.name, errs);
      for (const ip of taken.ips) pendingIPs.add(ip);
      for (const p of taken.ports) pendingPorts.add(p);
      inFlight.set(req, taken);
    },
    committed(req) {
      const taken = inFlight.get(req);
      if (!taken) return;
      for (const ip of taken.ips) pendingIPs.delete(ip);
      for (const p of taken.ports) pendingPorts.delete(p);
    },
  };
}

function clusterIPsOf(svc: KubeObject): string[] {
  const ips = arr(svc, 'spec', 'clusterIPs').filter((x): x is string => typeof x === 'string');
  const ip = str(svc, 'spec', 'clusterIP');
  if (ip && !ips.includes(ip)) ips.push(ip);
  return ips.filter((x) => x !== 'None' && x !== '');
}

function allocateIP(spec: Record<string, unknown>, old: KubeObject | undefined, cidr: Cidr, used: Set<string>, errs: FieldError[], taken: string[]): void {
  if (spec.type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    return;
  }
  const oldIP = old ? str(old, 'spec', 'clusterIP') : undefined;
  let ip = typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? spec.clusterIP : undefined;
  if (!ip && Array.isArray(spec.clusterIPs) && typeof spec.clusterIPs[0] === 'string' && spec.clusterIPs[0]) ip = spec.clusterIPs[0];
  if (!ip && oldIP) ip = oldIP; // updates keep the allocated address
  if (ip === 'None') {
    spec.clusterIP = 'None';
    spec.clusterIPs = ['None'];
    return;
  }
  if (ip && ip === oldIP) {
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
    return;
  }
  if (ip) {
    if (ipToInt(ip) === undefined) return; // validation reports the syntax
    if (!cidrContains(cidr, ip)) {
      errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', badValue: [ip], detail: `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${cidr.text}` });
      return;
    }
    if (used.has(ip)) {
      errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', badValue: [ip], detail: `failed to allocate IP ${ip}: provided IP is already allocated` });
      return;
    }
  } else {
    ip = pickFree(cidr, used);
    if (!ip) {
      errs.push({ type: 'InternalError', field: 'spec.clusterIPs', detail: `failed to allocate a serviceIP: range is full` });
      return;
    }
  }
  spec.clusterIP = ip;
  spec.clusterIPs = [ip];
  taken.push(ip);
}

function pickFree(cidr: Cidr, used: Set<string>): string | undefined {
  const usable = cidr.size - 2;
  // Dynamic picks avoid the low band kept for static addresses (10.43.0.1, the DNS 10.43.0.10),
  // as upstream's static subrange does; then a full scan so a nearly full range still works.
  const band = Math.min(Math.max(16, Math.floor(cidr.size / 16)), 256);
  for (let i = 0; i < 64 && usable > band; i++) {
    const ip = intToIp(cidr.base + 1 + band + randomInt(usable - band));
    if (!used.has(ip)) return ip;
  }
  for (let n = 1; n <= usable; n++) {
    const ip = intToIp(cidr.base + n);
    if (!used.has(ip)) return ip;
  }
  return undefined;
}

function allocatePorts(spec: Record<string, unknown>, old: KubeObject | undefined, range: { min: number; max: number }, used: Set<number>, errs: FieldError[], taken: number[]): void {
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  if (!needsNodePorts(typeof spec.type === 'string' ? spec.type : undefined)) {
    for (const p of ports) if (isObject(p)) delete p.nodePort;
    return;
  }
  const oldPorts = old ? arr(old, 'spec', 'ports').filter(isObject) : [];
  ports.forEach((p, i) => {
    if (!isObject(p)) return;
    const kept = oldPorts.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'))?.nodePort;
    const want = typeof p.nodePort === 'number' && p.nodePort !== 0 ? p.nodePort : undefined;
    if (want === undefined && typeof kept === 'number') {
      p.nodePort = kept;
      return;
    }
    if (want !== undefined) {
      if (want === kept) return;
      if (want < range.min || want > range.max) {
        errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, badValue: want, detail: `provided port is not in the valid range. The range of valid ports is ${range.min}-${range.max}` });
      } else if (used.has(want)) {
        errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, badValue: want, detail: 'provided port is already allocated' });
      } else {
        used.add(want);
        taken.push(want);
      }
      return;
    }
    const free = pickPort(range, used);
    if (free === undefined) {
      errs.push({ type: 'InternalError', field: `spec.ports[${i}].nodePort`, detail: 'failed to allocate a nodePort: range is full' });
      return;
    }
    used.add(free);
    taken.push(free);
    p.nodePort = free;
  });
}

function pickPort(range: { min: number; max: number }, used: Set<number>): number | undefined {
  const size = range.max - range.min + 1;
  for (let i = 0; i < 64; i++) {
    const p = range.min + randomInt(size);
    if (!used.has(p)) return p;
  }
  for (let p = range.min; p <= range.max; p++) if (!used.has(p)) return p;
  return undefined;
}
