import type { KubeObject } from '../api/types.js';
import { arr, field, str } from '../api/object.js';

/** TTL is the time-to-live of every cluster answer, in seconds (CoreDNS's kubernetes plugin default). */
export const TTL = 5;

/** ClusterAnswer is one resource record the cluster zone holds. */
export type ClusterAnswer =
  | { type: 'A'; name: string; data: string }
  | { type: 'CNAME'; name: string; data: string }
  | { type: 'SRV'; name: string; data: { priority: number; weight: number; port: number; target: string } }
  | { type: 'PTR'; name: string; data: string };

/** Lookup is the result for one name: its records, or NXDOMAIN when the name does not exist. */
export interface Lookup {
  exists: boolean;
  answers: ClusterAnswer[];
}

const ipv4 = /^(\d{1,3}\.){3}\d{1,3}$/;
const reverse = (ip: string): string => `${ip.split('.').reverse().join('.')}.in-addr.arpa`;

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
    const slicesBySvc = new Map<string, KubeObject[]>();
    for (const s of slices) {
      const key = `${s.metadata.namespace ?? ''}/${s.metadata.labels?.['kubernetes.io/service-name'] ?? ''}`;
      slicesBySvc.set(key, [...(slicesBySvc.get(key) ?? []), s]);
    }
    for (const svc of services) this.addService(svc, slicesBySvc.get(`${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`) ?? [], add);
    for (const p of pods) {
      const ip = str(p, 'status', 'podIP');
      if (ip && ipv4.test(ip) && field(p, 'spec', 'hostNetwork') !== true) add({ type: 'A', name: `${ip.replace(/\./g, '-')}.${p.metadata.namespace ?? ''}.pod.${this.domain}`, data: ip });
    }
    const existing = new Set<string>([this.domain]);
    for (const key of names.keys()) {
      if (key.endsWith('.in-addr.arpa')) {
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
      if (!clusterIP || !ipv4.test(clusterIP)) return;
      add({ type: 'A', name: base, data: clusterIP });
      add({ type: 'PTR', name: reverse(clusterIP), data: base });
      for (const p of ports) {
        const pn = str(p, 'name');
        if (pn) add({ type: 'SRV', name: `_${pn}._${(str(p, 'protocol') ?? 'TCP').toLowerCase()}.${base}`, data: { priority: 0, weight: 100, port: Number(field(p, 'port')), target: base } });
      }
      return;
    }
    // Headless: one A per ready endpoint, a name per endpoint hostname, SRV to each endpoint.
    const publishNotReady = field(svc, 'spec', 'publishNotReadyAddresses') === true;
    for (const s of slices) {
      for (const e of arr(s, 'endpoints')) {
        if (!publishNotReady && field(e, 'conditions', 'ready') === false) continue;
        for (const ip of arr(e, 'addresses')) {
          if (typeof ip !== 'string' || !ipv4.test(ip)) continue;
          add({ type: 'A', name: base, data: ip });
          const host = `${str(e, 'hostname') ?? ip.replace(/\./g, '-')}.${base}`;
          add({ type: 'A', name: host, data: ip });
          if (str(e, 'hostname')) add({ type: 'PTR', name: reverse(ip), data: host });
          for (const p of arr(s, 'ports')) {
            const pn = str(p, 'name');
            if (pn) add({ type: 'SRV', name: `_${pn}._${(str(p, 'protocol') ?? 'TCP').toLowerCase()}.${base}`, data: { priority: 0, weight: 100, port: Number(field(p, 'port')), target: host } });
          }
        }
      }
    }
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
