import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/types.js';
import { arr, num, str } from '../api/object.js';
import { usableEndpoints, type Endpoint } from '../api/resources/discovery/usable_endpoints.js';

export { usableEndpoints };

/** PROXY_TABLE is the nftables table the Service proxy owns on each node (family ip). */
export const PROXY_TABLE = 'skiff-proxy';
/** MASQ_MARK marks packets that postrouting masquerades (hairpin, traffic from outside the pod network). */
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

function endpointChains(sp: ServicePort, kind: 'c' | 'x', eps: Endpoint[], input: ProxyRulesetInput, masqueradeOutside: boolean): string[] {
  const lines: string[] = [];
  const chain = `svc${kind}-${sp.id}`;
  const epName = (i: number): string => `ep${kind}-${sp.id}-${i}`;
  lines.push(`  chain ${chain} {`);
  if (masqueradeOutside) lines.push(`    ip saddr != ${input.clusterCIDR} meta mark set meta mark | ${MASQ_MARK}`);
  if (eps.length === 0) lines.push('    drop');
  else {
    if (sp.affinitySeconds > 0) eps.forEach((_, i) => lines.push(`    ip saddr @aff-${kind}-${sp.id}-${i} goto ${epName(i)}`));
    // A cascade (1/n, then 1/(n-1), …, then the last) picks uniformly without an anonymous map per
    // Service: the kernel handles thousands of those slowly (10,000 took 100 s to load, this 3 s).
    eps.forEach((_, i) => lines.push(i < eps.length - 1 ? `    numgen random mod ${eps.length - i} == 0 goto ${epName(i)}` : `    goto ${epName(i)}`));
  }
  lines.push('  }');
  eps.forEach((e, i) => {
    if (sp.affinitySeconds > 0) lines.push(`  set aff-${kind}-${sp.id}-${i} {`, '    type ipv4_addr; flags dynamic,timeout;', `    timeout ${sp.affinitySeconds}s;`, '  }');
    lines.push(`  chain ${epName(i)} {`);
    lines.push(`    ip saddr ${e.ip} meta mark set meta mark | ${MASQ_MARK}`);
    if (sp.affinitySeconds > 0) lines.push(`    update @aff-${kind}-${sp.id}-${i} { ip saddr }`);
    lines.push(`    meta l4proto ${sp.proto} dnat to ${e.ip}:${e.port}`, '  }');
  });
  return lines;
}

function elements(items: string[]): string {
  return items.length ? ` elements = { ${items.join(', ')} }` : '';
}

/**
 * renderProxyRuleset returns the `nft -f` text that replaces table `ip skiff-proxy` in one
 * transaction (kube-proxy's nftables mode in small): verdict maps from address . protocol . port
 * (and protocol . NodePort for local addresses) to one chain per Service port, endpoint choice by
 * `numgen random`, DNAT per endpoint, masquerade for hairpin and outside traffic, and an immediate
 * reject for Service ports without endpoints. Output is deterministic.
 */
export function renderProxyRuleset(input: ProxyRulesetInput): string {
  return renderPorts(proxyPorts(input), input);
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
  const ports = input.services.flatMap((s) => servicePorts(s, byService.get(`${s.metadata.namespace ?? ''}/${s.metadata.name ?? ''}`) ?? [], input));
  return ports.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** renderPorts is renderProxyRuleset for an already built model. */
export function renderPorts(ports: ServicePort[], input: ProxyRulesetInput): string {
  const serviceIPs: string[] = [];
  const nodePorts: string[] = [];
  const noEndpoints: string[] = [];
  const noNodePorts: string[] = [];
  const chains: string[] = [];
  for (const sp of ports) {
    const clusterUsable = sp.cluster.length > 0;
    for (const ip of sp.frontends) {
      if (clusterUsable) serviceIPs.push(`${ip} . ${sp.proto} . ${sp.port} : goto svcc-${sp.id}`);
      else noEndpoints.push(`${ip} . ${sp.proto} . ${sp.port}`);
    }
    const externalUsable = sp.external.length > 0;
    for (const ip of sp.nodeFrontends) {
      if (externalUsable) serviceIPs.push(`${ip} . ${sp.proto} . ${sp.port} : goto svcx-${sp.id}`);
      else noEndpoints.push(`${ip} . ${sp.proto} . ${sp.port}`);
    }
    if (sp.nodePort > 0) {
      if (externalUsable) nodePorts.push(`${sp.proto} . ${sp.nodePort} : goto svcx-${sp.id}`);
      else noNodePorts.push(`${sp.proto} . ${sp.nodePort}`);
    }
    if (clusterUsable) chains.push(...endpointChains(sp, 'c', sp.cluster, input, true));
    if (externalUsable && (sp.nodeFrontends.length || sp.nodePort > 0)) chains.push(...endpointChains(sp, 'x', sp.external, input, !sp.externalLocal));
  }
  const rejectChain = (name: string, hook: string): string[] => [
    `  chain ${name} {`,
    `    type filter hook ${hook} priority -110; policy accept;`,
    '    ct state new ip daddr . meta l4proto . th dport @no-endpoint-services reject',
    '    ct state new fib daddr type local meta l4proto . th dport @no-endpoint-nodeports reject',
    '  }',
  ];
  return [
    `add table ip ${PROXY_TABLE}`,
    `delete table ip ${PROXY_TABLE}`,
    `table ip ${PROXY_TABLE} {`,
    `  map service-ips {`, '    type ipv4_addr . inet_proto . inet_service : verdict;' + elements(serviceIPs), '  }',
    `  map service-nodeports {`, '    type inet_proto . inet_service : verdict;' + elements(nodePorts), '  }',
    `  set no-endpoint-services {`, '    type ipv4_addr . inet_proto . inet_service;' + elements(noEndpoints), '  }',
    `  set no-endpoint-nodeports {`, '    type inet_proto . inet_service;' + elements(noNodePorts), '  }',
    '  chain services {',
    '    ip daddr . meta l4proto . th dport vmap @service-ips',
    '    fib daddr type local meta l4proto . th dport vmap @service-nodeports',
    '  }',
    '  chain nat-prerouting {', '    type nat hook prerouting priority dstnat; policy accept;', '    jump services', '  }',
    '  chain nat-output {', '    type nat hook output priority -100; policy accept;', '    jump services', '  }',
    '  chain nat-postrouting {', '    type nat hook postrouting priority srcnat; policy accept;', `    meta mark & ${MASQ_MARK} == ${MASQ_MARK} meta mark set meta mark ^ ${MASQ_MARK} masquerade`, '  }',
    ...rejectChain('filter-input', 'input'),
    ...rejectChain('filter-forward', 'forward'),
    ...rejectChain('filter-output', 'output'),
    ...chains,
    '}',
    '',
  ].join('\n');
}
