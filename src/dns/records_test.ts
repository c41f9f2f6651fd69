import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { ClusterRecords, serviceKey, serviceRecords } from './records.js';

const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });
const zone = new ClusterRecords('cluster.local');
zone.rebuild(
  [
    svc('web', { clusterIP: '10.43.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
    svc('dual', { clusterIP: '10.43.0.21', clusterIPs: ['10.43.0.21', 'fd00:43::21'], ports: [{ port: 80 }] }),
    svc('v6', { clusterIP: 'None' }),
    svc('db', { clusterIP: 'None', ports: [{ name: 'mongo', port: 27017 }] }),
    svc('empty', { clusterIP: 'None' }),
    svc('ext', { type: 'ExternalName', externalName: 'example.org' }),
  ],
  [{ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'db-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'db' } }, ports: [{ name: 'mongo', port: 27017, protocol: 'TCP' }], endpoints: [{ addresses: ['10.42.0.7'], hostname: 'db-0', conditions: { ready: true } }, { addresses: ['10.42.0.8'], conditions: { ready: false } }] },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'v6-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'v6' } }, addressType: 'IPv6', endpoints: [{ addresses: ['fd00:42::7'], conditions: { ready: true } }] },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } }, endpoints: [{ addresses: ['10.42.0.5'], conditions: { ready: true } }] }],
  [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, status: { podIP: '10.42.0.9', podIPs: [{ ip: '10.42.0.9' }, { ip: 'fd00:42::9' }] } }],
);

test('records per the Kubernetes DNS specification', () => {
  const cases: [string, string, string[], boolean][] = [
    ['web.default.svc.cluster.local', 'A', ['10.43.0.20'], true],
    ['WEB.default.svc.cluster.local.', 'A', ['10.43.0.20'], true],
    ['web.default.svc.cluster.local', 'AAAA', [], true],
    ['_http._tcp.web.default.svc.cluster.local', 'SRV', ['80 web.default.svc.cluster.local'], true],
    ['db.default.svc.cluster.local', 'A', ['10.42.0.7'], true],
    ['db-0.db.default.svc.cluster.local', 'A', ['10.42.0.7'], true],
    ['_mongo._tcp.db.default.svc.cluster.local', 'SRV', ['27017 db-0.db.default.svc.cluster.local'], true],
    ['empty.default.svc.cluster.local', 'A', [], true],
    ['ext.default.svc.cluster.local', 'A', ['example.org'], true],
    ['20.0.43.10.in-addr.arpa', 'PTR', ['web.default.svc.cluster.local'], true],
    ['10-42-0-9.default.pod.cluster.local', 'A', ['10.42.0.9'], true],
    ['fd00-42--9.default.pod.cluster.local', 'AAAA', ['fd00:42::9'], true],
    ['dual.default.svc.cluster.local', 'A', ['10.43.0.21'], true],
    ['dual.default.svc.cluster.local', 'AAAA', ['fd00:43::21'], true],
    ['1.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.4.0.0.0.0.d.f.ip6.arpa', 'PTR', ['dual.default.svc.cluster.local'], true],
    ['v6.default.svc.cluster.local', 'AAAA', ['fd00:42::7'], true],
    ['fd00-42--7.v6.default.svc.cluster.local', 'AAAA', ['fd00:42::7'], true],
    ['7.0.42.10.in-addr.arpa', 'PTR', ['db-0.db.default.svc.cluster.local'], true],
    ['5.0.42.10.in-addr.arpa', 'PTR', ['10-42-0-5.web.default.svc.cluster.local'], true],
    ['default.svc.cluster.local', 'A', [], true],
    ['nothing.default.svc.cluster.local', 'A', [], false],
  ];
  for (const [name, type, want, exists] of cases) {
    const r = zone.lookup(name, type);
    const got = r.answers.map((a) => (a.type === 'SRV' ? `${a.data.port} ${a.data.target}` : a.data));
    assert.deepEqual(got, want, `${type} ${name}`);
    assert.equal(r.exists, exists, `${type} ${name} exists`);
  }
  assert.ok(zone.inZone('x.cluster.local'));
  assert.ok(!zone.inZone('example.org'));
});

test('changes to one object touch only its records; shared records and names stay while anyone holds them', () => {
  const z = new ClusterRecords('cluster.local');
  const slice = (svc: string, ip: string): KubeObject => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${svc}-1`, namespace: 'dev', labels: { 'kubernetes.io/service-name': svc } }, endpoints: [{ addresses: [ip], conditions: { ready: true } }] });
  const a = { ...svc('a', { clusterIP: '10.43.1.1' }), metadata: { name: 'a', namespace: 'dev' } };
  const b = { ...svc('b', { clusterIP: '10.43.1.2' }), metadata: { name: 'b', namespace: 'dev' } };
  z.apply([
    [serviceKey('dev', 'a'), serviceRecords('cluster.local', a, [slice('a', '10.42.1.9')])],
    [serviceKey('dev', 'b'), serviceRecords('cluster.local', b, [slice('b', '10.42.1.9')])],
  ]);
  assert.equal(z.lookup('9.1.42.10.in-addr.arpa', 'PTR').answers.length, 2, 'one PTR per Service behind the address');
  z.apply([[serviceKey('dev', 'a'), null]]);
  assert.deepEqual(z.lookup('a.dev.svc.cluster.local', 'A'), { exists: false, answers: [] });
  assert.deepEqual(z.lookup('9.1.42.10.in-addr.arpa', 'PTR').answers.map((r) => r.data), ['10-42-1-9.b.dev.svc.cluster.local']);
  assert.ok(z.lookup('dev.svc.cluster.local', 'A').exists, 'the namespace still has b');
  z.apply([[serviceKey('dev', 'b'), null]]);
  assert.ok(!z.lookup('dev.svc.cluster.local', 'A').exists, 'no Service left in dev');
  assert.ok(!z.lookup('9.1.42.10.in-addr.arpa', 'PTR').exists);
  assert.ok(z.lookup('cluster.local', 'SOA').exists);
  assert.deepEqual(z.lookup('dns-version.cluster.local', 'TXT').answers.map((r) => r.data), [['1.1.0']]);
});
