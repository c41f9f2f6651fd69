/** NetworkPolicy (networking.k8s.io/v1): defaults, validation and printing as kube-apiserver v1.32 does them. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { validateLabelSelector } from '../../labels/selector.js';
import { arr, ensureObj, field, setDefault, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import { isObject, type KubeObject } from '../../types.js';
import { AGE_COLUMN, column, formatSelectorCell, NAME_COLUMN } from '../apps/workload_columns.js';
import { parseIP } from '../core/core_ip.js';
import { isValidPortNum, PORT_RANGE_MSG, portNameProblems } from '../core/core_syntax.js';

/** defaultNetworkPolicy applies SetDefaults_NetworkPolicy (policyTypes) and SetDefaults_NetworkPolicyPort (protocol TCP). */
export function defaultNetworkPolicy(obj: KubeObject): void {
  const spec = ensureObj(obj, 'spec');
  ensureObj(spec, 'podSelector');
  for (const dir of ['ingress', 'egress']) {
    for (const rule of arr(spec, dir)) for (const port of arr(rule, 'ports')) if (isObject(port)) setDefault(port, 'protocol', 'TCP');
  }
  if (arr(spec, 'policyTypes').length === 0) spec.policyTypes = arr(spec, 'egress').length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** parseCIDR parses `a.b.c.d/n` or an IPv6 prefix into its bytes and prefix length. */
export function parseCIDR(s: string): { bytes: number[]; bits: number } | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const bytes = parseIP(s.slice(0, slash));
  const len = s.slice(slash + 1);
  if (!bytes || !/^\d{1,3}$/.test(len)) return undefined;
  const bits = Number(len);
  return bits <= bytes.length * 8 ? { bytes, bits } : undefined;
}

function cidrContains(net: { bytes: number[]; bits: number }, ip: number[]): boolean {
  if (ip.length !== net.bytes.length) return false;
  for (let i = 0; i < net.bits; i++) {
    const bit = (b: number[]) => ((b[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;
    if (bit(net.bytes) !== bit(ip)) return false;
  }
  return true;
}

const INVALID_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function validateIPBlock(block: unknown, path: string): FieldError[] {
  const cidr = str(block, 'cidr') ?? '';
  if (cidr === '') return [fieldErr.required(`${path}.cidr`)];
  const net = parseCIDR(cidr);
  if (!net) return [fieldErr.invalid(`${path}.cidr`, cidr, INVALID_CIDR)];
  const errs: FieldError[] = [];
  arr(block, 'except').forEach((e, i) => {
    const ex = typeof e === 'string' ? parseCIDR(e) : undefined;
    if (!ex) errs.push(fieldErr.invalid(`${path}.except[${i}]`, e, INVALID_CIDR));
    else if (!cidrContains(net, ex.bytes) || net.bits >= ex.bits) errs.push(fieldErr.invalid(`${path}.except[${i}]`, e, 'must be a strict subset of `cidr`'));
  });
  return errs;
}

function validatePort(port: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const protocol = field(port, 'protocol');
  if (protocol !== undefined && protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') errs.push(fieldErr.notSupported(`${path}.protocol`, protocol, ['TCP', 'UDP', 'SCTP']));
  const p = field(port, 'port');
  const endPort = field(port, 'endPort');
  if (typeof p === 'number') {
    if (!isValidPortNum(p)) errs.push(fieldErr.invalid(`${path}.port`, p, PORT_RANGE_MSG));
    if (typeof endPort === 'number') {
      if (endPort < p) errs.push(fieldErr.invalid(`${path}.endPort`, p, 'must be greater than or equal to `port`'));
      if (!isValidPortNum(endPort)) errs.push(fieldErr.invalid(`${path}.endPort`, endPort, PORT_RANGE_MSG));
    }
  } else if (typeof p === 'string') {
    if (endPort !== undefined) errs.push(fieldErr.invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is non-numeric'));
    errs.push(...portNameProblems(p).map((m) => fieldErr.invalid(`${path}.port`, p, m)));
  } else if (endPort !== undefined) {
    errs.push(fieldErr.invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

function validatePeer(peer: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let peers = 0;
  for (const key of ['podSelector', 'namespaceSelector']) {
    const sel = field(peer, key);
    if (sel === undefined || sel === null) continue;
    peers++;
    errs.push(...validateLabelSelector(sel, `${path}.${key}`));
  }
  const block = field(peer, 'ipBlock');
  const hasBlock = block !== undefined && block !== null;
  if (hasBlock) {
    peers++;
    errs.push(...validateIPBlock(block, `${path}.ipBlock`));
  }
  if (peers === 0) errs.push(fieldErr.required(path, 'must specify a peer'));
  else if (peers > 1 && hasBlock) errs.push(fieldErr.forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

/** validateNetworkPolicy is ValidateNetworkPolicy (podSelector, ports, peers, policyTypes); updates validate the same. */
export function validateNetworkPolicy(obj: KubeObject): FieldError[] {
  const spec = field(obj, 'spec');
  const errs = validateLabelSelector(field(spec, 'podSelector') ?? {}, 'spec.podSelector');
  for (const [dir, peerKey] of [['ingress', 'from'], ['egress', 'to']] as const) {
    arr(spec, dir).forEach((rule, i) => {
      arr(rule, 'ports').forEach((p, j) => errs.push(...validatePort(p, `spec.${dir}[${i}].ports[${j}]`)));
      arr(rule, peerKey).forEach((p, j) => errs.push(...validatePeer(p, `spec.${dir}[${i}].${peerKey}[${j}]`)));
    });
  }
  const types = arr(spec, 'policyTypes');
  if (types.length > 2) return [...errs, fieldErr.invalid('spec.policyTypes', types, 'may not specify more than two policyTypes')];
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(fieldErr.notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  });
  return errs;
}

/** networkpolicies is the networking.k8s.io/v1 NetworkPolicy resource (short name `netpol`). */
export const networkpolicies: ResourceType = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  singular: 'networkpolicy',
  namespaced: true,
  shortNames: ['netpol'],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: true,
  subresources: [],
  defaults: defaultNetworkPolicy,
  validate: validateNetworkPolicy,
  columns: [
    NAME_COLUMN,
    column('Pod-Selector', 'string', 'Selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace.'),
    AGE_COLUMN,
  ],
  row: (obj, now) => [obj.metadata.name ?? '', formatSelectorCell(field(obj, 'spec', 'podSelector') ?? {}), age(obj.metadata.creationTimestamp, now)],
};
