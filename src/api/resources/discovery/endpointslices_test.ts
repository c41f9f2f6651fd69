import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { endpointslices, SERVICE_NAME_LABEL } from './endpointslices.js';

function slice(addressType: string, endpoints: unknown[], ports: unknown[]): KubeObject {
  return { metadata: { name: 'web-abc', labels: { [SERVICE_NAME_LABEL]: 'web' }, creationTimestamp: '2024-01-01T00:00:00Z' }, addressType, endpoints, ports };
}

test('endpointslice defaults and valid slices', () => {
  const s = slice('IPv4', [{ addresses: ['10.42.0.5'], conditions: { ready: true }, nodeName: 'node-1' }], [{ port: 80 }]);
  endpointslices.defaults(s);
  assert.deepEqual(s.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
  assert.deepEqual(endpointslices.validate(s), []);
  const fqdn = slice('FQDN', [{ addresses: ['db.example.com'] }], []);
  assert.deepEqual(endpointslices.validate(fqdn), []);
});

test('endpointslice validation', () => {
  const cases: { s: KubeObject; want: string[] }[] = [
    { s: slice('IPv5', [], []), want: ['addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"'] },
    { s: slice('IPv4', [{ addresses: [] }], []), want: ['endpoints[0].addresses: Required value: must contain at least 1 address'] },
    { s: slice('IPv4', [{ addresses: ['fd00::1'] }], []), want: ['endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address'] },
    { s: slice('IPv4', [{ addresses: ['127.0.0.1'] }], []), want: ['endpoints[0].addresses[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'] },
    { s: slice('FQDN', [{ addresses: ['localhost'] }], []), want: ['endpoints[0].addresses[0]: Invalid value: "localhost": should be a domain with at least two segments separated by dots'] },
    {
      s: slice('IPv4', [], [{ name: 'http', protocol: 'TCP' }, { name: 'http', protocol: 'ICMP' }]),
      want: ['ports[1].name: Duplicate value: "http"', 'ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"'],
    },
  ];
  for (const c of cases) assert.deepEqual(endpointslices.validate(c.s).map((e) => fieldErrorMessage(e)), c.want);
  const old = slice('IPv4', [], []);
  const upd = slice('IPv6', [], []);
  assert.deepEqual(endpointslices.validate(upd, old).map((e) => [e.field, e.detail]), [['addressType', 'field is immutable']]);
});

test('endpointslice row', () => {
  const now = Date.parse('2024-01-01T00:00:10Z');
  const s = slice('IPv4', [{ addresses: ['10.0.0.1', '10.0.0.2'] }, { addresses: ['10.0.0.3', '10.0.0.4', '10.0.0.5'] }], [{ port: 80 }, { name: 'metrics' }, {}]);
  assert.deepEqual(endpointslices.row(s, now), ['web-abc', 'IPv4', '80,metrics,*', '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...', '10s']);
  assert.deepEqual(endpointslices.row(slice('IPv4', [], []), now).slice(2, 4), ['<unset>', '<unset>']);
});
