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

/** Contribution is what one object adds to the zone: records, and names that exist even without one (an empty headless Service). */
export interface Contribution {
  records: ClusterAnswer[];
  names: string[];
}

/** ZoneChange replaces one object's contribution (`svc:<ns>/<name>`, `pod:<ns>/<name>`); null removes it. */
export type ZoneChange = [key: string, contribution: Contribution | null];

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

const isReverse = (name: string): boolean => name.endsWith('.in-addr.arpa') || name.endsWith('.ip6.arpa');

/** serviceKey is the contribution key of a Service, `svc:<ns>/<name>` (its EndpointSlices count towards it). */
export const serviceKey = (namespace: string, name: string): string => `svc:${namespace}/${name}`;

/** podKey is the contribution key of a Pod. */
export const podKey = (namespace: string, name: string): string => `pod:${namespace}/${name}`;

/** srv adds `_<port>._<proto>.<base>` SRV pointing at target, for a named port. */
function srv(p: unknown, base: string, target: string, add: (r: ClusterAnswer) => void): void {
  const pn = str(p, 'name');
  if (pn) add({ type: 'SRV', name: `_${pn}._${(str(p, 'protocol') ?? 'TCP').toLowerCase()}.${base}`, data: { priority: 0, weight: 100, port: Number(field(p, 'port')), target } });
}

/** serviceRecords is what a Service and its EndpointSlices put in the zone (Kubernetes DNS specification). */
export function serviceRecords(domain: string, svc: KubeObject, slices: KubeObject[]): Contribution {
  const records: ClusterAnswer[] = [];
  const add = (r: ClusterAnswer): void => void records.push(r);
  const base = `${svc.metadata.name ?? ''}.${svc.metadata.namespace ?? ''}.svc.${domain}`;
  const out = { records, names: [base] };
  const type = str(svc, 'spec', 'type');
  if (type === 'ExternalName') {
    const target = str(svc, 'spec', 'externalName');
    if (target) add({ type: 'CNAME', name: base, data: target.replace(/\.$/, '') });
    return out;
  }
  const clusterIP = str(svc, 'spec', 'clusterIP');
  const headless = clusterIP === 'None';
  const ports = arr(svc, 'spec', 'ports');
  if (!headless) {
    // Dual-stack Services list one address per family in clusterIPs (the first is clusterIP).
    const ips = [...new Set([clusterIP, ...arr(svc, 'spec', 'clusterIPs')])].filter((ip): ip is string => addressType(ip) !== undefined);
    if (!ips.length) return out;
    for (const ip of ips) {
      add({ type: addressType(ip)!, name: base, data: ip });
      add({ type: 'PTR', name: reverse(ip), data: base });
    }
    for (const p of ports) srv(p, base, base, add);
    // A pod address behind the Service answers PTR with its endpoint name, as CoreDNS does.
    for (const s of slices) {
      for (const e of arr(s, 'endpoints')) {
        for (const ip of arr(e, 'addresses')) if (addressType(ip)) add({ type: 'PTR', name: reverse(ip as string), data: `${str(e, 'hostname') ?? dashed(ip as string)}.${base}` });
      }
    }
    return out;
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
        for (const p of arr(s, 'ports')) srv(p, base, host, add);
      }
    }
  }
  return out;
}

/** podRecords is what a Pod puts in the zone: `<dashed-ip>.<ns>.pod.<domain>` per address (none for host-network pods). */
export function podRecords(domain: string, p: KubeObject): Contribution {
  const records: ClusterAnswer[] = [];
  if (field(p, 'spec', 'hostNetwork') === true) return { records, names: [] };
  const ips = new Set([str(p, 'status', 'podIP'), ...arr(p, 'status', 'podIPs').map((x) => str(x, 'ip'))]);
  for (const ip of ips) {
    const type = addressType(ip);
    if (type) records.push({ type, name: `${dashed(ip!)}.${p.metadata.namespace ?? ''}.pod.${domain}`, data: ip! });
  }
  return { records, names: [] };
}

