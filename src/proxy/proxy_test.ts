import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import type { EventHandlers } from '../client/informer.js';
import { startServiceProxy } from './proxy.js';

function src(items: KubeObject[]): { list: () => KubeObject[]; addHandlers: (h: EventHandlers) => void; fire: () => void } {
  const hs: EventHandlers[] = [];
  return { list: () => items, addHandlers: (h) => { hs.push(h); }, fire: () => { for (const h of hs) h.onAdd?.(items[0] ?? ({} as KubeObject)); } };
}

test('startServiceProxy applies once and coalesces bursts', async () => {
  const calls: string[] = [];
  const svcs = src([]);
  const eps = src([]);
  const p = startServiceProxy({ services: svcs, endpointSlices: eps, nodeName: 'n1', nodeIPs: [], clusterCIDR: '10.42.0.0/16',
    run: async (cmd, args, input) => { calls.push(`${cmd} ${args.join(' ')}`); assert.ok(input?.includes('table ip skiff-proxy')); return { stdout: '', stderr: '' }; } });
  await new Promise((r) => setImmediate(r));
  svcs.fire(); svcs.fire(); eps.fire();
  await p.flush();
  assert.deepEqual(calls, ['nft -f -']);
  assert.ok(p.lastApplied()?.includes('service-ips'));
  p.stop();
});
