import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBackend } from '../../storage/drivers/memory.js';
import { allResources } from '../../api/resources/index.js';
import { isStatusError } from '../../api/errors.js';
import { realClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import { ApiCore } from '../core.js';
import { InProcessTransport } from '../in_process.js';
import { EncryptionManager } from './manager.js';
import { EncryptionRuntime } from './runtime.js';
import type { EncryptionState } from './protocol.js';

const ADMIN = { name: 'admin', groups: ['system:masters'] };

async function startCore(backend: MemoryBackend, runtime?: EncryptionRuntime): Promise<{ core: ApiCore; api: InProcessTransport }> {
  const core = new ApiCore({ backend, resources: allResources(), clock: realClock, logger: silentLogger, admission: [], ...(runtime ? { transformers: (g: string, p: string) => runtime.transformerFor(g, p) } : {}) });
  await core.start();
  const api = new InProcessTransport(core, ADMIN);
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } };
  await api.request({ verb: 'create', group: '', version: 'v1', resource: 'namespaces', body: ns }).catch((e: unknown) => {
    if (!(isStatusError(e) && e.code === 409)) throw e;
  });
  return { core, api };
}

const secret = (name: string, value: string): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' }, stringData: { password: value } });
const create = (api: InProcessTransport, body: unknown): Promise<unknown> => api.request({ verb: 'create', group: '', version: 'v1', resource: body && (body as { kind: string }).kind === 'Secret' ? 'secrets' : 'configmaps', namespace: 'default', body });
const get = (api: InProcessTransport, name: string): Promise<{ data: Record<string, string> }> => api.request({ verb: 'get', group: '', version: 'v1', resource: 'secrets', namespace: 'default', name }) as Promise<{ data: Record<string, string> }>;
const raw = async (backend: MemoryBackend, name: string): Promise<string> => Buffer.from((await backend.get(`/registry/core/secrets/default/${name}`)).kv!.value).toString('latin1');

async function settled(m: EncryptionManager): Promise<EncryptionState> {
  for (let i = 0; i < 200; i++) {
    const s = await m.status();
    if (!s.reencrypt?.running) return s;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('reencryption did not finish');
}

test('secrets encryption on ApiCore: plaintext from before still reads, new writes are encrypted, rotate-keys rewrites all and drops the old key, disable decrypts', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-enc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'server', 'cred', 'encryption-config.json');
  const backend = new MemoryBackend();
  const before = await startCore(backend);
  await create(before.api, secret('old', 'from-before'));
  before.core.stop();

  const runtime = await EncryptionRuntime.open({ path, enable: true, provider: 'aescbc', logger: silentLogger });
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'server', 'cred')).mode & 0o777, 0o700);
  const { core, api } = await startCore(backend, runtime);
  const controller = new AbortController();
  t.after(() => controller.abort());
  const manager = await EncryptionManager.open({ runtime, core, statePath: join(dir, 'server', 'cred', 'encryption-state.json'), provider: 'aescbc', logger: silentLogger, clock: realClock, signal: controller.signal });
  try {
    assert.equal((await get(api, 'old')).data.password, Buffer.from('from-before').toString('base64'));
    assert.ok((await raw(backend, 'old')).includes(Buffer.from('from-before').toString('base64')), 'written before encryption: plaintext');
    await create(api, secret('new', 'hunter2'));
    assert.match(await raw(backend, 'new'), /^k8s:enc:aescbc:v1:aescbckey:/);
    assert.ok(!(await raw(backend, 'new')).includes(Buffer.from('hunter2').toString('base64')));
    assert.equal((await get(api, 'new')).data.password, Buffer.from('hunter2').toString('base64'));

    let s = await manager.status();
    assert.deepEqual([s.enable, s.stage, s.activekey, s.hashmatch], [true, 'start', 'aescbckey', true]);
    await manager.handle({ stage: 'rotate_keys' });
    s = await settled(manager);
    assert.equal(s.stage, 'reencrypt_finished');
    assert.match(s.activekey, /^aescbckey-\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(s.inactivekeys, undefined, 'the old key is gone');
    assert.deepEqual(s.reencrypt && [s.reencrypt.done, s.reencrypt.failed], [2, 0]);
    for (const name of ['old', 'new']) assert.ok((await raw(backend, name)).startsWith(`k8s:enc:aescbc:v1:${s.activekey}:`), name);
    assert.equal((await get(api, 'old')).data.password, Buffer.from('from-before').toString('base64'));

    // A stage out of order is refused with what to do.
    await assert.rejects(manager.handle({ stage: 'rotate' }), /incorrect stage: reencrypt_finished found, want prepare/);

    await manager.handle({ enable: false });
    s = await settled(manager);
    assert.equal(s.enable, false);
    assert.ok((await raw(backend, 'new')).includes('"password"'), 'disabled: rewritten in plaintext');
    assert.equal(s.inactivekeys?.length, 1, 'disable keeps the key');
    await manager.handle({ enable: true });
    s = await settled(manager);
    assert.match(await raw(backend, 'new'), /^k8s:enc:aescbc:v1:/);
  } finally {
    core.stop();
  }
});

test('a value whose key is missing is an InternalError naming the key; lists of Secrets fail, other resources work; the right key read in makes it readable', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-enc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const backend = new MemoryBackend();
  const first = await EncryptionRuntime.open({ path: join(dir, 'a.json'), enable: true, provider: 'aesgcm', logger: silentLogger });
  const a = await startCore(backend, first);
  await create(a.api, secret('s', 'v'));
  await create(a.api, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { k: 'v' } });
  a.core.stop();

  const other = await EncryptionRuntime.open({ path: join(dir, 'b.json'), enable: true, provider: 'aescbc', logger: silentLogger });
  const b = await startCore(backend, other);
  try {
    const isInternal = (e: unknown): boolean => isStatusError(e) && e.code === 500 && /unable to transform key "\/registry\/core\/secrets\/default\/s".*aesgcm key "aesgcmkey"/.test(e.message);
    await assert.rejects(get(b.api, 's'), isInternal);
    await assert.rejects(b.api.request({ verb: 'list', group: '', version: 'v1', resource: 'secrets', namespace: 'default' }), isInternal);
    const cms = (await b.api.request({ verb: 'list', group: '', version: 'v1', resource: 'configmaps', namespace: 'default' })) as { items: unknown[] };
    assert.equal(cms.items.length >= 1, true);
    await assert.rejects(b.api.request({ verb: 'update', group: '', version: 'v1', resource: 'secrets', namespace: 'default', name: 's', body: secret('s', 'x') }), isInternal, 'an update must not overwrite what it cannot read');

    // The file gets the right key (a restore, a hand edit): the reload makes the Secret readable without a restart.
    const m = await EncryptionManager.open({ runtime: other, core: b.core, statePath: join(dir, 'state'), provider: 'aescbc', logger: silentLogger, clock: realClock, signal: new AbortController().signal });
    copyFileSync(join(dir, 'a.json'), join(dir, 'b.json'));
    const s = await m.status();
    assert.deepEqual([s.enable, s.activekey, s.keytypes?.aesgcmkey], [true, 'aesgcmkey', 'AES-GCM']);
    let data: Record<string, string> | undefined;
    for (let i = 0; i < 100 && !data; i++) {
      data = await get(b.api, 's').then((x) => x.data, () => undefined);
      if (!data) await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(data?.password, Buffer.from('v').toString('base64'));
  } finally {
    b.core.stop();
  }
});
