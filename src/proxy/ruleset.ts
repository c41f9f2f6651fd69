import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/types.js';
import { arr, num, str } from '../api/object.js';
import { usableEndpoints, type Endpoint } from '../api/resources/discovery/usable_endpoints.js';

export { usableEndpoints };

/** PROXY_TABLE is the nftables table the Service proxy owns on each node (family ip). */
export const PROXY_TABLE = 'skiff-proxy';
/** MASQ_MARK marks packets that postrouting masquerades (traffic from outside the pod network). */
export const MASQ_MARK = '0x4000';

/** ProxyInput is everything one rendering depends on. */
export interface ProxyRulesetInput {
  services: KubeObject[];
  endpointSlices: KubeObject[];
  nodeName: string;
  nodeIPs: string[];
  clusterCIDR: string;
}

/** ServicePort is one Service port as the proxy programs it (also the input of conntrack cleanup). */
export interface ServicePort {
  id: string;
  proto: string;
  port: number;
  nodePort: number;
  frontends: string[];
  nodeFrontends: string[];
  cluster: Endpoint[];
  external: Endpoint[];
  affinitySeconds: number;
  externalLocal: boolean;
}

const ipv4 = /^(\d{1,3}\.){3}\d{1,3}$/;
const PROTOS: Record<string, string> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

