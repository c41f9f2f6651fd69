import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeIP, parseSubjectAltName, servingSans } from './san.js';

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

describe('parseSubjectAltName', () => {
  // Inputs are what node:crypto's X509Certificate prints for subjectAltName.
  const cases: [string, string, [string, string][]][] = [
    ['empty', '', []],
    ['DNS and IPs', 'DNS:n1, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1', [['DNS', 'n1'], ['DNS', 'localhost'], ['IP Address', '127.0.0.1'], ['IP Address', '0:0:0:0:0:0:0:1']]],
    ['JSON-quoted values', 'DNS:"a, b", URI:"x\\"y", DNS:c', [['DNS', 'a, b'], ['URI', 'x"y'], ['DNS', 'c']]],
    ['unreadable quoting ends the list', 'DNS:a, DNS:"\\q', [['DNS', 'a']]],
  ];
  for (const [name, text, want] of cases) {
    it(name, () => assert.deepEqual(parseSubjectAltName(text).map((n) => [n.type, n.value]), want));
  }
});
