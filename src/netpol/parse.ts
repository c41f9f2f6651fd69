/** The parts of NetworkPolicies and Pods the policy controller works from, read once per object. */
import type { KubeObject } from '../api/types.js';
import { arr, field, num, str } from '../api/object.js';
import { labelSelectorFromObject, nothing, type Selector } from '../api/labels/selector.js';
import { NAMESPACE_NAME_LABEL } from '../api/resources/core/namespaces.js';
import { parseIPv4 } from './ipblock.js';

/** Protocol is an nft protocol name of a NetworkPolicy port. */
export type Protocol = 'tcp' | 'udp' | 'sctp';
const PROTOCOLS: Record<string, Protocol> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

/** PolicyPeer is one `from`/`to` entry that selects pods (ipBlocks are kept apart). */
export interface PolicyPeer {
  /** namespaces selects the peer namespaces; undefined means the policy's own. */
  namespaces: Selector | undefined;
  pods: Selector;
}

/** PolicyPort is one `ports` entry: a protocol, and a number range, a name, or neither (every port). */
export interface PolicyPort {
  protocol: Protocol;
  first?: number;
  last?: number;
  name?: string;
}

/** PolicyRule is one ingress or egress rule; `peers`/`ports` undefined means every peer / every port. */
export interface PolicyRule {
  peers: { pods: PolicyPeer[]; blocks: { cidr: string; except: string[] }[] } | undefined;
  ports: PolicyPort[] | undefined;
}

/** ParsedPolicy is a NetworkPolicy as the controller evaluates it. */
export interface ParsedPolicy {
  namespace: string;
  name: string;
  podSelector: Selector;
  /** ingress/egress are the rules of each policy type the policy has; undefined when it lacks the type. */
  ingress: PolicyRule[] | undefined;
  egress: PolicyRule[] | undefined;
}

/** selector reads a LabelSelector; an invalid one (validation keeps them out) selects nothing. */
function selector(sel: unknown): Selector {
  try {
    return labelSelectorFromObject(sel ?? {});
  } catch {
    return nothing();
  }
}

function parsePort(p: unknown): PolicyPort | undefined {
  const protocol = PROTOCOLS[str(p, 'protocol') ?? 'TCP'];
  if (!protocol) return undefined;
  const port = field(p, 'port');
  if (typeof port === 'string') return { protocol, name: port };
  if (typeof port !== 'number') return { protocol };
  return { protocol, first: port, last: num(p, 'endPort') ?? port };
}

function parseRule(rule: unknown, peerKey: 'from' | 'to'): PolicyRule {
  const peerList = arr(rule, peerKey);
  const portList = arr(rule, 'ports');
  const pods: PolicyPeer[] = [];
  const blocks: { cidr: string; except: string[] }[] = [];
  for (const peer of peerList) {
    const cidr = str(peer, 'ipBlock', 'cidr');
    if (cidr !== undefined) {
      blocks.push({ cidr, except: arr(peer, 'ipBlock', 'except').filter((e): e is string => typeof e === 'string') });
      continue;
    }
    const nsSel = field(peer, 'namespaceSelector');
    const podSel = field(peer, 'podSelector');
    if ((nsSel === undefined || nsSel === null) && (podSel === undefined || podSel === null)) continue;
    pods.push({ namespaces: nsSel === undefined || nsSel === null ? undefined : selector(nsSel), pods: selector(podSel) });
  }
  return {
    peers: peerList.length ? { pods, blocks } : undefined,
    ports: portList.length ? portList.map(parsePort).filter((p): p is PolicyPort => p !== undefined) : undefined,
  };
}

const parsedPolicies = new WeakMap<KubeObject, ParsedPolicy>();

/**
 * parsePolicy reads a NetworkPolicy (cached per object: informers replace objects on change).
 * Without `policyTypes` it has Ingress, and Egress when it has egress rules (the API's default).
 */
export function parsePolicy(obj: KubeObject): ParsedPolicy {
  const known = parsedPolicies.get(obj);
  if (known) return known;
  const spec = field(obj, 'spec');
  const declared = arr(spec, 'policyTypes');
  const types = declared.length ? declared : arr(spec, 'egress').length ? ['Ingress', 'Egress'] : ['Ingress'];
  const parsed: ParsedPolicy = {
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name ?? '',
    podSelector: selector(field(spec, 'podSelector')),
    ingress: types.includes('Ingress') ? arr(spec, 'ingress').map((r) => parseRule(r, 'from')) : undefined,
    egress: types.includes('Egress') ? arr(spec, 'egress').map((r) => parseRule(r, 'to')) : undefined,
  };
  parsedPolicies.set(obj, parsed);
  return parsed;
}

/** PodInfo is a pod as policies see it: where it runs, its labels, addresses and named ports. */
export interface PodInfo {
  namespace: string;
  node: string;
  labels: Record<string, string>;
  ips: string[];
  /** ports are its containers' named ports: `name/protocol` → container port. */
  ports: Map<string, number>;
}

const podInfos = new WeakMap<KubeObject, PodInfo | null>();

/**
 * podInfo returns what policies need of a pod, or undefined for pods that take no part: without an
 * IPv4 address yet, on the host network (policies do not apply to those), or finished (its address
 * may already belong to another pod).
 */
export function podInfo(pod: KubeObject): PodInfo | undefined {
  const known = podInfos.get(pod);
  if (known !== undefined) return known ?? undefined;
  const phase = str(pod, 'status', 'phase');
  const listed = arr(pod, 'status', 'podIPs').map((p) => str(p, 'ip'));
  const ips = [...listed, str(pod, 'status', 'podIP')].filter((ip, i, all): ip is string => ip !== undefined && parseIPv4(ip) !== undefined && all.indexOf(ip) === i);
  const skip = field(pod, 'spec', 'hostNetwork') === true || phase === 'Succeeded' || phase === 'Failed' || ips.length === 0;
  const info: PodInfo | null = skip ? null : { namespace: pod.metadata.namespace ?? '', node: str(pod, 'spec', 'nodeName') ?? '', labels: pod.metadata.labels ?? {}, ips, ports: namedPorts(pod) };
  podInfos.set(pod, info);
  return info ?? undefined;
}

function namedPorts(pod: KubeObject): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of arr(pod, 'spec', 'containers')) {
    for (const p of arr(c, 'ports')) {
      const name = str(p, 'name');
      const port = num(p, 'containerPort');
      const protocol = PROTOCOLS[str(p, 'protocol') ?? 'TCP'];
      if (name && port !== undefined && protocol && !out.has(`${name}/${protocol}`)) out.set(`${name}/${protocol}`, port);
    }
  }
  return out;
}

/** namespaceLabels maps namespace names to their labels; a namespace not (yet) seen has just its name label. */
export function namespaceLabels(namespaces: KubeObject[]): (name: string) => Record<string, string> {
  const byName = new Map(namespaces.map((n) => [n.metadata.name ?? '', n.metadata.labels ?? {}]));
  return (name) => byName.get(name) ?? { [NAMESPACE_NAME_LABEL]: name };
}
