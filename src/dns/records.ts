import { isIPv4, isIPv6 } from 'node:net';
import type { KubeObject } from '../api/types.js';
import { arr, field, str } from '../api/object.js';

/** TTL is the time-to-live of every cluster answer, in seconds (CoreDNS's kubernetes plugin default). */
export const TTL = 5;

/** ClusterAnswer is one resource record the cluster zone holds. */
export type ClusterAnswer =
  | { type: 'A'; name: string; data: string }
  | { type: 'AAAA'; name: string; data: string }
  | { type: 'CNAME'; name: string; data: string }
  | { type: 'SRV'; name: string; data: { priority: number; weight: number; port: number; target: string } }
  | { type: 'PTR'; name: string; data: string }
  | { type: 'TXT'; name: string; data: string[] };

/** SCHEMA_VERSION is the Kubernetes DNS specification version, answered at `dns-version.<domain>` TXT. */
export const SCHEMA_VERSION = '1.1.0';

/** ZoneSnapshot is a zone's whole index, as sent between threads. */
export interface ZoneSnapshot {
  names: Map<string, ClusterAnswer[]>;
  existing: Set<string>;
}

/** Lookup is the result for one name: its records, or NXDOMAIN when the name does not exist. */
export interface Lookup {
  exists: boolean;
  answers: ClusterAnswer[];
}

/** addressType is the record type of an address (A or AAAA), undefined for anything else. */
const addressType = (ip: unknown): 'A' | 'AAAA' | undefined => (typeof ip !== 'string' ? undefined : isIPv4(ip) ? 'A' : isIPv6(ip) ? 'AAAA' : undefined);

