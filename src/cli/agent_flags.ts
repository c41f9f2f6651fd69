import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { parseNodeCapacity, parseNodeLabel, parseNodeTaint, type Taint } from '../agent/index.js';
import { defaultRegistriesPath } from '../agent/containerd/registries.js';
import { parseDuration } from './duration.js';
import { UsageError, type FlagSpec, type FlagValues } from './flags.js';

/** DisabledComponents are the packaged node components turned off by `--disable` / `--disable-kube-proxy`. */
export interface DisabledComponents {
  proxy: boolean;
  servicelb: boolean;
  ingress: boolean;
  dns: boolean;
  /** networkPolicy: `--disable-network-policy` (k3s's name) turns off the NetworkPolicy controller. */
  networkPolicy: boolean;
  /** localStorage: `--disable local-storage` removes the `local-path` StorageClass and its provisioner (server) and the node side (agent). */
  localStorage: boolean;
  /** metricsServer: `--disable metrics-server` turns off metrics.k8s.io and its scraping (server). */
  metricsServer: boolean;
}

const COMPONENT_NAMES: Record<string, keyof DisabledComponents> = { servicelb: 'servicelb', ingress: 'ingress', traefik: 'ingress', dns: 'dns', coredns: 'dns', 'local-storage': 'localStorage', 'metrics-server': 'metricsServer' };

/** disabledComponents reads `--disable` (k3s's names are accepted too) and `--disable-kube-proxy`. */
export function disabledComponents(v: FlagValues): DisabledComponents {
  const out: DisabledComponents = { proxy: v['disable-kube-proxy'] === true, servicelb: false, ingress: false, dns: false, networkPolicy: v['disable-network-policy'] === true, localStorage: false, metricsServer: false };
  for (const item of ((v.disable as string[] | undefined) ?? []).flatMap((x) => x.split(','))) {
    const name = item.trim();
    if (!name) continue;
    const key = COMPONENT_NAMES[name];
    if (!key) throw new UsageError(`invalid --disable ${JSON.stringify(name)}: want servicelb, ingress (traefik), dns (coredns), local-storage or metrics-server`);
    out[key] = true;
  }
  return out;
}

/** nodeFlags are the node flags `skiff agent` and `skiff sim-nodes` share (names as in k3s and the kubelet). */
const nodeFlags: FlagSpec[] = [
  { name: 'server', alias: 's', kind: 'string', default: '', env: 'SKIFF_URL', help: 'Server to connect to (https://host:6443)' },
  { name: 'token', alias: 't', kind: 'string', default: '', env: 'SKIFF_TOKEN', help: 'Token to use for authentication (the server\'s node-token)' },
  { name: 'node-ip', alias: 'i', kind: 'string', default: '', help: 'IPv4 address to advertise for node (default: first non-loopback IPv4)' },
  { name: 'node-external-ip', kind: 'string', default: '', help: 'IPv4 external IP address to advertise for node (its ExternalIP address)' },
  { name: 'node-label', kind: 'list', help: 'Registering and starting kubelet with set of labels (key=value, repeatable)' },
  { name: 'node-taint', kind: 'list', help: 'Registering kubelet with set of taints (key=value:Effect, repeatable)' },
  { name: 'node-capacity', kind: 'string', default: '', help: 'Resources the node reports, e.g. cpu=2,memory=3Gi,pods=110 (default: the machine\'s)' },
  { name: 'node-lease-duration-seconds', kind: 'int', default: 40, help: 'Duration of the node Lease; it is renewed every quarter of it' },
  { name: 'node-status-update-frequency', kind: 'string', default: '10s', help: 'How often the node posts its status' },
  { name: 'debug', kind: 'bool', default: false, env: 'SKIFF_DEBUG', help: 'Turn on debug logs' },
];

/** agentFlags are the flags of `skiff agent`. */
export const agentFlags: FlagSpec[] = [
  { name: 'config', alias: 'c', kind: 'string', env: 'SKIFF_CONFIG_FILE', help: 'Load configuration from FILE (YAML, flag names as keys)' },
  ...nodeFlags,
  { name: 'node-name', kind: 'string', default: '', env: 'SKIFF_NODE_NAME', help: 'Node name (default: the host name)' },
  { name: 'data-dir', alias: 'd', kind: 'string', default: '/var/lib/skiff', env: 'SKIFF_DATA_DIR', help: 'Folder to hold state' },
  { name: 'runtime', kind: 'string', default: 'containerd', help: 'Container runtime: containerd or fake (runs no containers)' },
  { name: 'cluster-cidr', kind: 'string', default: '10.42.0.0/16', help: 'The cluster\'s pod network (as given to the server)' },
  { name: 'cluster-dns', kind: 'string', default: '10.43.0.10', help: 'Cluster DNS address given to pods' },
  { name: 'cluster-domain', kind: 'string', default: 'cluster.local', help: 'Cluster DNS domain' },
  { name: 'disable', kind: 'list', default: [], help: 'Node components not to run: servicelb, ingress (or traefik), dns (or coredns), local-storage (as given to the server)' },
  { name: 'disable-kube-proxy', kind: 'bool', default: false, help: 'Do not program Services into nftables on this node' },
  { name: 'disable-network-policy', kind: 'bool', default: false, help: 'Do not enforce NetworkPolicies on this node' },
  { name: 'resolv-conf', kind: 'string', default: '', env: 'SKIFF_RESOLV_CONF', help: 'resolv.conf whose nameservers answer names outside the cluster (default /etc/resolv.conf)' },
  { name: 'private-registry', kind: 'string', default: '', env: 'SKIFF_PRIVATE_REGISTRY', help: 'Private registry configuration file (default /etc/skiff/registries.yaml)' },
];

