import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeIP, servingSans } from './san.js';

describe('normalizeIP', () => {
  const cases: [string, string][] = [
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['FD00:0::0A', 'fd00::a'],
    [' 10.43.0.1 ', '10.43.0.1'],
  ];
  for (const [input, want] of cases) it(`${input} → ${want}`, () => assert.equal(normalizeIP(input), want));
  for (const bad of ['', 'localhost', '1.2.3', '10.0.0.256', ':::'])
    it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => normalizeIP(bad), /invalid IP/));
});

describe('servingSans', () => {
  it('adds the defaults, routes IP-looking names to IPs and de-duplicates', () => {
    const got = servingSans('Node-A', { dnsNames: ['LOCALHOST', '192.0.2.1', 'api.example.'], ips: ['0::1', '10.43.0.1'] });
    assert.deepEqual(got.dnsNames, [
      'localhost',
      'node-a',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
      'api.example',
    ]);
    assert.deepEqual(got.ips, ['192.0.2.1', '127.0.0.1', '::1', '10.43.0.1']);
  });
});
