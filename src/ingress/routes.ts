import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import type { KubeObject } from '../api/types.js';
import { arr, field, num, objAt, str } from '../api/object.js';
import { ingressHandledBy, SKIFF_INGRESS_CLASS, SKIFF_INGRESS_CONTROLLER } from '../api/resources/networking/ingressclasses.js';
import { usableEndpoints } from '../api/resources/discovery/usable_endpoints.js';

export { SKIFF_INGRESS_CONTROLLER as INGRESS_CONTROLLER, SKIFF_INGRESS_CLASS as INGRESS_CLASS };

/** Target is where a matched request goes: an upstream, or a fixed answer (404 no route, 503 no endpoint). */
export type Target = { kind: 'upstream'; upstream: string } | { kind: 'status'; code: 404 | 503 };

/**
 * Location is one nginx-style match: `exact` compares the whole path, `prefix` is a string prefix;
 * the longest prefix wins and an exact match beats every prefix (Kubernetes' precedence).
 */
export interface Location {
  match: 'exact' | 'prefix';
  path: string;
  target: Target;
}

/** VirtualHost is one host name (`*.x` for a wildcard, '' for requests no host matches). */
export interface VirtualHost {
  host: string;
  locations: Location[];
  /** tls names the Secret (namespace/name) whose certificate serves this host over HTTPS. */
  tls?: string;
}

/** Upstream is one Service port's ready endpoints. */
export interface Upstream {
  name: string;
  servers: string[];
}

/** Certificate is a validated kubernetes.io/tls Secret, PEM text. */
export interface Certificate {
  cert: string;
  key: string;
}

/** IngressModel is everything the data plane needs, in a stable order. */
export interface IngressModel {
  hosts: VirtualHost[];
  upstreams: Upstream[];
  certificates: Map<string, Certificate>;
  /** problems are per-object complaints worth a log line (bad secret, unknown service…). */
  problems: string[];
}

/** IngressInput is what a model is built from (informer caches). */
export interface IngressInput {
  ingresses: KubeObject[];
  classes: KubeObject[];
  services: (key: string) => KubeObject | undefined;
  endpointSlices: (namespace: string, service: string) => KubeObject[];
  secrets: (key: string) => KubeObject | undefined;
  nodeName: string;
}

interface Route {
  loc: Location;
  /** rank: an Exact path beats the exact half of a Prefix path on the same string. */
  rank: number;
}

interface HostBuild {
  routes: Map<string, Route>;
  fallback?: Target;
  tls?: string;
}

