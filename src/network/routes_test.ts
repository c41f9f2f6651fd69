import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { silentLogger } from '../lib/log.js';
import { CommandError, type CommandRunner } from './command.js';
import { desiredRoutes, syncPodRoutes } from './routes.js';

function node(name: string, podCIDR?: string, ip?: string): KubeObject {
  return {
    metadata: { name },
    spec: podCIDR ? { podCIDR } : {},
    status: { addresses: ip ? [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: ip }] : [] },
  };
}

test('desiredRoutes: other nodes with a pod CIDR and an InternalIP', () => {
  const nodes = [node('w2', '10.42.2.0/24', '10.77.0.12'), node('me', '10.42.0.0/24', '10.77.0.10'), node('w1', '10.42.1.0/24', '10.77.0.11'), node('nocidr', undefined, '10.77.0.13'), node('noip', '10.42.4.0/24')];
  assert.deepEqual(desiredRoutes(nodes, { nodeName: 'me', nodeIP: '10.77.0.10' }), [
    { cidr: '10.42.1.0/24', via: '10.77.0.11' },
    { cidr: '10.42.2.0/24', via: '10.77.0.12' },
  ]);
});

/** fakeIp keeps a route table and records the commands it ran. */
function fakeIp(initial: Record<string, string>, failVia = ''): { run: CommandRunner; calls: string[]; table: Map<string, string> } {
  const table = new Map(Object.entries(initial));
  const calls: string[] = [];
  const run: CommandRunner = async (cmd, args) => {
    calls.push([cmd, ...args].join(' '));
    if (args[0] === '-j') return { stdout: JSON.stringify([...table].map(([dst, gateway]) => ({ dst, gateway, dev: 'eth0', protocol: '152' }))), stderr: '' };
    const [, verb, cidr, , via] = args;
    if (verb === 'replace') {
      if (via === failVia) throw new CommandError('ip route replace', 2, 'Error: Nexthop has invalid gateway.');
      table.set(cidr!, via!);
    }
    if (verb === 'del') table.delete(cidr!);
    return { stdout: '', stderr: '' };
  };
  return { run, calls, table };
}

test('syncPodRoutes adds missing, fixes changed, deletes stale, leaves matching alone', async () => {
  const ip = fakeIp({ '10.42.1.0/24': '10.77.0.11', '10.42.2.0/24': '10.77.0.99', '10.42.9.0/24': '10.77.0.19' });
  const res = await syncPodRoutes(ip.run, [{ cidr: '10.42.1.0/24', via: '10.77.0.11' }, { cidr: '10.42.2.0/24', via: '10.77.0.12' }, { cidr: '10.42.3.0/24', via: '10.77.0.13' }], silentLogger);
  assert.deepEqual(res, { added: 2, removed: 1, failed: [] });
  assert.deepEqual(Object.fromEntries(ip.table), { '10.42.1.0/24': '10.77.0.11', '10.42.2.0/24': '10.77.0.12', '10.42.3.0/24': '10.77.0.13' });
  assert.ok(ip.calls.includes('ip route del 10.42.9.0/24 proto 152'));
  assert.ok(ip.calls.includes('ip route replace 10.42.3.0/24 via 10.77.0.13 proto 152'));
});

test('syncPodRoutes reports a route it cannot set and still sets the others', async () => {
  const ip = fakeIp({}, '10.99.0.1');
  const res = await syncPodRoutes(ip.run, [{ cidr: '10.42.1.0/24', via: '10.99.0.1' }, { cidr: '10.42.2.0/24', via: '10.77.0.12' }], silentLogger);
  assert.deepEqual(res, { added: 1, removed: 0, failed: ['10.42.1.0/24'] });
  assert.deepEqual(Object.fromEntries(ip.table), { '10.42.2.0/24': '10.77.0.12' });
});
