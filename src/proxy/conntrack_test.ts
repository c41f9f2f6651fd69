import { test } from 'node:test';
import assert from 'node:assert/strict';
import { udpConntrackFlushes } from './conntrack.js';
import type { ServicePort } from './ruleset.js';

const port = (over: Partial<ServicePort>): ServicePort => ({
  id: 'default-dns-53-x', proto: 'udp', port: 53, nodePort: 0, frontends: ['10.43.0.20'], nodeFrontends: [],
  cluster: [], external: [], affinitySeconds: 0, externalLocal: false, ...over,
});
const ep = (ip: string) => ({ ip, port: 5353, local: false });

test('udpConntrackFlushes: removed endpoints, first endpoints, removed Services; TCP and unchanged ones need nothing', () => {
  const a = port({ cluster: [ep('10.42.0.5'), ep('10.42.1.5')], external: [ep('10.42.0.5'), ep('10.42.1.5')], nodePort: 30053, nodeFrontends: ['10.77.0.10'] });
  const b = port({ ...a, cluster: [ep('10.42.1.5')], external: [ep('10.42.1.5')] });
  assert.deepEqual(udpConntrackFlushes([a], [b]), [
    ['-D', '-p', 'udp', '--orig-dst', '10.43.0.20', '--orig-port-dst', '53', '--reply-src', '10.42.0.5'],
    ['-D', '-p', 'udp', '--orig-dst', '10.77.0.10', '--orig-port-dst', '53', '--reply-src', '10.42.0.5'],
    ['-D', '-p', 'udp', '--orig-port-dst', '30053', '--reply-src', '10.42.0.5'],
  ]);
  assert.deepEqual(udpConntrackFlushes([a], [a]), []);
  const empty = port({});
  assert.deepEqual(udpConntrackFlushes([empty], [b]), [
    ['-D', '-p', 'udp', '--orig-dst', '10.43.0.20', '--orig-port-dst', '53'],
    ['-D', '-p', 'udp', '--orig-dst', '10.77.0.10', '--orig-port-dst', '53'],
    ['-D', '-p', 'udp', '--orig-port-dst', '30053'],
  ]);
  assert.deepEqual(udpConntrackFlushes([port({ cluster: [ep('10.42.0.5')] })], []), [['-D', '-p', 'udp', '--orig-dst', '10.43.0.20', '--orig-port-dst', '53']]);
  const tcp = port({ proto: 'tcp', cluster: [ep('10.42.0.5')] });
  assert.deepEqual(udpConntrackFlushes([tcp], [{ ...tcp, cluster: [] }]), []);
});
