import type { KubeObject } from '../../api/types.js';
import { arr, field, num, objAt, str } from '../../api/object.js';
import { objectKeyOf } from '../../client/informer.js';
import { podRequests, type Resources } from './resources.js';
import { tolerationsOf, type Toleration } from './taints.js';
import { parseTerm, type NodeSelectorTerm } from './node_selector.js';
import { normalizeImageName } from './images.js';

/** HostPort is one container port bound on the node (hostIP "" means every address). */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** PreferredTerm is a weighted preferred node affinity term. */
export interface PreferredTerm {
  weight: number;
  term: NodeSelectorTerm;
}

/**
 * PodInfo is a pod with everything plugins read precomputed once (requests, tolerations,
 * affinity, host ports), so filtering a thousand nodes does not re-parse the pod each time.
 */
export interface PodInfo {
  readonly pod: KubeObject;
  readonly key: string;
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly nodeName: string;
  readonly priority: number;
  readonly creationMs: number;
  readonly labels: Record<string, string>;
  readonly requests: Resources;
  /** nonZero is requests with 100m cpu / 200Mi memory assumed for containers that ask none. */
  readonly nonZero: Resources;
  readonly tolerations: Toleration[];
  readonly nodeSelector: Record<string, string> | undefined;
  /** nodeSelectorEntries is nodeSelector as pairs, so filters do not allocate per node. */
  readonly nodeSelectorEntries: readonly (readonly [string, string])[];
  /** scalarNames lists the extended resources requested. */
  readonly scalarNames: readonly string[];
  /** requiredTerms is requiredDuringSchedulingIgnoredDuringExecution (undefined when absent). */
  readonly requiredTerms: NodeSelectorTerm[] | undefined;
  readonly preferredTerms: PreferredTerm[];
  readonly hostPorts: HostPort[];
  /** ownerUID is the uid of the controlling owner (ReplicaSet, StatefulSet, Job, ...). */
  readonly ownerUID: string | undefined;
  readonly images: string[];
  /** hasSpreadConstraints: the pod sets its own topologySpreadConstraints. */
  readonly hasSpreadConstraints: boolean;
  readonly preemptionNever: boolean;
}

function hostPortsOf(spec: unknown): HostPort[] {
  const out: HostPort[] = [];
  const containers = [...arr(spec, 'initContainers'), ...arr(spec, 'containers')];
  for (const c of containers) {
    for (const p of arr(c, 'ports')) {
      const port = num(p, 'hostPort');
      if (!port) continue;
      out.push({ ip: str(p, 'hostIP') ?? '', protocol: str(p, 'protocol') ?? 'TCP', port });
    }
  }
  return out;
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

function requiredTermsOf(spec: unknown): NodeSelectorTerm[] | undefined {
  const req = objAt(spec, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution');
  return req ? arr(req, 'nodeSelectorTerms').map(parseTerm) : undefined;
}

function preferredTermsOf(spec: unknown): PreferredTerm[] {
  return arr(spec, 'affinity', 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution')
    .map((p) => ({ weight: num(p, 'weight') ?? 0, term: parseTerm(field(p, 'preference')) }))
    .filter((p) => p.weight !== 0);
}

/** newPodInfo precomputes a PodInfo from a pod object (which it keeps by reference, read-only). */
export function newPodInfo(pod: KubeObject): PodInfo {
  const spec = objAt(pod, 'spec') ?? {};
  const created = Date.parse(pod.metadata.creationTimestamp ?? '');
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller === true);
  const nodeSelector = stringMap(spec.nodeSelector);
  const requests = podRequests(spec);
  const images = [...arr(spec, 'initContainers'), ...arr(spec, 'containers')].map((c) => str(c, 'image') ?? '').filter((i) => i !== '');
  return {
    pod,
    key: objectKeyOf(pod),
    uid: pod.metadata.uid ?? '',
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    nodeName: str(spec, 'nodeName') ?? '',
    priority: num(spec, 'priority') ?? 0,
    creationMs: Number.isNaN(created) ? 0 : created,
    labels: pod.metadata.labels ?? {},
    requests,
    scalarNames: Object.keys(requests.scalar),
    nonZero: podRequests(spec, true),
    tolerations: tolerationsOf(spec),
    nodeSelector,
    nodeSelectorEntries: Object.entries(nodeSelector ?? {}),
    requiredTerms: requiredTermsOf(spec),
    preferredTerms: preferredTermsOf(spec),
    hostPorts: hostPortsOf(spec),
    ownerUID: owner?.uid,
    images: images.map(normalizeImageName),
    hasSpreadConstraints: arr(spec, 'topologySpreadConstraints').length > 0,
    preemptionNever: str(spec, 'preemptionPolicy') === 'Never',
  };
}
