import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv, randomBytes } from 'node:crypto';
import { aesProvider, type AesProviderName } from './aes.js';
import { providerList, type ProviderConfig } from './config.js';
import { TransformError, describeEncrypted } from './transformer.js';

const KEY = '/registry/core/secrets/default/s1';
const plain = Buffer.from('{"kind":"Secret","data":{"password":"aHVudGVyMg=="}}');
const secret = (): string => randomBytes(32).toString('base64');
const aes = (provider: AesProviderName, ...keys: { name: string; secret: string }[]): ProviderConfig => (provider === 'aescbc' ? { aescbc: { keys } } : { aesgcm: { keys } });

for (const provider of ['aescbc', 'aesgcm'] as const) {
  test(`${provider}: round trip, upstream prefix, random IV/nonce, wrong key, missing key`, () => {
    const k1 = { name: 'key1', secret: secret() };
    const t = providerList([aes(provider, k1), { identity: {} }]);
    const stored = Buffer.from(t.toStorage(plain, KEY));
    const prefix = `k8s:enc:${provider}:v1:key1:`;
    assert.equal(stored.subarray(0, prefix.length).toString(), prefix);
    assert.ok(!stored.includes(plain.subarray(20, 40)), 'no plaintext in the stored value');
    assert.notDeepEqual(t.toStorage(plain, KEY), stored, 'a fresh IV or nonce per write');
    assert.deepEqual(Buffer.from(t.fromStorage(stored, KEY).value), plain);
    assert.equal(t.fromStorage(stored, KEY).stale, false);
    assert.deepEqual(describeEncrypted(stored), { provider, keyName: 'key1' });

    // The same name with other bytes: decryption fails and says which key.
    const wrong = providerList([aes(provider, { name: 'key1', secret: secret() })]);
    assert.throws(() => wrong.fromStorage(stored, KEY), (e: Error) => e instanceof TransformError && e.message.includes('"key1"') && e.message.includes('could not decrypt'));
    // No key of that name: the error names the missing key.
    const other = providerList([aes(provider, { name: 'key2', secret: secret() }), { identity: {} }]);
    assert.throws(() => other.fromStorage(stored, KEY), (e: Error) => e instanceof TransformError && e.message.includes('key "key1"') && e.message.includes('does not hold'));
  });
}

test('aescbc: the format is upstream\'s (16-byte IV, AES-256-CBC, PKCS#7)', () => {
  const bytes = randomBytes(32);
  const t = providerList([aes('aescbc', { name: 'k', secret: bytes.toString('base64') })]);
  const stored = Buffer.from(t.toStorage(plain, KEY));
  const body = stored.subarray('k8s:enc:aescbc:v1:k:'.length);
  assert.equal((body.length - 16) % 16, 0);
  const d = createDecipheriv('aes-256-cbc', bytes, body.subarray(0, 16));
  assert.deepEqual(Buffer.concat([d.update(body.subarray(16)), d.final()]), plain);
});

test('aesgcm: the storage key is authenticated, so a value copied under another key does not read', () => {
  const t = providerList([aes('aesgcm', { name: 'k', secret: secret() })]);
  const stored = t.toStorage(plain, KEY);
  assert.throws(() => t.fromStorage(stored, '/registry/core/secrets/default/other'), /authentication failed/);
  const tampered = Buffer.from(stored);
  tampered[tampered.length - 1]! ^= 1;
  assert.throws(() => t.fromStorage(tampered, KEY), TransformError);
});

test('identity fallback: plaintext written before encryption reads (stale); identity first writes plaintext and still reads encrypted', () => {
  const k = { name: 'k', secret: secret() };
  const enabled = providerList([aes('aescbc', k), { identity: {} }]);
  assert.deepEqual(enabled.fromStorage(plain, KEY), { value: plain, stale: true });
  const disabled = providerList([{ identity: {} }, aes('aescbc', k)]);
  assert.deepEqual(Buffer.from(disabled.toStorage(plain, KEY)), plain);
  const encrypted = enabled.toStorage(plain, KEY);
  assert.deepEqual(disabled.fromStorage(encrypted, KEY), { value: Buffer.from(plain), stale: true });
  // Without identity, plaintext is refused.
  const strict = providerList([aes('aescbc', k)]);
  assert.throws(() => strict.fromStorage(plain, KEY), /no matching prefix found/);
  // Encrypted with a provider the configuration lacks.
  const gcm = providerList([aes('aesgcm', { name: 'g', secret: secret() })]).toStorage(plain, KEY);
  assert.throws(() => enabled.fromStorage(gcm, KEY), /encrypted with aesgcm key "g", but the encryption configuration has no aesgcm provider/);
});

test('rotation: an older key still reads, and what it read is stale; key names may hold colons', () => {
  const old = { name: 'aescbckey', secret: secret() };
  const fresh = { name: 'aescbckey-2024-05-01T10:00:00Z', secret: secret() };
  const before = providerList([aes('aescbc', old), { identity: {} }]).toStorage(plain, KEY);
  const after = providerList([aes('aescbc', fresh, old), { identity: {} }]);
  assert.deepEqual(after.fromStorage(before, KEY), { value: Buffer.from(plain), stale: true });
  const rewritten = after.toStorage(plain, KEY);
  assert.equal(after.fromStorage(rewritten, KEY).stale, false);
  assert.equal(describeEncrypted(rewritten)?.keyName, fresh.name);
  // Mixed providers: an aesgcm key writes, aescbc values still read.
  const mixed = providerList([aes('aesgcm', { name: 'g', secret: secret() }), aes('aescbc', old), { identity: {} }]);
  assert.deepEqual(mixed.fromStorage(before, KEY), { value: Buffer.from(plain), stale: true });
});

test('aesProvider: keys of 16, 24 and 32 bytes work; others are refused when the provider is built', () => {
  for (const n of [16, 24, 32]) {
    const p = aesProvider('aescbc', [{ name: 'k', secret: randomBytes(n) }]);
    assert.deepEqual(Buffer.from(p.transformer.fromStorage(p.transformer.toStorage(plain, KEY), KEY).value), plain);
  }
  assert.throws(() => aesProvider('aesgcm', [{ name: 'k', secret: randomBytes(10) }]), /invalid AES key length 10/);
});
