import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import type { KubeObject } from '../api/types.js';
import { renderProxyRuleset } from './ruleset.js';

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
