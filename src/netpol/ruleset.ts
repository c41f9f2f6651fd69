/** The nftables table `ip skiff-netpol`: the model as sets and chains, rendered whole or as a change. */
import type { PolicyModel, RuleModel } from './model.js';

/** NETPOL_TABLE is the nftables table the policy controller owns on each node (family ip, as the proxy's). */
export const NETPOL_TABLE = 'skiff-netpol';

/** SetKind is what a named set holds: addresses, address ranges, or address . protocol . port tuples. */
export type SetKind = 'addr' | 'interval' | 'tuple';
const SET_TYPES: Record<SetKind, string> = {
  addr: 'type ipv4_addr;',
  interval: 'type ipv4_addr; flags interval;',
  tuple: 'type ipv4_addr . inet_proto . inet_service;',
};

/** NetpolTable is one rendering: named sets with their elements, and the non-base chains with their rules. */
export interface NetpolTable {
  sets: Map<string, { kind: SetKind; elements: string[] }>;
  chains: Map<string, string[]>;
}

// Whatever no rule accepts is refused at once (as kube-router's REJECT), not left to time out.
const REFUSE = ['meta l4proto tcp reject with tcp reset', 'reject'];

/** ruleLines renders one rule: every peer match with every port match (each pair is one nft rule), then accept. */
function ruleLines(rule: RuleModel, base: string, dir: 'ingress' | 'egress', t: NetpolTable): string[] {
  const addr = dir === 'ingress' ? 'ip saddr' : 'ip daddr';
  const set = (suffix: string, kind: SetKind, elements: string[]): string => {
    t.sets.set(`${base}-${suffix}`, { kind, elements });
    return `@${base}-${suffix}`;
  };
  const peers = rule.peers === undefined ? [''] : [
    ...(rule.peers.pods !== undefined ? [`${addr} ${set('pods', 'addr', rule.peers.pods)}`] : []),
    ...(rule.peers.blocks !== undefined ? [`${addr} ${set('blocks', 'interval', rule.peers.blocks)}`] : []),
  ];
  const p = rule.ports;
  const ports = p === undefined ? [''] : [
    ...(p.protocols.length ? [`meta l4proto { ${p.protocols.join(', ')} }`] : []),
    ...(p.numbered.length ? [`meta l4proto . th dport { ${p.numbered.join(', ')} }`] : []),
    ...(p.named !== undefined ? [`ip daddr . meta l4proto . th dport ${set('named', 'tuple', p.named)}`] : []),
  ];
  return peers.flatMap((peer) => ports.map((port) => [peer, port, 'accept'].filter(Boolean).join(' ')));
}

/**
 * buildTable models the table: sets of isolated pods per direction, a set of targets per policy,
 * one chain per policy and direction whose rules accept what the policy allows (sets per rule for
 * peer pods, ipBlocks and named ports), and the `ingress`/`egress` chains that send an isolated
 * pod's new connections through the chains of every policy selecting it, refusing the rest.
 */
export function buildTable(models: PolicyModel[]): NetpolTable {
  const t: NetpolTable = { sets: new Map(), chains: new Map() };
  const isolated = { ingress: new Set<string>(), egress: new Set<string>() };
  const dispatch = { ingress: [] as string[], egress: [] as string[] };
  for (const m of models) {
    t.sets.set(`${m.id}-targets`, { kind: 'addr', elements: m.targets });
    for (const dir of ['ingress', 'egress'] as const) {
      const rules = m[dir];
      if (!rules) continue;
      const chain = `${m.id}-${dir === 'ingress' ? 'in' : 'eg'}`;
      t.chains.set(chain, rules.flatMap((r, i) => ruleLines(r, `${chain}${i}`, dir, t)));
      for (const ip of m.targets) isolated[dir].add(ip);
      dispatch[dir].push(`ip ${dir === 'ingress' ? 'daddr' : 'saddr'} @${m.id}-targets jump ${chain}`);
    }
  }
  t.sets.set('ingress-isolated', { kind: 'addr', elements: [...isolated.ingress].sort() });
  t.sets.set('egress-isolated', { kind: 'addr', elements: [...isolated.egress].sort() });
  t.chains.set('ingress', [...dispatch.ingress, ...REFUSE]);
  t.chains.set('egress', [...dispatch.egress, ...REFUSE]);
  return t;
}

const elementsClause = (elements: string[]): string => (elements.length ? ` elements = { ${elements.join(', ')} }` : '');