function chainId(ns: string, name: string, port: string, proto: string): string {
  const h = createHash('sha256').update(`${ns}/${name}/${port}/${proto}`).digest('hex').slice(0, 8);
  return `${ns}-${name}-${port}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60) + `-${h}`;
}

/** servicePorts models one Service's ports from its own EndpointSlices (`mine`). */
function servicePorts(svc: KubeObject, mine: KubeObject[], input: ProxyRulesetInput): ServicePort[] {
  const ns = svc.metadata.namespace ?? '';
  const name = svc.metadata.name ?? '';
  const type = str(svc, 'spec', 'type') ?? 'ClusterIP';
  const clusterIP = str(svc, 'spec', 'clusterIP');
  if (type === 'ExternalName' || !clusterIP || clusterIP === 'None' || !ipv4.test(clusterIP)) return [];
  const externalIPs = arr(svc, 'spec', 'externalIPs').filter((x): x is string => typeof x === 'string' && ipv4.test(x));
  const lb = type === 'LoadBalancer' && str(svc, 'spec', 'loadBalancerClass') === undefined;
  const lbIPs = arr(svc, 'status', 'loadBalancer', 'ingress').map((i) => str(i, 'ip')).filter((x): x is string => !!x && ipv4.test(x));
  const internalLocal = str(svc, 'spec', 'internalTrafficPolicy') === 'Local';
  const externalLocal = (type === 'NodePort' || type === 'LoadBalancer') && str(svc, 'spec', 'externalTrafficPolicy') === 'Local';
  const affinity = str(svc, 'spec', 'sessionAffinity') === 'ClientIP' ? (num(svc, 'spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds') ?? 10800) : 0;
  const out: ServicePort[] = [];
  for (const p of arr(svc, 'spec', 'ports')) {
    const protoName = str(p, 'protocol') ?? 'TCP';
    const proto = PROTOS[protoName];
    const port = num(p, 'port');
    if (!proto || port === undefined) continue;
    const eps = usableEndpoints(mine, str(p, 'name') ?? '', protoName, input.nodeName);
    const nodePort = type === 'NodePort' || type === 'LoadBalancer' ? (num(p, 'nodePort') ?? 0) : 0;
    out.push({
      id: chainId(ns, name, String(port), proto),
      proto,
      port,
      nodePort,
      frontends: [clusterIP],
      nodeFrontends: [...externalIPs, ...lbIPs, ...(lb ? input.nodeIPs : [])].filter((ip, i, a) => a.indexOf(ip) === i),
      cluster: internalLocal ? eps.filter((e) => e.local) : eps,
      external: externalLocal ? eps.filter((e) => e.local) : eps,
      affinitySeconds: affinity,
      externalLocal,
    });
  }
  return out;
}

/** ProxyTable is one rendering of the table: its map and set elements, and its per-Service chains and affinity sets. */
export interface ProxyTable {
  /** elements of the four lookup maps/sets: key → verdict (empty for a set). */
  elements: Map<ElementSet, Map<string, string>>;
  /** chains by name, with their rules in order. */
  chains: Map<string, string[]>;
  /** affinity sets by name, with their declaration. */
  sets: Map<string, string>;
}

type ElementSet = 'service-ips' | 'service-nodeports' | 'no-endpoint-services' | 'no-endpoint-nodeports' | 'hairpin-endpoints';
const ELEMENT_SETS: ElementSet[] = ['service-ips', 'service-nodeports', 'no-endpoint-services', 'no-endpoint-nodeports', 'hairpin-endpoints'];

/**
 * serviceChain adds one Service port's chain: affinity hits, then a uniform pick over the
 * endpoints, each choice a DNAT (terminal). One chain per Service port and no chain per endpoint:
 * nft reads every chain of the table before any change, so at 10,000 Services 10,000 chains cost
 * ~50 ms a change where 40,000 cost ~200 ms. A local endpoint's address goes into the hairpin set.
 */
function serviceChain(t: ProxyTable, sp: ServicePort, kind: 'c' | 'x', eps: Endpoint[], input: ProxyRulesetInput, masqueradeOutside: boolean): void {
  const rules: string[] = [];
  const affName = (e: Endpoint): string => `aff-${kind}-${sp.id}-${e.ip.replace(/\./g, '_')}-${e.port}-${sp.affinitySeconds}`;
  const dnat = (e: Endpoint): string => `meta l4proto ${sp.proto} dnat to ${e.ip}:${e.port}`;
  const remember = (e: Endpoint): string => (sp.affinitySeconds > 0 ? `update @${affName(e)} { ip saddr } ` : '');
  t.chains.set(`svc${kind}-${sp.id}`, rules);
  if (masqueradeOutside) rules.push(`ip saddr != ${input.clusterCIDR} meta mark set meta mark | ${MASQ_MARK}`);
  for (const e of sp.affinitySeconds > 0 ? eps : []) {
    t.sets.set(affName(e), `type ipv4_addr; flags dynamic,timeout; timeout ${sp.affinitySeconds}s;`);
    rules.push(`ip saddr @${affName(e)} ${remember(e)}${dnat(e)}`);
  }
  // A cascade (1/n, then 1/(n-1), …, then the last) picks uniformly without an anonymous map per
  // Service: the kernel handles thousands of those slowly (10,000 took 100 s to load, this 2 s).
  eps.forEach((e, i) => rules.push(`${i < eps.length - 1 ? `numgen random mod ${eps.length - i} == 0 ` : ''}${remember(e)}${dnat(e)}`));
  // (A host-network endpoint is the node itself: its traffic to itself stays on lo and needs no masquerade.)
  for (const e of eps) if (e.local && !input.nodeIPs.includes(e.ip)) t.elements.get('hairpin-endpoints')!.set(`${e.ip} . ${e.ip}`, '');
}

function elements(items: Map<string, string>): string {
  const list = [...items].map(([k, v]) => (v ? `${k} : ${v}` : k));
  return list.length ? ` elements = { ${list.join(', ')} }` : '';
}

/** buildTable is the table for a model: lookup elements for every frontend, chains for Service ports with endpoints. */
export function buildTable(ports: ServicePort[], input: ProxyRulesetInput): ProxyTable {
  const t: ProxyTable = { elements: new Map(ELEMENT_SETS.map((n) => [n, new Map()])), chains: new Map(), sets: new Map() };
  for (const sp of ports) {
    const part = portTable(sp, input);
    for (const [set, items] of part.elements) for (const [k, v] of items) t.elements.get(set)!.set(k, v);
    for (const [name, rules] of part.chains) t.chains.set(name, rules);
    for (const [name, decl] of part.sets) t.sets.set(name, decl);
  }
  return t;
}

// A Service port that did not change keeps its object (proxyPorts), so its part of the table is reused.
const portTables = new WeakMap<ServicePort, { clusterCIDR: string; table: ProxyTable }>();

/** portTable is one Service port's share of the table. */
function portTable(sp: ServicePort, input: ProxyRulesetInput): ProxyTable {
  const known = portTables.get(sp);
  if (known?.clusterCIDR === input.clusterCIDR) return known.table;
  const t: ProxyTable = { elements: new Map(ELEMENT_SETS.map((n) => [n, new Map()])), chains: new Map(), sets: new Map() };
  const el = (set: ElementSet, key: string, verdict = ''): void => void t.elements.get(set)!.set(key, verdict);
  const clusterUsable = sp.cluster.length > 0;
  for (const ip of sp.frontends) {
    if (clusterUsable) el('service-ips', `${ip} . ${sp.proto} . ${sp.port}`, `goto svcc-${sp.id}`);
    else el('no-endpoint-services', `${ip} . ${sp.proto} . ${sp.port}`);
  }
  const externalUsable = sp.external.length > 0;
  for (const ip of sp.nodeFrontends) {
    if (externalUsable) el('service-ips', `${ip} . ${sp.proto} . ${sp.port}`, `goto svcx-${sp.id}`);
    else el('no-endpoint-services', `${ip} . ${sp.proto} . ${sp.port}`);
  }
  if (sp.nodePort > 0) {
    if (externalUsable) el('service-nodeports', `${sp.proto} . ${sp.nodePort}`, `goto svcx-${sp.id}`);
    else el('no-endpoint-nodeports', `${sp.proto} . ${sp.nodePort}`);
  }
  if (clusterUsable) serviceChain(t, sp, 'c', sp.cluster, input, true);
  if (externalUsable && (sp.nodeFrontends.length || sp.nodePort > 0)) serviceChain(t, sp, 'x', sp.external, input, !sp.externalLocal);
  portTables.set(sp, { clusterCIDR: input.clusterCIDR, table: t });
  return t;
}

/**
 * renderProxyRuleset returns the `nft -f` text that replaces table `ip skiff-proxy` in one
 * transaction (kube-proxy's nftables mode in small): verdict maps from address . protocol . port
 * (and protocol . NodePort for local addresses) to one chain per Service port, endpoint choice by
 * `numgen random`, DNAT per endpoint, masquerade for hairpin and outside traffic, and an immediate
 * reject for Service ports without endpoints. Output is deterministic.
 */
export function renderProxyRuleset(input: ProxyRulesetInput): string {
  return renderFull(buildTable(proxyPorts(input), input));
}

/** proxyPorts is the proxy's model of the input: every programmable Service port, sorted by chain id. */
export function proxyPorts(input: ProxyRulesetInput): ServicePort[] {
  // Slices indexed by Service once: a scan per Service is quadratic (10,000 Services → 10^8 steps).
  const byService = new Map<string, KubeObject[]>();
  for (const s of input.endpointSlices) {
    const key = `${s.metadata.namespace ?? ''}/${s.metadata.labels?.['kubernetes.io/service-name'] ?? ''}`;
    const list = byService.get(key);
    if (list) list.push(s);
    else byService.set(key, [s]);
  }
  const node = `${input.nodeName} ${input.nodeIPs.join(',')}`;
  const ports = input.services.flatMap((svc) => {
    const mine = byService.get(`${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`) ?? [];
    // Informers replace an object on every change, so the same Service and slices give the same ports (and parts of the table).
    const known = modelled.get(svc);
    if (known && known.node === node && known.slices.length === mine.length && known.slices.every((x, i) => x === mine[i])) return known.ports;
    const ports = servicePorts(svc, mine, input);
    modelled.set(svc, { node, slices: mine, ports });
    return ports;
  });
  return ports.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const modelled = new WeakMap<KubeObject, { node: string; slices: KubeObject[]; ports: ServicePort[] }>();

/** renderFull is the `nft -f` text that replaces the whole table in one transaction. */
export function renderFull(t: ProxyTable): string {
  const rejectChain = (name: string, hook: string): string[] => [
    `  chain ${name} {`,
    `    type filter hook ${hook} priority -110; policy accept;`,
    '    ct state new ip daddr . meta l4proto . th dport @no-endpoint-services reject',
    '    ct state new fib daddr type local meta l4proto . th dport @no-endpoint-nodeports reject',
    '  }',
  ];
  const el = (set: ElementSet): string => elements(t.elements.get(set)!);
  return [
    `add table ip ${PROXY_TABLE}`,
    `delete table ip ${PROXY_TABLE}`,
    `table ip ${PROXY_TABLE} {`,
    `  map service-ips {`, '    type ipv4_addr . inet_proto . inet_service : verdict;' + el('service-ips'), '  }',
    `  map service-nodeports {`, '    type inet_proto . inet_service : verdict;' + el('service-nodeports'), '  }',
    `  set no-endpoint-services {`, '    type ipv4_addr . inet_proto . inet_service;' + el('no-endpoint-services'), '  }',
    `  set no-endpoint-nodeports {`, '    type inet_proto . inet_service;' + el('no-endpoint-nodeports'), '  }',
    `  set hairpin-endpoints {`, '    type ipv4_addr . ipv4_addr;' + el('hairpin-endpoints'), '  }',
    '  chain services {',
    '    ip daddr . meta l4proto . th dport vmap @service-ips',
    '    fib daddr type local meta l4proto . th dport vmap @service-nodeports',
    '  }',
    '  chain nat-prerouting {', '    type nat hook prerouting priority dstnat; policy accept;', '    jump services', '  }',
    '  chain nat-output {', '    type nat hook output priority -100; policy accept;', '    jump services', '  }',
    '  chain nat-postrouting {', '    type nat hook postrouting priority srcnat; policy accept;',
    // A pod sent to itself through its Service: without the node's address as source its reply would skip the reverse DNAT.
    '    ct status dnat ip saddr . ip daddr @hairpin-endpoints masquerade', `    meta mark & ${MASQ_MARK} == ${MASQ_MARK} meta mark set meta mark ^ ${MASQ_MARK} masquerade`, '  }',
    ...rejectChain('filter-input', 'input'),
    ...rejectChain('filter-forward', 'forward'),
    ...rejectChain('filter-output', 'output'),
    ...[...t.sets].flatMap(([name, decl]) => [`  set ${name} {`, `    ${decl}`, '  }']),
    ...[...t.chains].flatMap(([name, rules]) => [`  chain ${name} {`, ...rules.map((r) => `    ${r}`), '  }']),
    '}',
    '',
  ].join('\n');
}

/**
 * renderChanges is the `nft -f` text that turns table `from` into `to` in one transaction, touching
 * only what differs (at 10,000 Services a full replace costs seconds, a change milliseconds); empty
 * when nothing does. Order matters: new chains and sets first, then changed rules and elements,
 * then the chains and sets nothing refers to any more.
 */
export function renderChanges(from: ProxyTable, to: ProxyTable): string {
  const T = `ip ${PROXY_TABLE}`;
  const out: string[] = [];
  const gone: string[] = [];
  for (const [name, decl] of to.sets) {
    if (from.sets.get(name) !== decl) out.push(`add set ${T} ${name} { ${decl} }`);
  }
  for (const name of to.chains.keys()) if (!from.chains.has(name)) out.push(`add chain ${T} ${name}`);
  for (const [name, rules] of to.chains) {
    const old = from.chains.get(name);
    if (old === rules) continue;
    if (old && old.length === rules.length && old.every((r, i) => r === rules[i])) continue;
    if (old) out.push(`flush chain ${T} ${name}`);
    for (const r of rules) out.push(`add rule ${T} ${name} ${r}`);
  }
  for (const set of ELEMENT_SETS) {
    const a = from.elements.get(set)!;
    const b = to.elements.get(set)!;
    const removed = [...a].filter(([k, v]) => b.get(k) !== v).map(([k]) => k);
    const added = [...b].filter(([k, v]) => a.get(k) !== v).map(([k, v]) => (v ? `${k} : ${v}` : k));
    if (removed.length) out.push(`delete element ${T} ${set} { ${removed.join(', ')} }`);
    if (added.length) out.push(`add element ${T} ${set} { ${added.join(', ')} }`);
  }
  for (const name of from.chains.keys()) {
    if (to.chains.has(name)) continue;
    out.push(`flush chain ${T} ${name}`);
    gone.push(`delete chain ${T} ${name}`);
  }
  for (const name of from.sets.keys()) if (!to.sets.has(name)) gone.push(`delete set ${T} ${name}`);
  return out.length || gone.length ? [...out, ...gone, ''].join('\n') : '';
}
