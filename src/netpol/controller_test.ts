import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import type { EventHandlers } from '../client/informer.js';
import { startNetworkPolicy } from './controller.js';
import { policyId } from './model.js';
import { namespace, pod, policy } from './netpol_fixtures_test_helper.js';

/** source is a fake informer whose contents the test edits, then announces. */
function source(items: KubeObject[]): { list: () => KubeObject[]; addHandlers: (h: EventHandlers) => void; add: (o: KubeObject) => void; update: (old: KubeObject, o: KubeObject) => void } {
  const hs: EventHandlers[] = [];
  return {
    list: () => items,
    addHandlers: (h) => void hs.push(h),
    add: (o) => {
      items.push(o);
      for (const h of hs) h.onAdd?.(o);
    },
    update: (old, o) => {
      items.splice(items.indexOf(old), 1, o);
      for (const h of hs) h.onUpdate?.(old, o);
    },
  };
}

test('startNetworkPolicy writes the whole table once synced, then only changes, and the whole table after a failure', async () => {
  const texts: string[] = [];
  let fail = false;
  const web = pod('prod', 'web', 'n1', '10.42.1.2', { app: 'web' });
  const policies = source([policy('prod', 'deny', { podSelector: {}, policyTypes: ['Ingress'] })]);
  const pods = source([web]);
  const namespaces = source([namespace('prod')]);
  const c = startNetworkPolicy({ policies, pods, namespaces, nodeName: 'n1', onError: () => undefined,
    run: async (cmd, args, input) => {
      texts.push(`${cmd} ${args.join(' ')}\n${input ?? ''}`);
      if (fail) {
        fail = false;
        throw new Error('nft failed');
      }
      return { stdout: '', stderr: '' };
    } });
  await new Promise((r) => setImmediate(r));
  await c.flush();
  assert.equal(texts.length, 1);
  assert.match(texts[0]!, /^nft -f -\nadd table ip skiff-netpol\ndelete table ip skiff-netpol\n[\s\S]*ingress-isolated \{\n\s+type ipv4_addr; elements = \{ 10\.42\.1\.2 \}/);
  pods.add(pod('prod', 'db', 'n1', '10.42.1.3'));
  await c.flush();
  assert.equal(texts[1], `nft -f -\nadd element ip skiff-netpol ${policyId('prod', 'deny')}-targets { 10.42.1.3 }\nadd element ip skiff-netpol ingress-isolated { 10.42.1.3 }\n`);
  // A status-only update (the pod became ready) changes nothing a policy looks at: no transaction.
  const ready = { ...web, status: { ...(web as unknown as { status: object }).status, conditions: [{ type: 'Ready', status: 'True' }] } } as unknown as KubeObject;
  pods.update(web, ready);
  await c.flush();
  assert.equal(texts.length, 2);
  fail = true;
  pods.add(pod('prod', 'cache', 'n1', '10.42.1.4'));
  await c.flush();
  assert.equal(texts.length, 4, 'the failed change is followed by a full rewrite');
  assert.match(texts[3]!, /delete table ip skiff-netpol[\s\S]*10\.42\.1\.4/);
  c.stop();
});

test('startNetworkPolicy sends changes through applyChange when given', async () => {
  const changes: string[] = [];
  const pods = source([]);
  const c = startNetworkPolicy({ policies: source([policy('prod', 'deny', { podSelector: {} })]), pods, namespaces: source([]), nodeName: 'n1',
    run: async () => ({ stdout: '', stderr: '' }), applyChange: async (text) => void changes.push(text) });
  await new Promise((r) => setImmediate(r));
  await c.flush();
  pods.add(pod('prod', 'web', 'n2', '10.42.2.2'));
  await c.flush();
  assert.deepEqual(changes, [], 'a pod on another node selected by no local policy changes nothing');
  pods.add(pod('prod', 'web', 'n1', '10.42.1.2'));
  await c.flush();
  assert.equal(changes.length, 1);
  assert.match(changes[0]!, /add chain ip skiff-netpol prod-deny-\w+-in\n/);
  c.stop();
});
