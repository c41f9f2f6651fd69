import { test } from 'node:test';
import assert from 'node:assert/strict';
import { num, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { listObjects, setPodStatus, startHarness, type Harness } from '../job/harness_test_helper.js';
import { revisionTemplate, templateHash } from './history.js';
import { startDaemonSetController } from './index.js';

function daemonSet(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default', annotations: { 'kubernetes.io/change-cause': 'first' } },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'agent:1' }] } }, ...spec },
  };
}

async function revisions(h: Harness): Promise<KubeObject[]> {
  return (await listObjects(h.client, R.controllerrevisions)).sort((a, b) => (num(a, 'revision') ?? 0) - (num(b, 'revision') ?? 0));
}

function image(rev: KubeObject): string | undefined {
  const tpl = revisionTemplate(rev);
  return str((tpl?.spec as { containers?: unknown[] } | undefined)?.containers?.[0], 'image');
}

async function setImage(h: Harness, ds: string, img: string): Promise<void> {
  await h.client.resource(R.daemonsets).patch('default', ds, 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: img }] } } } });
}

test('templateHash ignores key order', () => {
  assert.equal(templateHash({ a: 1, b: { c: 2, d: 3 } }), templateHash({ b: { d: 3, c: 2 }, a: 1 }));
  assert.notEqual(templateHash({ a: 1 }), templateHash({ a: 2 }));
});

test('a revision per template; a rollback renumbers the old one; history is trimmed', async () => {
  const h = await startHarness(startDaemonSetController);
  try {
    await h.client.resource(R.nodes).create('', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'a' } });
    await h.client.resource(R.daemonsets).create('default', daemonSet('logs', { revisionHistoryLimit: 1 }));
    await h.waitFor(async () => (await revisions(h)).length === 1, 'first revision');
    const [first] = await revisions(h);
    const ds = await h.client.resource(R.daemonsets).get('default', 'logs');
    const hash = templateHash(ds.spec && (ds.spec as { template?: unknown }).template);
    assert.equal(first!.metadata.name, `logs-${hash}`);
    assert.equal(first!.metadata.labels?.['controller-revision-hash'], hash);
    assert.equal(first!.metadata.labels?.app, 'logs');
    assert.equal(first!.metadata.annotations?.['kubernetes.io/change-cause'], 'first');
    assert.equal(num(first, 'revision'), 1);
    assert.equal(first!.metadata.ownerReferences?.[0]?.uid, ds.metadata.uid);
    assert.equal(str(first, 'data', 'spec', 'template', '$patch'), 'replace');
    await h.waitFor(async () => (await listObjects(h.client, R.pods)).some((p) => p.metadata.labels?.['controller-revision-hash'] === hash), 'pod labelled with the hash');

    await setImage(h, 'logs', 'agent:2');
    await h.waitFor(async () => (await revisions(h)).map(image).join() === 'agent:1,agent:2', 'second revision');
    // kubectl rollout undo: a strategic-merge patch with the old revision's data.
    await h.client.resource(R.daemonsets).patch('default', 'logs', 'strategic', first!.data as Record<string, unknown>);
    await h.waitFor(async () => (await revisions(h)).map((r) => `${image(r)}@${num(r, 'revision')}`).join() === 'agent:2@2,agent:1@3', 'agent:1 renumbered to 3');
    assert.equal((await revisions(h)).find((r) => image(r) === 'agent:1')?.metadata.name, first!.metadata.name);

    await setImage(h, 'logs', 'agent:3');
    // Pods of agent:1 go away as the update rolls; then only one old revision is kept.
    await h.waitFor(async () => {
      // A pod may be deleted between the list and the status write.
      for (const p of await listObjects(h.client, R.pods)) if (!p.metadata.deletionTimestamp && str(p, 'status', 'phase') !== 'Running') await setPodStatus(h.client, p, 'Running', true, h.clock.now()).catch(() => undefined);
      return (await revisions(h)).map(image).join() === 'agent:1,agent:3';
    }, 'agent:2 trimmed');
  } finally {
    await h.stop();
  }
});

test('maxSurge starts the new pod beside the old one and removes the old one once the new is available', async () => {
  const h = await startHarness(startDaemonSetController);
  try {
    for (const n of ['a', 'b']) await h.client.resource(R.nodes).create('', { apiVersion: 'v1', kind: 'Node', metadata: { name: n } });
    await h.client.resource(R.daemonsets).create('default', daemonSet('net', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    const live = async (): Promise<KubeObject[]> => (await listObjects(h.client, R.pods)).filter((p) => !p.metadata.deletionTimestamp);
    await h.waitFor(async () => (await live()).length === 2, 'two pods');
    for (const p of await live()) await setPodStatus(h.client, p, 'Running', true, h.clock.now());
    const oldHash = (await live())[0]!.metadata.labels?.['controller-revision-hash'];
    await setImage(h, 'net', 'agent:2');
    await h.waitFor(async () => (await live()).length === 3, 'one surge pod');
    await h.flush();
    const pods = await live();
    assert.equal(pods.length, 3, 'no more than maxSurge extra pods');
    assert.equal(pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] === oldHash).length, 2, 'old pods stay while the new one is not ready');
    await h.waitFor(async () => {
      for (const p of await live()) if (str(p, 'status', 'phase') !== 'Running') await setPodStatus(h.client, p, 'Running', true, h.clock.now()).catch(() => undefined);
      const now = await live();
      return now.length === 2 && now.every((p) => p.metadata.labels?.['controller-revision-hash'] !== oldHash);
    }, 'both nodes updated');
  } finally {
    await h.stop();
  }
});
