import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import type { KubeObject } from '../api/types.js';
import { buildTable, proxyPorts, renderChanges, renderFull, renderProxyRuleset, type ProxyRulesetInput } from './ruleset.js';

const hasNft = spawnSync('nft', ['--version']).status === 0;
const isRoot = process.getuid?.() === 0;

const slice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 5353, protocol: 'UDP' }],
  endpoints: [{ addresses: ['10.42.0.5'], conditions: { ready: true } }, { addresses: ['10.42.0.7'] }] } as unknown as KubeObject;
const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
  spec: { type: 'LoadBalancer', clusterIP: '10.43.0.10', externalIPs: ['192.0.2.9'], externalTrafficPolicy: 'Local', sessionAffinity: 'ClientIP', ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'none', port: 9, protocol: 'SCTP' }] } } as unknown as KubeObject;

test('ruleset is accepted by real nft in a throwaway netns', { skip: !(hasNft && isRoot) }, () => {
  const ns = `skiff-proxy-test-${process.pid}`;
  const text = renderProxyRuleset({ services: [svc], endpointSlices: [slice], nodeName: 'n1', nodeIPs: ['192.168.1.2'], clusterCIDR: '10.42.0.0/16' });
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    const nft = (args: string[]): string => execFileSync('nsenter', [`--net=/run/netns/${ns}`, 'nft', ...args], { input: text, encoding: 'utf8' });
    nft(['-c', '-f', '-']);
    nft(['-f', '-']);
    nft(['-f', '-']); // re-apply: atomic replace works on an existing table
    assert.match(nft(['list', 'table', 'ip', 'skiff-proxy']), /dnat to 10\.42\.0\.5:8080/);
  } finally {
    execFileSync('ip', ['netns', 'delete', ns]);
  }
});

/** canonical is a table as nft lists it in JSON, without handles and with elements sorted, so two tables built differently compare equal. */
function canonical(json: string): string[] {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'handle').map(([k, x]) => [k, k === 'elem' && Array.isArray(x) ? x.map((e) => JSON.stringify(strip(e))).sort() : strip(x)]));
    return v;
  };
  return (JSON.parse(json) as { nftables: unknown[] }).nftables.filter((o) => !(o as { metainfo?: unknown }).metainfo).map((o) => JSON.stringify(strip(o))).sort();
}

test('incremental changes leave the same table as a full rewrite (real nft)', { skip: !(hasNft && isRoot) }, () => {
  const ns = `skiff-proxy-inc-${process.pid}`;
  const base = (services: KubeObject[], endpointSlices: KubeObject[]): ProxyRulesetInput => ({ services, endpointSlices, nodeName: 'n1', nodeIPs: ['192.168.1.2'], clusterCIDR: '10.42.0.0/16' });
  const other = { ...svc, metadata: { name: 'other', namespace: 'default' }, spec: { clusterIP: '10.43.0.11', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } } as unknown as KubeObject;
  const otherSlice = { ...slice, metadata: { name: 'o1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'other' } }, endpoints: [{ addresses: ['10.42.3.3'] }] } as unknown as KubeObject;
  const moved = { ...slice, endpoints: [{ addresses: ['10.42.0.5'], conditions: { ready: true } }, { addresses: ['10.42.0.8'], nodeName: 'n1' }, { addresses: ['10.42.0.9'] }] } as unknown as KubeObject;
  const steps = [base([svc], [slice]), base([svc, other], [slice, otherSlice]), base([svc, other], [moved, otherSlice]), base([svc, other], [otherSlice]), base([other], [otherSlice]), base([svc], [moved])];
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    const nft = (args: string[], input = ''): string => execFileSync('nsenter', [`--net=/run/netns/${ns}`, 'nft', ...args], { input, encoding: 'utf8' });
    const tables = steps.map((s) => buildTable(proxyPorts(s), s));
    nft(['-f', '-'], renderFull(tables[0]!));
    for (let i = 1; i < tables.length; i++) {
      nft(['-f', '-'], renderChanges(tables[i - 1]!, tables[i]!));
      const incremental = canonical(nft(['-j', 'list', 'table', 'ip', 'skiff-proxy']));
      nft(['-f', '-'], renderFull(tables[i]!));
      assert.deepEqual(incremental, canonical(nft(['-j', 'list', 'table', 'ip', 'skiff-proxy'])), `step ${i}`);
    }
  } finally {
    execFileSync('ip', ['netns', 'delete', ns]);
  }
});
