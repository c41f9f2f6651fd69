import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldError } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { endpoints, formatEndpoints } from './endpoints.js';

const at = (errs: FieldError[]): string[] => errs.map((e) => `${e.type} ${e.field}`);
const ep = (subsets: unknown[]): KubeObject => ({ metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' }, subsets });

test('endpoints defaults port protocol', () => {
  const o = ep([{ addresses: [{ ip: '10.42.0.5' }], ports: [{ port: 80 }] }]);
  endpoints.defaults(o);
  assert.deepEqual(o.subsets, [{ addresses: [{ ip: '10.42.0.5' }], ports: [{ port: 80, protocol: 'TCP' }] }]);
});

test('endpoints validation', () => {
  const cases: { name: string; subsets: unknown[]; want: string[] }[] = [
    { name: 'valid', subsets: [{ addresses: [{ ip: '10.42.0.5' }], ports: [{ port: 80, protocol: 'TCP' }] }], want: [] },
    { name: 'no addresses', subsets: [{ ports: [{ port: 80, protocol: 'TCP' }] }], want: ['FieldValueRequired subsets[0]'] },
    { name: 'bad ip', subsets: [{ addresses: [{ ip: '10.42.0' }] }], want: ['FieldValueInvalid subsets[0].addresses[0].ip', 'FieldValueInvalid subsets[0].addresses[0].ip'] },
    { name: 'loopback', subsets: [{ notReadyAddresses: [{ ip: '127.0.0.1' }] }], want: ['FieldValueInvalid subsets[0].notReadyAddresses[0].ip'] },
    { name: 'ipv6 ok', subsets: [{ addresses: [{ ip: 'fd00::5' }] }], want: [] },
    { name: 'link-local v6', subsets: [{ addresses: [{ ip: 'fe80::1' }] }], want: ['FieldValueInvalid subsets[0].addresses[0].ip'] },
    {
      name: 'ports need names',
      subsets: [{ addresses: [{ ip: '10.42.0.5' }], ports: [{ port: 80, protocol: 'TCP' }, { port: 0, name: 'b', protocol: 'X' }] }],
      want: ['FieldValueRequired subsets[0].ports[0].name', 'FieldValueInvalid subsets[0].ports[1].port', 'FieldValueNotSupported subsets[0].ports[1].protocol'],
    },
  ];
  for (const c of cases) assert.deepEqual(at(endpoints.validate(ep(c.subsets))), c.want, c.name);
});

test('endpoints ENDPOINTS cell', () => {
  const addrs = (n: number): unknown[] => Array.from({ length: n }, (_, i) => ({ ip: `10.42.0.${i + 1}` }));
  const cases: { subsets: unknown[]; want: string }[] = [
    { subsets: [], want: '<none>' },
    { subsets: [{ addresses: addrs(2), ports: [{ port: 80 }] }], want: '10.42.0.1:80,10.42.0.2:80' },
    { subsets: [{ addresses: addrs(5), ports: [{ port: 80 }] }], want: '10.42.0.1:80,10.42.0.2:80,10.42.0.3:80 + 2 more...' },
    { subsets: [{ addresses: addrs(2), ports: [{ port: 80 }, { port: 443 }] }], want: '10.42.0.1:80,10.42.0.2:80,10.42.0.1:443 + 1 more...' },
    { subsets: [{ addresses: addrs(1) }], want: '10.42.0.1' },
    { subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }], want: '[fd00::1]:80' },
  ];
  for (const c of cases) assert.equal(formatEndpoints(ep(c.subsets)), c.want);
  assert.deepEqual(endpoints.row(ep([]), Date.parse('2024-01-01T00:00:30Z')), ['web', '<none>', '30s']);
});
