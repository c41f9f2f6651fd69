import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as packet from 'dns-packet';
import { ClusterRecords } from './records.js';
import { answerFromZone, readUpstreams, truncateForUdp } from './server.js';

const zone = new ClusterRecords('cluster.local');
const many = Array.from({ length: 60 }, (_, i) => ({ addresses: [`10.42.0.${i + 1}`], conditions: { ready: true } }));
zone.rebuild(
  [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: '10.43.0.20' } }, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'big', namespace: 'default' }, spec: { clusterIP: 'None' } }],
  [{ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'big-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'big' } }, endpoints: many }],
  [],
);
const query = (name: string, type: packet.RecordType, edns?: number): packet.Packet => ({
  id: 7, type: 'query', flags: packet.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }],
  ...(edns ? { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: edns } as packet.Answer] } : {}),
});

test('answerFromZone: A answer, NXDOMAIN with SOA, NODATA', () => {
  const a = packet.decode(packet.encode(answerFromZone(zone, query('web.default.svc.cluster.local', 'A'))));
  assert.equal(a.id, 7);
  assert.equal((a as { rcode?: string }).rcode, 'NOERROR');
  assert.deepEqual(a.answers?.map((x) => (x as { data: string }).data), ['10.43.0.20']);
  const nx = packet.decode(packet.encode(answerFromZone(zone, query('nope.default.svc.cluster.local', 'A'))));
  assert.equal((nx as { rcode?: string }).rcode, 'NXDOMAIN');
  assert.equal(nx.authorities?.[0]?.type, 'SOA');
  const nodata = packet.decode(packet.encode(answerFromZone(zone, query('web.default.svc.cluster.local', 'AAAA'))));
  assert.equal((nodata as { rcode?: string }).rcode, 'NOERROR');
  assert.equal(nodata.answers?.length, 0);
});

test('truncateForUdp sets TC past 512 bytes unless EDNS allows more', () => {
  const q = query('big.default.svc.cluster.local', 'A');
  const cut = packet.decode(truncateForUdp(q, answerFromZone(zone, q)));
  assert.ok((cut.flags ?? 0) & packet.TRUNCATED_RESPONSE);
  assert.equal(cut.answers?.length, 0);
  const q2 = query('big.default.svc.cluster.local', 'A', 4096);
  const whole = packet.decode(truncateForUdp(q2, answerFromZone(zone, q2)));
  assert.equal(whole.answers?.length, 60);
});

test('readUpstreams skips loopback resolvers and missing files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-dns-'));
  writeFileSync(join(dir, 'resolv.conf'), 'nameserver 127.0.0.53\nnameserver 192.0.2.1\nsearch x\n');
  assert.deepEqual(readUpstreams(join(dir, 'resolv.conf')), [{ host: '192.0.2.1', port: 53 }]);
  assert.deepEqual(readUpstreams(join(dir, 'missing')), []);
});
