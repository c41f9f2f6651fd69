import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { MemoryBackend } from '../../storage/drivers/memory.js';
import { InstrumentedBackend, storedResource } from './instrumented_backend.js';

const bytes = (s: string): Uint8Array => Buffer.from(s);

test('storedResource names resources as kube-apiserver labels them', () => {
  assert.deepEqual(storedResource('', 'pods'), { prefix: '/registry/core/pods/', resource: 'pods' });
  assert.deepEqual(storedResource('apps', 'deployments'), { prefix: '/registry/apps/deployments/', resource: 'deployments.apps' });
});

test('InstrumentedBackend passes calls through and records etcd_* metrics per operation and type', async () => {
  const registry = new Registry();
  const b = new InstrumentedBackend(new MemoryBackend(), registry, [storedResource('', 'pods'), storedResource('apps', 'deployments'), storedResource('apps', 'deployments')]);
  const created = await b.create('/registry/core/pods/default/a', bytes('a'));
  assert.ok(created.ok);
  await b.create('/registry/core/pods/default/b', bytes('b'));
  const updated = await b.update('/registry/core/pods/default/a', bytes('a2'), created.revision);
  assert.ok(updated.ok);
  assert.equal(Buffer.from((await b.get('/registry/core/pods/default/a')).kv?.value ?? []).toString(), 'a2');
  assert.equal((await b.list('/registry/core/pods/')).kvs.length, 2);
  await b.create('/registry/apps/deployments/default/d', bytes('d'));
  await b.delete('/registry/core/pods/default/b');
  await b.get('/registry/other/things/x');
  const out = await registry.metrics();
  assert.match(out, /^etcd_requests_total\{operation="create",type="pods"\} 2$/m);
  assert.match(out, /^etcd_requests_total\{operation="update",type="pods"\} 1$/m);
  assert.match(out, /^etcd_requests_total\{operation="delete",type="pods"\} 1$/m);
  assert.match(out, /^etcd_requests_total\{operation="create",type="deployments.apps"\} 1$/m);
  assert.match(out, /^etcd_requests_total\{operation="get",type=""\} 1$/m, 'keys of unknown resources share the empty type');
  assert.match(out, /^etcd_request_duration_seconds_count\{operation="list",type="pods"\} 1$/m);
  assert.match(out, /^etcd_request_duration_seconds_bucket\{le="60",operation="get",type="pods"\} 1$/m);
  assert.match(out, /^apiserver_storage_objects\{resource="pods"\} 1$/m);
  assert.match(out, /^apiserver_storage_objects\{resource="deployments.apps"\} 1$/m);
  await b.close();
});

test('InstrumentedBackend records failed calls and keeps their error', async () => {
  const registry = new Registry();
  const inner = new MemoryBackend();
  const b = new InstrumentedBackend(inner, registry, [storedResource('', 'pods')]);
  await b.close();
  await assert.rejects(b.get('/registry/core/pods/default/a'));
  assert.match(await registry.metrics(), /^etcd_requests_total\{operation="get",type="pods"\} 1$/m);
});
