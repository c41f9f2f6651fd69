import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as packet from 'dns-packet';
import { ClusterRecords } from './records.js';
import { AnswerCache, answerFromZone, readUpstreams, startClusterDNS, truncateForUdp } from './server.js';
import { fakeApi } from '../client/testing/fake_api_test_helper.js';
import { silentLogger } from '../lib/log.js';

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

test('TCP: a client that half-closes after its queries still gets every answer, forwarded ones too', async () => {
  // A stand-in upstream on loopback that answers after 100 ms (like a real resolver, later than the zone).
  const upstream = createSocket('udp4');
  upstream.on('message', (m, r) => {
    const q = packet.decode(m);
    const answer = packet.encode({ id: q.id ?? 0, type: 'response', flags: packet.RECURSION_AVAILABLE, questions: q.questions ?? [], answers: [{ type: 'A', name: q.questions?.[0]?.name ?? '', ttl: 60, data: '192.0.2.7' }] });
    setTimeout(() => {
      try {
        upstream.send(answer, r.port, r.address);
      } catch {
        // closed: the test is over
      }
    }, 100);
  });
  await new Promise<void>((r) => upstream.bind(0, '127.0.0.1', () => r()));
  const api = await fakeApi();
  const ac = new AbortController();
  const dns = await startClusterDNS({ client: api.client, clusterDomain: 'cluster.local', listen: { host: '127.0.0.1', port: 0 }, resolvConf: '/nonexistent', upstreams: [{ host: '127.0.0.1', port: upstream.address().port }], logger: silentLogger, signal: ac.signal });
  try {
    const got = await new Promise<Buffer>((resolve, reject) => {
      const sock = connect(dns.port, '127.0.0.1');
      let buf = Buffer.alloc(0);
      sock.on('data', (d) => (buf = Buffer.concat([buf, d])));
      sock.on('close', () => resolve(buf)); // the server closes once both answers are written
      sock.on('error', reject);
      sock.setTimeout(5000, () => sock.destroy(new Error('no close from the server')));
      sock.write(Buffer.concat([packet.streamEncode(query('example.org', 'A')), packet.streamEncode({ ...query('nope.default.svc.cluster.local', 'A'), id: 8 })]));
      sock.end();
    });
    const answers: packet.Packet[] = [];
    for (let rest = got; rest.length >= 2; rest = rest.subarray(2 + rest.readUInt16BE(0))) answers.push(packet.decode(rest.subarray(2, 2 + rest.readUInt16BE(0))));
    assert.deepEqual(answers.map((a) => a.id).sort(), [7, 8]);
    const forwarded = answers.find((a) => a.id === 7);
    assert.deepEqual(forwarded?.answers?.map((a) => (a as { data: string }).data), ['192.0.2.7']);
    assert.equal((answers.find((a) => a.id === 8) as { rcode?: string }).rcode, 'NXDOMAIN');
  } finally {
    ac.abort();
    await dns.stop();
    upstream.close();
    api.stop();
  }
});

test('answerFromZone: SOA at the apex, dns-version TXT, OPT echoed for EDNS queries', () => {
  const soa = packet.decode(packet.encode(answerFromZone(zone, query('cluster.local', 'SOA'))));
  assert.equal(soa.answers?.[0]?.type, 'SOA');
  const txt = packet.decode(packet.encode(answerFromZone(zone, query('dns-version.cluster.local', 'TXT'))));
  assert.deepEqual((txt.answers?.[0] as { data: Buffer[] }).data.map(String), ['1.1.0']);
  const withOpt = packet.decode(packet.encode(answerFromZone(zone, query('web.default.svc.cluster.local', 'A', 4096))));
  assert.equal(withOpt.additionals?.[0]?.type, 'OPT');
  const plain = packet.decode(packet.encode(answerFromZone(zone, query('web.default.svc.cluster.local', 'A'))));
  assert.equal(plain.additionals?.length ?? 0, 0);
});

test('AnswerCache: a repeated query gets the stored answer under its own ID; any other byte misses', () => {
  const cache = new AnswerCache();
  const q = packet.encode(query('web.default.svc.cluster.local', 'A'));
  const answer = truncateForUdp(query('web.default.svc.cluster.local', 'A'), answerFromZone(zone, query('web.default.svc.cluster.local', 'A')));
  cache.set(q, answer);
  const again = packet.encode({ ...query('web.default.svc.cluster.local', 'A'), id: 4242 });
  const hit = cache.get(again);
  assert.equal(hit && packet.decode(hit).id, 4242);
  assert.equal(packet.decode(answer).id, 7, 'the stored answer is not changed');
  assert.equal(cache.get(packet.encode(query('WEB.default.svc.cluster.local', 'A'))), undefined, 'the question is echoed as asked');
  cache.clear();
  assert.equal(cache.get(again), undefined);
});
