import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { R } from '../../client/client.js';
import { replicaSet, startHarness, type Harness } from '../replicaset/harness_test_helper.js';
import { startGarbageCollector } from './index.js';

const ref = (o: KubeObject, kind: string, apiVersion = 'apps/v1', block = true, controller = true): OwnerReference => ({ apiVersion, kind, name: o.metadata.name ?? '', uid: o.metadata.uid ?? '', controller, blockOwnerDeletion: block });

function pod(name: string, owners: OwnerReference[], extraSpec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ownerReferences: owners }, spec: { containers: [{ name: 'c', image: 'x' }], ...extraSpec } };
}

const names = async (h: Harness, gvr: typeof R.pods): Promise<string[]> => (await h.list(gvr)).map((o) => o.metadata.name ?? '');
const exists = async (h: Harness, gvr: typeof R.pods, name: string): Promise<boolean> => (await names(h, gvr)).includes(name);

test('GC: background — dependents of a deleted owner are deleted; dangling references are verified live', async () => {
  const h = await startHarness([startGarbageCollector]);
  try {
    const rs = await h.client.resource(R.replicasets).create('default', replicaSet('rs', 0));
    const other = await h.client.resource(R.replicasets).create('default', replicaSet('other', 0));
    await h.client.resource(R.pods).create('default', pod('a', [ref(rs, 'ReplicaSet')]));
    await h.client.resource(R.pods).create('default', pod('b', [ref(rs, 'ReplicaSet')]));
    await h.client.resource(R.pods).create('default', pod('ghost', [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone', uid: 'no-such-uid' }]));
    await h.client.resource(R.pods).create('default', pod('wrong-uid', [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'other', uid: 'stale-uid' }]));
    await h.client.resource(R.pods).create('default', pod('unknown-kind', [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: 'w-uid' }]));
    await h.client.resource(R.pods).create('default', pod('mixed', [ref(other, 'ReplicaSet', 'apps/v1', false), { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone', uid: 'no-such-uid', controller: false }]));
    await h.waitFor(async () => (await names(h, R.pods)).join() === 'a,b,mixed,unknown-kind', 'dangling pods deleted');
    await h.waitFor(async () => ((await h.client.resource(R.pods).get('default', 'mixed')).metadata.ownerReferences ?? []).length === 1, 'dangling reference dropped');
    await h.client.resource(R.replicasets).delete('default', 'rs', { propagationPolicy: 'Background' });
    await h.waitFor(async () => (await names(h, R.pods)).join() === 'mixed,unknown-kind', 'dependents deleted');
  } finally {
    await h.stop();
  }
});

test('GC: foreground — the owner waits for its blocking dependents, transitively', async () => {
  const h = await startHarness([startGarbageCollector]);
  try {
    const dep = await h.client.resource(R.deployments).create('default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'default' },
      spec: { replicas: 0, selector: { matchLabels: { app: 'rs' } }, template: { metadata: { labels: { app: 'rs' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    const rsManifest = replicaSet('rs', 0);
    rsManifest.metadata.ownerReferences = [ref(dep, 'Deployment')];
    const rs = await h.client.resource(R.replicasets).create('default', rsManifest);
    await h.client.resource(R.pods).create('default', pod('quick', [ref(rs, 'ReplicaSet')]));
    // A pod on a node is deleted gracefully and keeps blocking until its kubelet (this test) finishes.
    await h.client.resource(R.pods).create('default', pod('bound', [ref(rs, 'ReplicaSet')], { nodeName: 'n1' }));
    await h.client.resource(R.deployments).delete('default', 'd', { propagationPolicy: 'Foreground' });
    await h.waitFor(async () => !(await exists(h, R.pods, 'quick')), 'unbound pod deleted');
    await h.waitFor(async () => Boolean((await h.client.resource(R.pods).get('default', 'bound')).metadata.deletionTimestamp), 'bound pod terminating');
    await h.settle(50);
    assert.ok(await exists(h, R.deployments, 'd'), 'deployment waits');
    assert.deepEqual((await h.client.resource(R.deployments).get('default', 'd')).metadata.finalizers, ['foregroundDeletion']);
    assert.ok(await exists(h, R.replicasets, 'rs'), 'replicaset waits');
    await h.client.resource(R.pods).delete('default', 'bound', { gracePeriodSeconds: 0 });
    await h.waitFor(async () => !(await exists(h, R.deployments, 'd')) && !(await exists(h, R.replicasets, 'rs')), 'owners gone');
  } finally {
    await h.stop();
  }
});

test('GC: orphan — dependents lose the owner reference and stay', async () => {
  const h = await startHarness([startGarbageCollector]);
  try {
    const rs = await h.client.resource(R.replicasets).create('default', replicaSet('rs', 0));
    const other = await h.client.resource(R.replicasets).create('default', replicaSet('keep', 0));
    await h.client.resource(R.pods).create('default', pod('a', [ref(rs, 'ReplicaSet')]));
    await h.client.resource(R.pods).create('default', pod('b', [ref(rs, 'ReplicaSet'), ref(other, 'ReplicaSet', 'apps/v1', false, false)]));
    await h.client.resource(R.replicasets).delete('default', 'rs', { propagationPolicy: 'Orphan' });
    await h.waitFor(async () => !(await exists(h, R.replicasets, 'rs')), 'owner gone');
    const pods = await h.list(R.pods);
    assert.deepEqual(pods.map((p) => [p.metadata.name, (p.metadata.ownerReferences ?? []).map((r) => r.name)]), [['a', []], ['b', ['keep']]]);
  } finally {
    await h.stop();
  }
});