/** simNodesFlags are the flags of `skiff sim-nodes`. */
export const simNodesFlags: FlagSpec[] = [
  { name: 'count', alias: 'n', kind: 'int', default: 1, help: 'Number of simulated nodes' },
  { name: 'name-prefix', kind: 'string', default: 'sim-', help: 'Prefix of the simulated nodes\' names (sim-0, sim-1, …)' },
  { name: 'kubeconfig', kind: 'string', default: '', help: 'Act with this kubeconfig\'s credentials (the server\'s admin one) instead of joining with --token: under Node,RBAC one joined identity may not act for many nodes' },
  { name: 'client-ca-file', kind: 'string', default: '', help: 'CA bundle the kubelet API checks client certificates against when acting with --kubeconfig and no --token (with --token: the cluster\'s client CA)' },
  ...nodeFlags.map((f) => (f.name === 'node-status-update-frequency' ? { ...f, default: '1m' } : f)),
];

/** NodeFlagsConfig is the validated form of the shared node flags. */
export interface NodeFlagsConfig {
  server: string;
  token: string;
  nodeIP: string;
  /** nodeExternalIP: --node-external-ip ('' for none). */
  nodeExternalIP: string;
  labels: Record<string, string>;
  taints: Taint[];
  capacity: Record<string, string>;
  leaseDurationSeconds: number;
  statusUpdateFrequencyMs: number;
  debug: boolean;
}

/** AgentConfig is the validated form of `skiff agent`'s flags. */
export interface AgentConfig extends NodeFlagsConfig {
  nodeName: string;
  dataDir: string;
  runtime: 'fake' | 'containerd';
  clusterCIDR: string;
  clusterDNS: string;
  clusterDomain: string;
  disabled: DisabledComponents;
  resolvConf: string;
  /** privateRegistry is the registries.yaml for this node's containerd. */
  privateRegistry: string;
}

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError((e as Error).message);
  }
}

/** ipFlag reads an optional IP address flag; anything but an IP address is a UsageError. */
export function ipFlag(v: FlagValues, name: string): string {
  const ip = String(v[name] ?? '').trim();
  if (ip && isIP(ip) === 0) throw new UsageError(`invalid --${name} ${JSON.stringify(ip)}: want an IP address`);
  return ip;
}

/** nodeFlagsConfig validates the shared node flags; mistakes throw UsageError saying what to fix. */
export function nodeFlagsConfig(v: FlagValues): NodeFlagsConfig {
  const server = String(v.server ?? '');
  const token = String(v.token ?? '');
  if (!server) throw new UsageError('--server (or $SKIFF_URL) is required: the URL of a skiff server, e.g. https://10.0.0.1:6443');
  if (!/^https:\/\/[^/]+\/?$/.test(server)) throw new UsageError(`invalid --server ${JSON.stringify(server)}: want https://host:port`);
  if (!token && !v.kubeconfig) throw new UsageError('--token (or $SKIFF_TOKEN) is required: the content of /var/lib/skiff/server/node-token on the server');
  const lease = Number(v['node-lease-duration-seconds']);
  if (!(lease > 0)) throw new UsageError(`invalid --node-lease-duration-seconds ${lease}: want a positive number of seconds`);
  const statusUpdateFrequencyMs = parseDuration(String(v['node-status-update-frequency']), 'node-status-update-frequency');
  if (!(statusUpdateFrequencyMs > 0)) throw new UsageError('--node-status-update-frequency must be positive');
  return {
    server: server.replace(/\/$/, ''),
    token,
    nodeIP: String(v['node-ip'] ?? ''),
    nodeExternalIP: ipFlag(v, 'node-external-ip'),
    labels: Object.fromEntries(usage(() => ((v['node-label'] as string[] | undefined) ?? []).map(parseNodeLabel))),
    taints: usage(() => ((v['node-taint'] as string[] | undefined) ?? []).map(parseNodeTaint)),
    capacity: usage(() => parseNodeCapacity(String(v['node-capacity'] ?? ''))),
    leaseDurationSeconds: lease,
    statusUpdateFrequencyMs,
    debug: v.debug === true,
  };
}

/** agentConfig validates `skiff agent`'s flags. */
export function agentConfig(v: FlagValues): AgentConfig {
  const runtime = String(v.runtime ?? 'containerd');
  if (runtime !== 'fake' && runtime !== 'containerd') throw new UsageError(`invalid --runtime ${JSON.stringify(runtime)}: want containerd or fake`);
  const nodeName = String(v['node-name'] || '') || hostname().toLowerCase();
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(nodeName) || nodeName.length > 253) {
    throw new UsageError(`invalid node name ${JSON.stringify(nodeName)}: lowercase letters, digits, '-' and '.' (use --node-name)`);
  }
  return { ...nodeFlagsConfig(v), nodeName, dataDir: String(v['data-dir']), runtime, clusterCIDR: String(v['cluster-cidr'] ?? '10.42.0.0/16'), clusterDNS: String(v['cluster-dns'] ?? '10.43.0.10'), clusterDomain: String(v['cluster-domain'] ?? 'cluster.local'), disabled: disabledComponents(v), resolvConf: String(v['resolv-conf'] || '') || '/etc/resolv.conf', privateRegistry: String(v['private-registry'] || '') || defaultRegistriesPath };
}