function byAge(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`);
}

/** locationsFor turns one Ingress path into nginx-style locations (upstream's path-type rules). */
export function locationsFor(pathType: string, path: string): { match: 'exact' | 'prefix'; path: string; rank: number }[] {
  if (pathType === 'Exact') return [{ match: 'exact', path, rank: 0 }];
  if (pathType === 'Prefix') {
    // Prefix matches whole path elements: /foo serves /foo and /foo/…, never /foobar; a trailing / is ignored.
    const base = path.replace(/\/+$/, '');
    if (base === '') return [{ match: 'prefix', path: '/', rank: 1 }];
    return [{ match: 'exact', path: base, rank: 1 }, { match: 'prefix', path: `${base}/`, rank: 1 }];
  }
  // ImplementationSpecific: a plain string prefix (as Traefik's PathPrefix).
  return [{ match: 'prefix', path: path || '/', rank: 1 }];
}

function upstreamName(ns: string, svc: string, port: string): string {
  const h = createHash('sha256').update(`${ns}/${svc}/${port}`).digest('hex').slice(0, 8);
  return `${ns}_${svc}_${port}`.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 60) + `_${h}`;
}

/** validCertificate checks a kubernetes.io/tls Secret holds a certificate and the key that matches it. */
export function validCertificate(secret: KubeObject | undefined): Certificate | string {
  if (!secret) return 'not found';
  const data = objAt(secret, 'data');
  const crt = typeof data?.['tls.crt'] === 'string' ? Buffer.from(data['tls.crt'], 'base64').toString() : '';
  const key = typeof data?.['tls.key'] === 'string' ? Buffer.from(data['tls.key'], 'base64').toString() : '';
  if (!crt || !key) return 'has no tls.crt and tls.key';
  try {
    if (!new X509Certificate(crt).checkPrivateKey(createPrivateKey(key))) return 'tls.key does not match tls.crt';
  } catch (e) {
    return `cannot be read: ${(e as Error).message}`;
  }
  return { cert: crt.trimEnd() + '\n', key: key.trimEnd() + '\n' };
}

/**
 * buildIngressModel turns the Ingresses this controller serves into virtual hosts: rules per host,
 * oldest Ingress first when two claim the same host and path, each host falling back to its
 * Ingress's defaultBackend (else the cluster-wide one, else 404); unknown hosts get the oldest
 * defaultBackend or 404. Backends resolve to the Service port's ready endpoints (503 when none).
 */
export function buildIngressModel(input: IngressInput): IngressModel {
  const problems: string[] = [];
  const upstreams = new Map<string, Upstream>();
  const certificates = new Map<string, Certificate>();
  const hosts = new Map<string, HostBuild>();
  const hostOf = (h: string): HostBuild => {
    let b = hosts.get(h);
    if (!b) hosts.set(h, (b = { routes: new Map() }));
    return b;
  };
  const ours = input.ingresses.filter((i) => ingressHandledBy(i, input.classes, SKIFF_INGRESS_CONTROLLER, SKIFF_INGRESS_CLASS)).sort(byAge);

  const resolve = (ns: string, backend: unknown, where: string): Target => {
    const svcName = str(backend, 'service', 'name');
    if (!svcName) {
      problems.push(`${where}: only Service backends are supported`);
      return { kind: 'status', code: 503 };
    }
    const svc = input.services(`${ns}/${svcName}`);
    const wantNumber = num(backend, 'service', 'port', 'number');
    const wantName = str(backend, 'service', 'port', 'name');
    const port = arr(svc, 'spec', 'ports').find((p) => (wantName !== undefined ? str(p, 'name') === wantName : num(p, 'port') === wantNumber));
    if (!svc || !port || (str(port, 'protocol') ?? 'TCP') !== 'TCP') {
      problems.push(`${where}: service ${ns}/${svcName} ${svc ? `has no TCP port ${wantName ?? wantNumber}` : 'not found'}`);
      return { kind: 'status', code: 503 };
    }
    const portName = str(port, 'name') ?? '';
    const name = upstreamName(ns, svcName, portName || String(num(port, 'port')));
    if (!upstreams.has(name)) {
      const eps = usableEndpoints(input.endpointSlices(ns, svcName), portName, 'TCP', input.nodeName);
      upstreams.set(name, { name, servers: eps.map((e) => `${e.ip}:${e.port}`) });
    }
    return upstreams.get(name)!.servers.length ? { kind: 'upstream', upstream: name } : { kind: 'status', code: 503 };
  };

  let clusterDefault: Target | undefined;
  for (const ing of ours) {
    const ns = ing.metadata.namespace ?? '';
    const id = `ingress ${ns}/${ing.metadata.name}`;
    const defaultBackend = field(ing, 'spec', 'defaultBackend');
    const own = defaultBackend ? resolve(ns, defaultBackend, `${id} defaultBackend`) : undefined;
    clusterDefault ??= own;
    for (const rule of arr(ing, 'spec', 'rules')) {
      const host = (str(rule, 'host') ?? '').toLowerCase();
      const hb = hostOf(host);
      if (own && host !== '') hb.fallback ??= own;
      for (const p of arr(rule, 'http', 'paths')) {
        const path = str(p, 'path') ?? '';
        if (/[\u0000-\u001f\u007f"\\]/.test(path)) {
          problems.push(`${id}: path ${JSON.stringify(path)} has characters the proxy cannot match; skipped`);
          continue;
        }
        const target = resolve(ns, field(p, 'backend'), id);
        for (const l of locationsFor(str(p, 'pathType') ?? 'ImplementationSpecific', path)) {
          const key = `${l.match} ${l.path}`;
          const have = hb.routes.get(key);
          if (!have || l.rank < have.rank) hb.routes.set(key, { loc: { match: l.match, path: l.path, target }, rank: l.rank });
        }
      }
    }
    for (const t of arr(ing, 'spec', 'tls')) {
      const secretName = str(t, 'secretName');
      if (!secretName) continue;
      const key = `${ns}/${secretName}`;
      const cert = certificates.get(key) ?? validCertificate(input.secrets(key));
      if (typeof cert === 'string') {
        problems.push(`${id}: TLS secret ${key} ${cert}; its hosts are served over HTTP only`);
        continue;
      }
      certificates.set(key, cert);
      for (const h of arr(t, 'hosts')) if (typeof h === 'string' && h) hostOf(h.toLowerCase()).tls ??= key;
    }
  }

  const out: VirtualHost[] = [];
  for (const [host, hb] of [...hosts].sort(([a], [b]) => a.localeCompare(b))) {
    if (host !== '' && hb.routes.size === 0) continue; // a TLS host with no rule: nothing to serve
    const routes = [...hb.routes.values()].map((r) => r.loc);
    if (!hb.routes.has('prefix /')) routes.push({ match: 'prefix', path: '/', target: (host === '' ? undefined : hb.fallback) ?? clusterDefault ?? { kind: 'status', code: 404 } });
    routes.sort((a, b) => (a.match === b.match ? a.path.localeCompare(b.path) : a.match === 'exact' ? -1 : 1));
    out.push({ host, locations: routes, ...(hb.tls ? { tls: hb.tls } : {}) });
  }
  if (!hosts.has('')) out.unshift({ host: '', locations: [{ match: 'prefix', path: '/', target: clusterDefault ?? { kind: 'status', code: 404 } }] });
  for (const key of [...certificates.keys()]) if (!out.some((h) => h.tls === key)) certificates.delete(key);
  return { hosts: out, upstreams: [...upstreams.values()].filter((u) => u.servers.length).sort((a, b) => a.name.localeCompare(b.name)), certificates, problems };
}
