import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBackend } from '../storage/drivers/memory.js';
import { allResources } from '../api/resources/index.js';
import type { ResourceType } from '../api/resource.js';
import type { KubeObject } from '../api/types.js';
import { realClock } from '../lib/clock.js';
import { silentLogger } from '../lib/log.js';
import { ApiCore } from './core.js';
import { encodeObject, objectKey } from './object_store.js';
import { decodeObject } from './watch_cache.js';

async function startCore(): Promise<{ core: ApiCore; backend: MemoryBackend; type: (plural: string) => ResourceType }> {
  const backend = new MemoryBackend();
  const core = new ApiCore({ backend, resources: allResources(), clock: realClock, logger: silentLogger, admission: [] });
  await core.start();
  const type = (plural: string): ResourceType => core.registry.lookup('', 'v1', plural)!.type;
  return { core, backend, type };
}

const cm = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', uid: 'u-1', creationTimestamp: '2024-01-01T00:00:00Z' },
  data: { k: 'v' },
  ...extra,
});

test('ObjectStore: the watch cache takes a plain written object, stamped exactly as decoding would', async () => {
  const { core, type } = await startCore();
  try {
    const t = type('configmaps');
    const key = objectKey(t, 'default', 'a');
    const written = cm('a');
    const r = await core.store.create(key, written);
    assert.ok(r.ok);
    const cached = core.cache(t).get(key)!;
    assert.equal(r.obj, cached.obj, 'the writer gets the cached object');
    assert.notEqual(cached.obj, written, 'the writer object is not the cached one');
    assert.equal(cached.obj.metadata.resourceVersion, String(cached.rv));
    assert.equal(JSON.stringify(cached.obj), JSON.stringify(decodeObject(encodeObject(written), cached.rv)), 'same JSON, same key order');
    assert.equal(written.metadata.resourceVersion, undefined, 'the writer object is not stamped');

    // An update whose object still carries the old resourceVersion: the new one goes last, as decoded.
    const next = { ...r.obj, metadata: { ...r.obj.metadata }, data: { k: 'w' } };
    const u = await core.store.update(key, next, cached.rv);
    assert.ok(u.ok);
    const after = core.cache(t).get(key)!;
    assert.equal(u.obj, after.obj);
    assert.equal(JSON.stringify(after.obj), JSON.stringify(decodeObject(encodeObject(next), after.rv)));
    assert.equal(r.obj.metadata.resourceVersion, String(cached.rv), 'the older cached object is untouched');
  } finally {
    core.stop();
  }
});

test('ObjectStore: objects that are not plain JSON are decoded from their bytes', async () => {
  const { core, type } = await startCore();
  try {
    const t = type('configmaps');
    const key = objectKey(t, 'default', 'b');
    const r = await core.store.create(key, cm('b', { binaryData: undefined }));
    assert.ok(r.ok);
    const cached = core.cache(t).get(key)!;
    assert.deepEqual(r.obj, cached.obj);
    assert.ok(!('binaryData' in cached.obj), 'an undefined field is gone, as after a JSON round trip');
  } finally {
    core.stop();
  }
});

test('ObjectStore: with two writes in flight for one key, the committed one is decoded', async () => {
  const { core, type } = await startCore();
  try {
    const t = type('configmaps');
    const key = objectKey(t, 'default', 'c');
    const first = cm('c');
    const second = cm('c', { data: { k: 'other' } });
    const [a, b] = await Promise.all([core.store.create(key, first), core.store.create(key, second)]);
    assert.ok(a.ok && !b.ok, 'the first create wins');
    const cached = core.cache(t).get(key)!;
    assert.equal(a.obj, cached.obj);
    assert.deepEqual(cached.obj, decodeObject(encodeObject(first), cached.rv));
    assert.deepEqual(b.current, cached.obj);
  } finally {
    core.stop();
  }
});

test('ApiCore: storage events reach only the cache of their resource', async () => {
  const { core, backend, type } = await startCore();
  try {
    const cms = type('configmaps');
    const secrets = type('secrets');
    const before = { cms: core.cache(cms).size, secrets: core.cache(secrets).size };
    await core.store.create(objectKey(cms, 'default', 'x'), cm('x'));
    await core.store.create(objectKey(secrets, 'default', 'x'), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'default' } });
    // Keys that only share a prefix with a resource, or lack one, go nowhere.
    await backend.create('/registry/core/configmapsx/default/y', encodeObject(cm('y')));
    await backend.create('/registry/core', encodeObject(cm('z')));
    assert.deepEqual({ cms: core.cache(cms).size, secrets: core.cache(secrets).size }, { cms: before.cms + 1, secrets: before.secrets + 1 });
    const rev = await backend.currentRevision();
    assert.equal(core.cache(cms).revision, rev, 'every cache advances to the newest revision');
    assert.equal(core.cache(type('pods')).revision, rev);
  } finally {
    core.stop();
  }
});
