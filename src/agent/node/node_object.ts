import { createHash } from 'node:crypto';
import type { JsonObject, KubeObject } from '../../api/types.js';
import { arr, str } from '../../api/object.js';
import { rfc3339 } from '../time.js';
import type { Taint } from './config.js';
import type { SystemInfo } from './system_info.js';

/** KUBELET_VERSION is the kubelet (and kube-proxy) version nodes report. */
export const KUBELET_VERSION = 'v1.32.0+skiff';

/** NodeConfig is everything that shapes one node's object. */
export interface NodeConfig {
  nodeName: string;
  nodeIP: string;
  /** nodeExternalIP is the node's ExternalIP address (`--node-external-ip`); absent: none. */
  nodeExternalIP?: string;
  /** labels are the extra `--node-label`s; the well-known ones are added by nodeLabels. */
  labels: Record<string, string>;
  taints: Taint[];
  /** capacity is status.capacity in full (see nodeCapacity); allocatable equals it. */
  capacity: JsonObject;
  /** roles become `node-role.kubernetes.io/<role>=true` labels (control-plane, master on servers). */
  roles: string[];
  runtimeVersion: string;
  /** annotations are extra Node annotations the agent owns (e.g. `skiff.io/local-storage-path`). */
  annotations?: Record<string, string>;
  /** kubeletPort is the kubelet API port the node advertises (status.daemonEndpoints; default 10250). */
  kubeletPort?: number;
}

/** nodeLabels returns the labels a node registers with: well-known ones, roles, then the extra labels. */
export function nodeLabels(cfg: NodeConfig, sys: SystemInfo): Record<string, string> {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': sys.architecture,
    'beta.kubernetes.io/instance-type': 'skiff',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': sys.architecture,
    'kubernetes.io/hostname': cfg.nodeName,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': 'skiff',
  };
  for (const role of cfg.roles) labels[`node-role.kubernetes.io/${role}`] = 'true';
  return { ...labels, ...cfg.labels };
}

const conditionSpecs: { type: string; status: string; reason: string; message: string }[] = [
  { type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated', message: 'the pod network is configured on this node' },
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

/** nodeConditions returns the conditions with lastHeartbeatTime now; a condition keeps its lastTransitionTime while its status is unchanged. */
export function nodeConditions(now: number, previous: unknown[] = []): JsonObject[] {
  const ts = rfc3339(now);
  return conditionSpecs.map((c) => {
    const prev = previous.find((p) => str(p, 'type') === c.type);
    const kept = prev && str(prev, 'status') === c.status ? str(prev, 'lastTransitionTime') : undefined;
    return { ...c, lastHeartbeatTime: ts, lastTransitionTime: kept ?? ts };
  });
}

function derivedID(sys: SystemInfo, nodeName: string, what: string): string {
  return createHash('sha256').update(`${what}/${sys.machineID}/${nodeName}`).digest('hex').slice(0, 32);
}

/** nodeStatus returns a node's full status (addresses, capacity, conditions, nodeInfo, daemon endpoints). */
export function nodeStatus(cfg: NodeConfig, sys: SystemInfo, now: number, previousConditions: unknown[] = []): JsonObject {
  // Several nodes may share one machine (simulated nodes, the lab): IDs are per node, stable across restarts.
  const uuid = derivedID(sys, cfg.nodeName, 'system-uuid');
  return {
    addresses: [
      { type: 'InternalIP', address: cfg.nodeIP },
      ...(cfg.nodeExternalIP ? [{ type: 'ExternalIP', address: cfg.nodeExternalIP }] : []),
      { type: 'Hostname', address: cfg.nodeName },
    ],
    capacity: { ...cfg.capacity },
    allocatable: { ...cfg.capacity },
    conditions: nodeConditions(now, previousConditions),
    daemonEndpoints: { kubeletEndpoint: { Port: cfg.kubeletPort ?? 10250 } },
    nodeInfo: {
      machineID: derivedID(sys, cfg.nodeName, 'machine-id'),
      systemUUID: `${uuid.slice(0, 8)}-${uuid.slice(8, 12)}-${uuid.slice(12, 16)}-${uuid.slice(16, 20)}-${uuid.slice(20, 32)}`,
      bootID: sys.bootID,
      kernelVersion: sys.kernelVersion,
      osImage: sys.osImage,
      containerRuntimeVersion: cfg.runtimeVersion,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: sys.architecture,
    },
  };
}

/** buildNode returns the Node object to create at registration. */
export function buildNode(cfg: NodeConfig, sys: SystemInfo, now: number): KubeObject {
  const spec: JsonObject = { providerID: `skiff://${cfg.nodeName}` };
  if (cfg.taints.length) spec.taints = cfg.taints.map((t) => ({ ...t }));
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: cfg.nodeName,
      labels: nodeLabels(cfg, sys),
      annotations: {
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        'skiff.io/internal-ip': cfg.nodeIP,
        ...(cfg.nodeExternalIP ? { 'skiff.io/external-ip': cfg.nodeExternalIP } : {}),
        'skiff.io/hostname': cfg.nodeName,
        ...(cfg.annotations ?? {}),
      },
    },
    spec,
    status: nodeStatus(cfg, sys, now),
  };
}

/** mergeNodeForRestart folds a restarted agent's labels, annotations and missing taints into the existing Node (a copy); undefined when nothing changes. */
export function mergeNodeForRestart(existing: KubeObject, wanted: KubeObject): KubeObject | undefined {
  const next = structuredClone(existing);
  next.metadata.labels = { ...(existing.metadata.labels ?? {}), ...(wanted.metadata.labels ?? {}) };
  next.metadata.annotations = { ...(existing.metadata.annotations ?? {}), ...(wanted.metadata.annotations ?? {}) };
  const spec = (next['spec'] ??= {}) as JsonObject;
  const taints = arr(spec, 'taints');
  for (const t of arr(wanted, 'spec', 'taints')) {
    if (!taints.some((x) => str(x, 'key') === str(t, 'key') && str(x, 'effect') === str(t, 'effect'))) taints.push(t);
  }
  if (taints.length) spec['taints'] = taints;
  if (!spec['providerID']) spec['providerID'] = str(wanted, 'spec', 'providerID');
  return JSON.stringify(next) === JSON.stringify(existing) ? undefined : next;
}