/** expandIPv6 writes an IPv6 address as its 32 hex digits. */
function expandIPv6(ip: string): string {
  const [head = '', tail = ''] = ip.includes('::') ? ip.split('::') : [ip, ''];
  const groups = (g: string): string[] => (g ? g.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const all = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return all.map((g) => g.padStart(4, '0')).join('');
}

/** reverse is an address's PTR name (in-addr.arpa or ip6.arpa). */
const reverse = (ip: string): string =>
  isIPv6(ip) ? `${[...expandIPv6(ip)].reverse().join('.')}.ip6.arpa` : `${ip.split('.').reverse().join('.')}.in-addr.arpa`;

/** dashed is an address as one DNS label (`10-42-0-7`, `fd00--7`), as pod and endpoint names use it. */
const dashed = (ip: string): string => ip.replace(/[.:]/g, '-');

/**
 * ClusterRecords is the cluster zone, indexed by name: rebuilt from Services, EndpointSlices and
 * Pods on every change (cheap next to a query scan), so a query is one map lookup.
 */
export class ClusterRecords {
  private names = new Map<string, ClusterAnswer[]>();
  /** existing holds every name that exists, with or without records (parents, empty headless Services). */
  private existing = new Set<string>();

  constructor(readonly domain: string) {}

  /** rebuild replaces the zone with the records of the given objects (Kubernetes DNS specification). */
  rebuild(services: KubeObject[], slices: KubeObject[], pods: KubeObject[]): void {
    const names = new Map<string, ClusterAnswer[]>();
    const add = (r: ClusterAnswer): void => {
      const key = r.name.toLowerCase();
      const list = names.get(key) ?? [];
      if (!list.some((x) => JSON.stringify(x) === JSON.stringify(r))) list.push(r);
      names.set(key, list);
    };
    add({ type: 'TXT', name: `dns-version.${this.domain}`, data: [SCHEMA_VERSION] });
    const slicesBySvc = new Map<string, KubeObject[]>();
    for (const s of slices) {
      const key = `${s.metadata.namespace ?? ''}/${s.metadata.labels?.['kubernetes.io/service-name'] ?? ''}`;
      slicesBySvc.set(key, [...(slicesBySvc.get(key) ?? []), s]);
    }
    for (const svc of services) this.addService(svc, slicesBySvc.get(`${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`) ?? [], add);
    for (const p of pods) {
      if (field(p, 'spec', 'hostNetwork') === true) continue;
      const ips = new Set([str(p, 'status', 'podIP'), ...arr(p, 'status', 'podIPs').map((x) => str(x, 'ip'))]);
      for (const ip of ips) {
        const type = addressType(ip);
        if (type) add({ type, name: `${dashed(ip!)}.${p.metadata.namespace ?? ''}.pod.${this.domain}`, data: ip! });
      }
    }
    const existing = new Set<string>([this.domain]);
    for (const key of names.keys()) {
      if (key.endsWith('.in-addr.arpa') || key.endsWith('.ip6.arpa')) {
        existing.add(key);
        continue;
      }
      // Every name between a record and the domain exists too (`svc.cluster.local`, `ns.svc.…`).
      for (let n = key; n.length > this.domain.length && n.endsWith(this.domain); n = n.slice(n.indexOf('.') + 1)) existing.add(n);
    }
    for (const svc of services) existing.add(`${svc.metadata.name ?? ''}.${svc.metadata.namespace ?? ''}.svc.${this.domain}`);
    this.names = names;
    this.existing = existing;
  }

  private addService(svc: KubeObject, slices: KubeObject[], add: (r: ClusterAnswer) => void): void {
    const base = `${svc.metadata.name ?? ''}.${svc.metadata.namespace ?? ''}.svc.${this.domain}`;
    const type = str(svc, 'spec', 'type');
    if (type === 'ExternalName') {
      const target = str(svc, 'spec', 'externalName');
      if (target) add({ type: 'CNAME', name: base, data: target.replace(/\.$/, '') });
      return;
    }
    const clusterIP = str(svc, 'spec', 'clusterIP');
    const headless = clusterIP === 'None';
    const ports = arr(svc, 'spec', 'ports');
    if (!headless) {
      // Dual-stack Services list one address per family in clusterIPs (the first is clusterIP).
      const ips = [...new Set([clusterIP, ...arr(svc, 'spec', 'clusterIPs')])].filter((ip): ip is string => addressType(ip) !== undefined);
      if (!ips.length) return;
      for (const ip of ips) {
        add({ type: addressType(ip)!, name: base, data: ip });
        add({ type: 'PTR', name: reverse(ip), data: base });
      }
      for (const p of ports) {
        const pn = str(p, 'name');
        if (pn) add({ type: 'SRV', name: `_${pn}._${(str(p, 'protocol') ?? 'TCP').toLowerCase()}.${base}`, data: { priority: 0, weight: 100, port: Number(field(p, 'port')), target: base } });
      }
      // A pod address behind the Service answers PTR with its endpoint name, as CoreDNS does.
      for (const s of slices) {
        for (const e of arr(s, 'endpoints')) {
          for (const ip of arr(e, 'addresses')) if (addressType(ip)) add({ type: 'PTR', name: reverse(ip as string), data: `${str(e, 'hostname') ?? dashed(ip as string)}.${base}` });
        }
      }
      return;
    }
    // Headless: one A per ready endpoint, a name per endpoint hostname, SRV to each endpoint.
    const publishNotReady = field(svc, 'spec', 'publishNotReadyAddresses') === true;
    for (const s of slices) {
      for (const e of arr(s, 'endpoints')) {
        if (!publishNotReady && field(e, 'conditions', 'ready') === false) continue;
        for (const ip of arr(e, 'addresses')) {
          const type = addressType(ip);
          if (!type) continue;
          const addr = ip as string;
          add({ type, name: base, data: addr });
          const host = `${str(e, 'hostname') ?? dashed(addr)}.${base}`;
          add({ type, name: host, data: addr });
          add({ type: 'PTR', name: reverse(addr), data: host });
          for (const p of arr(s, 'ports')) {
            const pn = str(p, 'name');
            if (pn) add({ type: 'SRV', name: `_${pn}._${(str(p, 'protocol') ?? 'TCP').toLowerCase()}.${base}`, data: { priority: 0, weight: 100, port: Number(field(p, 'port')), target: host } });
          }
        }
      }
    }
  }

  /** snapshot is the zone's index, for another thread (structured clone keeps Maps and Sets). */
  snapshot(): ZoneSnapshot {
    return { names: this.names, existing: this.existing };
  }

  /** load replaces the zone with a snapshot taken elsewhere. */
  load(s: ZoneSnapshot): void {
    this.names = s.names;
    this.existing = s.existing;
  }

  /** inZone tells whether this zone is authoritative for a name (cluster domain or reverse zone). */
  inZone(name: string): boolean {
    const n = name.toLowerCase().replace(/\.$/, '');
    return n === this.domain || n.endsWith(`.${this.domain}`) || this.existing.has(n);
  }

  /** lookup answers one name and type: matching records, the CNAME of an ExternalName, or NXDOMAIN. */
  lookup(name: string, type: string): Lookup {
    const n = name.toLowerCase().replace(/\.$/, '');
    const list = this.names.get(n) ?? [];
    const cname = list.filter((r) => r.type === 'CNAME');
    if (cname.length && type !== 'CNAME') return { exists: true, answers: cname };
    return { exists: this.existing.has(n), answers: type === 'ANY' ? list : list.filter((r) => r.type === type) };
  }
}
