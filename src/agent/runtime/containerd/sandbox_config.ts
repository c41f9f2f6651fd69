import type { KubeObject } from '../../../api/types.js';
import { arr, field, num, objAt, str } from '../../../api/object.js';
import { isObject } from '../../../api/types.js';
import type { DNSConfig, NamespaceOption, PodSandboxConfig, PortMapping, Protocol } from '../../cri/types.js';
import { LABEL_NODE, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID, podLogDir } from './names.js';

/** SandboxSettings are the node-wide inputs of a sandbox config. */
export interface SandboxSettings {
  nodeName: string;
  podLogsDir: string;
  /** cgroupParent is the node's cgroup parent; the pod gets `<cgroupParent>/pod<uid>`. */
  cgroupParent: string;
  clusterDNS: string[];
  clusterDomain: string;
  /** hostDNS is the node's resolv.conf (dnsPolicy Default and host-network pods). */
  hostDNS: DNSConfig;
}

/** parseResolvConf reads nameserver, search and options lines of a resolv.conf. */
export function parseResolvConf(text: string): DNSConfig {
  const dns: Required<DNSConfig> = { servers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const [key, ...rest] = line.trim().split(/\s+/);
    if (key === 'nameserver' && rest[0]) dns.servers.push(rest[0]);
    else if (key === 'search') dns.searches = rest;
    else if (key === 'options') dns.options.push(...rest);
  }
  return dns;
}

/** usesHostNetwork tells whether the pod shares the node's network namespace. */
export function usesHostNetwork(pod: KubeObject): boolean {
  return field(pod, 'spec', 'hostNetwork') === true;
}

/**
 * podDNSConfig computes the pod's resolv.conf as the kubelet does: ClusterFirst (default; host
 * DNS for host-network pods) → cluster DNS with `<ns>.svc.<domain> svc.<domain> <domain>` searches
 * and ndots:5; ClusterFirstWithHostNet → cluster DNS always; Default → the node's; None → only
 * spec.dnsConfig, which is merged into the others too.
 */
export function podDNSConfig(pod: KubeObject, s: SandboxSettings): DNSConfig {
  const policy = str(pod, 'spec', 'dnsPolicy') ?? 'ClusterFirst';
  const cluster = s.clusterDNS.length > 0 && (policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !usesHostNetwork(pod)));
  let base: Required<DNSConfig> = { servers: [], searches: [], options: [] };
  if (cluster) {
    const ns = pod.metadata.namespace ?? 'default';
    const d = s.clusterDomain;
    base = { servers: [...s.clusterDNS], searches: [`${ns}.svc.${d}`, `svc.${d}`, d, ...(s.hostDNS.searches ?? [])], options: ['ndots:5'] };
  } else if (policy !== 'None') {
    base = { servers: [...(s.hostDNS.servers ?? [])], searches: [...(s.hostDNS.searches ?? [])], options: [...(s.hostDNS.options ?? [])] };
  }
  const extra = objAt(pod, 'spec', 'dnsConfig');
  for (const n of arr(extra, 'nameservers')) if (typeof n === 'string' && !base.servers.includes(n)) base.servers.push(n);
  for (const n of arr(extra, 'searches')) if (typeof n === 'string' && !base.searches.includes(n)) base.searches.push(n);
  for (const o of arr(extra, 'options')) {
    const name = str(o, 'name');
    if (!name) continue;
    base.options = base.options.filter((x) => x.split(':')[0] !== name);
    const value = str(o, 'value');
    base.options.push(value === undefined ? name : `${name}:${value}`);
  }
  return { servers: base.servers.slice(0, 3), searches: base.searches.slice(0, 32), options: base.options };
}

function portMappings(pod: KubeObject): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of arr(pod, 'spec', 'containers')) {
    for (const p of arr(c, 'ports')) {
      const hostPort = num(p, 'hostPort') ?? 0;
      if (hostPort <= 0) continue;
      const m: PortMapping = { protocol: (str(p, 'protocol') ?? 'TCP') as Protocol, containerPort: num(p, 'containerPort') ?? 0, hostPort };
      const hostIp = str(p, 'hostIP');
      if (hostIp) m.hostIp = hostIp;
      out.push(m);
    }
  }
  return out;
}

/** podNamespaceOptions picks network/pid/ipc namespaces from hostNetwork, hostPID, hostIPC and shareProcessNamespace. */
export function podNamespaceOptions(pod: KubeObject): NamespaceOption {
  const spec = pod['spec'];
  return {
    network: field(spec, 'hostNetwork') === true ? 'NODE' : 'POD',
    pid: field(spec, 'hostPID') === true ? 'NODE' : field(spec, 'shareProcessNamespace') === true ? 'POD' : 'CONTAINER',
    ipc: field(spec, 'hostIPC') === true ? 'NODE' : 'POD',
  };
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** buildSandboxConfig returns the RunPodSandbox config of a pod for the given attempt. */
export function buildSandboxConfig(pod: KubeObject, s: SandboxSettings, attempt: number): PodSandboxConfig {
  const meta = pod.metadata;
  const uid = meta.uid ?? '';
  const psc = objAt(pod, 'spec', 'securityContext');
  const sysctls: Record<string, string> = {};
  for (const x of arr(psc, 'sysctls')) sysctls[str(x, 'name') ?? ''] = str(x, 'value') ?? '';
  const runAsUser = num(psc, 'runAsUser');
  const runAsGroup = num(psc, 'runAsGroup');
  const supplementalGroups = [...arr(psc, 'supplementalGroups'), ...(num(psc, 'fsGroup') !== undefined ? [num(psc, 'fsGroup')] : [])].filter((g): g is number => typeof g === 'number');
  const config: PodSandboxConfig = {
    metadata: { name: meta.name ?? '', namespace: meta.namespace ?? '', uid, attempt },
    logDirectory: podLogDir(s.podLogsDir, pod),
    dnsConfig: podDNSConfig(pod, s),
    portMappings: portMappings(pod),
    labels: { ...(meta.labels ?? {}), [LABEL_POD_NAME]: meta.name ?? '', [LABEL_POD_NAMESPACE]: meta.namespace ?? '', [LABEL_POD_UID]: uid, [LABEL_NODE]: s.nodeName },
    annotations: stringMap(meta.annotations),
    linux: {
      cgroupParent: `${s.cgroupParent}/pod${uid}`,
      securityContext: {
        namespaceOptions: podNamespaceOptions(pod),
        ...(runAsUser !== undefined ? { runAsUser: { value: runAsUser } } : {}),
        ...(runAsGroup !== undefined ? { runAsGroup: { value: runAsGroup } } : {}),
        ...(supplementalGroups.length ? { supplementalGroups } : {}),
      },
      sysctls,
    },
  };
  // Host-network pods share the node's UTS namespace: runc refuses to set a hostname there.
  if (!usesHostNetwork(pod)) config.hostname = (str(pod, 'spec', 'hostname') ?? meta.name ?? '').slice(0, 63);
  return config;
}
