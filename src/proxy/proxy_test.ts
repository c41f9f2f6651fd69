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

test('startServiceProxy rewrites the table first, then sends only changes, and the whole table again after a failure', async () => {
  const texts: string[] = [];
  const items: KubeObject[] = [];
  const svcs = src(items);
  const eps = src([]);
  let fail = false;
  const p = startServiceProxy({ services: svcs, endpointSlices: eps, nodeName: 'n1', nodeIPs: [], clusterCIDR: '10.42.0.0/16',
    run: async (_cmd, _args, input) => { texts.push(input ?? ''); if (fail) { fail = false; throw new Error('nft failed'); } return { stdout: '', stderr: '' }; }, onError: () => undefined });
  await new Promise((r) => setImmediate(r));
  await p.flush();
  const web = (ip: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: `web${ip}`, namespace: 'default' }, spec: { clusterIP: ip, ports: [{ port: 80, protocol: 'TCP' }] } });
  items.push(web('10.43.0.5'));
  svcs.fire();
  await p.flush();
  assert.match(texts[0]!, /delete table ip skiff-proxy/);
  assert.equal(texts[1], 'add element ip skiff-proxy no-endpoint-services { 10.43.0.5 . tcp . 80 }\n');
  fail = true;
  items.push(web('10.43.0.6'));
  svcs.fire();
  await p.flush();
  assert.equal(texts.length, 4, 'the failed change is followed by a full rewrite');
  assert.match(texts[3]!, /delete table ip skiff-proxy[\s\S]*10\.43\.0\.6/);
  p.stop();
});