/** baseChain hooks a direction's check in: established and related flows pass, new ones of isolated pods go to its chain. */
function baseChain(name: string, hook: 'forward' | 'input', dir: 'ingress' | 'egress'): string[] {
  return [
    `  chain ${name} {`,
    `    type filter hook ${hook} priority filter; policy accept;`,
    '    ct state established,related accept',
    `    ip ${dir === 'ingress' ? 'daddr' : 'saddr'} @${dir}-isolated jump ${dir}`,
    '  }',
  ];
}

/**
 * renderFull is the `nft -f` text that replaces the whole table in one transaction. Ingress and
 * egress are checked by separate base chains, so a policy chain's accept ends only its own check.
 * Pod-to-pod traffic on one node is bridged; br_netfilter hands it to the forward hook too.
 * Pods reaching the node itself (DNS on the node address) pass the input hook, which checks
 * egress; the node reaching its pods (probes) leaves by output, which nothing here filters.
 */
export function renderFull(t: NetpolTable): string {
  const dispatchers = ['ingress', 'egress'];
  const policyChains = [...t.chains].filter(([name]) => !dispatchers.includes(name));
  const chain = ([name, rules]: [string, string[]]): string[] => [`  chain ${name} {`, ...rules.map((r) => `    ${r}`), '  }'];
  return [
    `add table ip ${NETPOL_TABLE}`,
    `delete table ip ${NETPOL_TABLE}`,
    `table ip ${NETPOL_TABLE} {`,
    ...[...t.sets].flatMap(([name, s]) => [`  set ${name} {`, `    ${SET_TYPES[s.kind]}${elementsClause(s.elements)}`, '  }']),
    ...policyChains.flatMap(chain),
    ...dispatchers.flatMap((name) => chain([name, t.chains.get(name) ?? REFUSE])),
    ...baseChain('forward-ingress', 'forward', 'ingress'),
    ...baseChain('forward-egress', 'forward', 'egress'),
    ...baseChain('input-egress', 'input', 'egress'),
    '}',
    '',
  ].join('\n');
}

const sameList = (a: string[] | undefined, b: string[]): boolean => a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * renderChanges is the transaction (one command per line) that turns table `from` into `to`,
 * touching only what differs; empty when nothing does. New sets and chains come first, then
 * changed rules and elements, then the chains and sets nothing refers to any more. Interval sets
 * are refilled whole when they change (their elements are merged ranges, not the ones added).
 */
export function renderChanges(from: NetpolTable, to: NetpolTable): string {
  const T = `ip ${NETPOL_TABLE}`;
  const out: string[] = [];
  const gone: string[] = [];
  for (const [name, s] of to.sets) if (!from.sets.has(name)) out.push(`add set ${T} ${name} { ${SET_TYPES[s.kind]} }`);
  for (const name of to.chains.keys()) if (!from.chains.has(name)) out.push(`add chain ${T} ${name}`);
  for (const [name, rules] of to.chains) {
    const old = from.chains.get(name);
    if (sameList(old, rules)) continue;
    if (old) out.push(`flush chain ${T} ${name}`);
    for (const r of rules) out.push(`add rule ${T} ${name} ${r}`);
  }
  for (const [name, s] of to.sets) {
    const before = from.sets.get(name)?.elements ?? [];
    if (sameList(before, s.elements)) continue;
    if (s.kind === 'interval') {
      if (before.length) out.push(`flush set ${T} ${name}`);
      if (s.elements.length) out.push(`add element ${T} ${name} { ${s.elements.join(', ')} }`);
      continue;
    }
    const now = new Set(s.elements);
    const was = new Set(before);
    const removed = before.filter((e) => !now.has(e));
    const added = s.elements.filter((e) => !was.has(e));
    if (removed.length) out.push(`delete element ${T} ${name} { ${removed.join(', ')} }`);
    if (added.length) out.push(`add element ${T} ${name} { ${added.join(', ')} }`);
  }
  for (const name of from.chains.keys()) {
    if (to.chains.has(name)) continue;
    out.push(`flush chain ${T} ${name}`);
    gone.push(`delete chain ${T} ${name}`);
  }
  for (const name of from.sets.keys()) if (!to.sets.has(name)) gone.push(`delete set ${T} ${name}`);
  return out.length || gone.length ? [...out, ...gone, ''].join('\n') : '';
}