interface NameEntry {
  /** records by their JSON, each with how many contributions hold it. */
  records: Map<string, { record: ClusterAnswer; count: number }>;
  list?: ClusterAnswer[] | undefined;
}

/**
 * ClusterRecords is the cluster zone, indexed by name so a query is one map lookup. It is kept
 * per object: a change replaces one Service's or Pod's contribution and touches only its names
 * (a whole rebuild at 10,000 Services took hundreds of milliseconds per change). Names and
 * records are counted, so two objects holding the same record (a pod address behind two
 * Services) keep it until both let go.
 */
export class ClusterRecords {
  private names = new Map<string, NameEntry>();
  /** existing counts, per name, what makes it exist: records at or below it, or a contribution naming it. */
  private existing = new Map<string, number>();
  private contributions = new Map<string, Contribution>();

  constructor(readonly domain: string) {
    this.apply([['zone', { records: [{ type: 'TXT', name: `dns-version.${domain}`, data: [SCHEMA_VERSION] }], names: [domain] }]]);
  }

  /** apply replaces the contributions of the given keys. */
  apply(changes: ZoneChange[]): void {
    for (const [key, next] of changes) {
      const old = this.contributions.get(key);
      if (old) this.count(old, -1);
      if (next) {
        this.contributions.set(key, next);
        this.count(next, 1);
      } else this.contributions.delete(key);
    }
  }

  /** rebuild replaces the whole zone with the records of the given objects. */
  rebuild(services: KubeObject[], slices: KubeObject[], pods: KubeObject[]): void {
    const slicesBySvc = new Map<string, KubeObject[]>();
    for (const s of slices) {
      const key = serviceKey(s.metadata.namespace ?? '', s.metadata.labels?.['kubernetes.io/service-name'] ?? '');
      slicesBySvc.set(key, [...(slicesBySvc.get(key) ?? []), s]);
    }
    const changes: ZoneChange[] = [...this.contributions.keys()].filter((k) => k !== 'zone').map((k) => [k, null]);
    for (const svc of services) {
      const key = serviceKey(svc.metadata.namespace ?? '', svc.metadata.name ?? '');
      changes.push([key, serviceRecords(this.domain, svc, slicesBySvc.get(key) ?? [])]);
    }
    for (const p of pods) changes.push([podKey(p.metadata.namespace ?? '', p.metadata.name ?? ''), podRecords(this.domain, p)]);
    this.apply(changes);
  }

  private count(c: Contribution, by: 1 | -1): void {
    for (const r of c.records) {
      const name = r.name.toLowerCase();
      let entry = this.names.get(name);
      if (!entry) this.names.set(name, (entry = { records: new Map() }));
      const id = JSON.stringify(r);
      const held = entry.records.get(id);
      if (by > 0 && !held) entry.records.set(id, { record: r, count: 1 });
      else if (held) {
        held.count += by;
        if (held.count <= 0) entry.records.delete(id);
      }
      entry.list = undefined;
      if (entry.records.size === 0) this.names.delete(name);
      this.countExisting(name, by);
    }
    for (const n of c.names) this.countExisting(n.toLowerCase(), by);
  }

  /** countExisting counts a name and, in the cluster domain, every name between it and the domain (`svc.cluster.local`, `ns.svc.…`). */
  private countExisting(name: string, by: 1 | -1): void {
    const bump = (n: string): void => {
      const c = (this.existing.get(n) ?? 0) + by;
      if (c > 0) this.existing.set(n, c);
      else this.existing.delete(n);
    };
    if (isReverse(name) || !name.endsWith(this.domain)) return bump(name);
    for (let n = name; n.length >= this.domain.length; n = n.slice(n.indexOf('.') + 1)) {
      bump(n);
      if (n === this.domain) break;
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
    const entry = this.names.get(n);
    const list = entry ? (entry.list ??= [...entry.records.values()].map((x) => x.record)) : [];
    const cname = list.filter((r) => r.type === 'CNAME');
    if (cname.length && type !== 'CNAME') return { exists: true, answers: cname };
    return { exists: this.existing.has(n), answers: type === 'ANY' ? list : list.filter((r) => r.type === type) };
  }
}
