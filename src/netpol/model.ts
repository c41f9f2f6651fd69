/** The policy controller's model of one node: which local pods each policy isolates, and what it lets through. */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/types.js';
import { ipBlockRanges, mergeRanges, rangeElement, type AddressRange } from './ipblock.js';
import { namespaceLabels, parsePolicy, podInfo, type ParsedPolicy, type PodInfo, type PolicyRule, type Protocol } from './parse.js';

/** NetpolInput is everything one model depends on (informer contents and the node's name). */
export interface NetpolInput {
  policies: KubeObject[];
  pods: KubeObject[];
  namespaces: KubeObject[];
  nodeName: string;
}

/** RuleModel is one rule, resolved: `peers`/`ports` undefined means every peer / every port and protocol. */
export interface RuleModel {
  peers: { pods: string[] | undefined; blocks: string[] | undefined } | undefined;
  ports: { protocols: Protocol[]; numbered: string[]; named: string[] | undefined } | undefined;
}

/** PolicyModel is one policy that selects pods on this node. */
export interface PolicyModel {
  /** id names the policy's chains and sets: readable, unique by a hash of namespace/name. */
  id: string;
  /** targets are the addresses of the local pods the policy selects. */
  targets: string[];
  ingress: RuleModel[] | undefined;
  egress: RuleModel[] | undefined;
}

/** policyId is `<namespace>-<name>` (trimmed to nft's taste) plus a hash of both. */
export function policyId(namespace: string, name: string): string {
  const h = createHash('sha256').update(`${namespace}/${name}`).digest('hex').slice(0, 8);
  return `${namespace}-${name}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) + `-${h}`;
}

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** Cluster indexes the pods and namespaces of one computation. */
interface Cluster {
  pods: PodInfo[];
  byNamespace: Map<string, PodInfo[]>;
  nsLabels: (name: string) => Record<string, string>;
  namespaces: string[];
}

function clusterOf(input: NetpolInput): Cluster {
  const pods = input.pods.map(podInfo).filter((p): p is PodInfo => p !== undefined);
  const byNamespace = new Map<string, PodInfo[]>();
  for (const p of pods) {
    const list = byNamespace.get(p.namespace);
    if (list) list.push(p);
    else byNamespace.set(p.namespace, [p]);
  }
  const namespaces = sorted([...input.namespaces.map((n) => n.metadata.name ?? ''), ...byNamespace.keys()]);
  return { pods, byNamespace, nsLabels: namespaceLabels(input.namespaces), namespaces };
}

/** peerPods are the pods a rule's pod peers select (podSelector in the policy's namespace, namespaceSelector, or both). */
function peerPods(rule: PolicyRule, policy: ParsedPolicy, c: Cluster): PodInfo[] {
  const out = new Set<PodInfo>();
  for (const peer of rule.peers?.pods ?? []) {
    const nss = peer.namespaces ? c.namespaces.filter((ns) => peer.namespaces!.matches(c.nsLabels(ns))) : [policy.namespace];
    for (const ns of nss) for (const p of c.byNamespace.get(ns) ?? []) if (peer.pods.matches(p.labels)) out.add(p);
  }
  return [...out];
}

/** namedTuples are `address . protocol . port` for each pod's container port with the rule's port names. */
function namedTuples(rule: PolicyRule, pods: PodInfo[]): string[] | undefined {
  const named = (rule.ports ?? []).filter((p) => p.name !== undefined);
  if (!named.length) return undefined;
  const out: string[] = [];
  for (const pod of pods) {
    for (const port of named) {
      const number = pod.ports.get(`${port.name}/${port.protocol}`);
      if (number !== undefined) for (const ip of pod.ips) out.push(`${ip} . ${port.protocol} . ${number}`);
    }
  }
  return sorted(out);
}

/** numbered are `protocol . port` or `protocol . first-last` elements, merged per protocol. */
function numbered(rule: PolicyRule): string[] {
  const out: string[] = [];
  for (const protocol of ['tcp', 'udp', 'sctp'] as const) {
    const ranges: AddressRange[] = (rule.ports ?? []).filter((p) => p.protocol === protocol && p.first !== undefined).map((p) => ({ first: p.first!, last: Math.max(p.first!, p.last!) }));
    for (const r of mergeRanges(ranges)) out.push(`${protocol} . ${r.first === r.last ? r.first : `${r.first}-${r.last}`}`);
  }
  return out;
}

/**
 * ruleModel resolves one rule. A named port is looked up on the pod being connected to: for
 * ingress the selected local pods, for egress the peer pods (every pod when the rule has ipBlocks
 * or no peers); a pod without the name matches none of it.
 */
function ruleModel(rule: PolicyRule, policy: ParsedPolicy, targets: PodInfo[], dir: 'ingress' | 'egress', c: Cluster): RuleModel {
  const pods = rule.peers?.pods.length ? peerPods(rule, policy, c) : [];
  const peers = rule.peers && {
    pods: rule.peers.pods.length ? sorted(pods.flatMap((p) => p.ips)) : undefined,
    blocks: rule.peers.blocks.length ? ipBlockRanges(rule.peers.blocks).map(rangeElement) : undefined,
  };
  const destinations = dir === 'ingress' ? targets : rule.peers && !rule.peers.blocks.length ? pods : c.pods;
  const ports = rule.ports && {
    protocols: [...new Set(rule.ports.filter((p) => p.first === undefined && p.name === undefined).map((p) => p.protocol))].sort(),
    numbered: numbered(rule),
    named: namedTuples(rule, destinations),
  };
  return { peers, ports };
}

/**
 * netpolModel computes, for the pods of this node, the policies that select them and what each
 * allows, sorted by id. Policies selecting no local pod are left out: they change nothing here.
 */
export function netpolModel(input: NetpolInput): PolicyModel[] {
  const c = clusterOf(input);
  const out: PolicyModel[] = [];
  for (const obj of input.policies) {
    const policy = parsePolicy(obj);
    const targets = (c.byNamespace.get(policy.namespace) ?? []).filter((p) => p.node === input.nodeName && policy.podSelector.matches(p.labels));
    if (!targets.length || (!policy.ingress && !policy.egress)) continue;
    out.push({
      id: policyId(policy.namespace, policy.name),
      targets: sorted(targets.flatMap((p) => p.ips)),
      ingress: policy.ingress?.map((r) => ruleModel(r, policy, targets, 'ingress', c)),
      egress: policy.egress?.map((r) => ruleModel(r, policy, targets, 'egress', c)),
    });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
