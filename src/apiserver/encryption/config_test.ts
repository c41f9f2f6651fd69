import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { buildTransformers, parseEncryptionConfig, resourceMatches, type EncryptionConfiguration } from './config.js';
import { initialConfig } from './config_file.js';
import { rotated, secretsKeyring, withNewKey, withoutLastKey, withSecretsKeyring } from './keyring.js';

const doc = (providers: unknown[], resources: unknown = ['secrets']): string =>
  JSON.stringify({ kind: 'EncryptionConfiguration', apiVersion: 'apiserver.config.k8s.io/v1', resources: [{ resources, providers }] });
const key = (n = 32): string => randomBytes(n).toString('base64');

test('parseEncryptionConfig: accepts upstream\'s format and refuses what it cannot use, saying where (never the key)', () => {
  const ok = parseEncryptionConfig(doc([{ aescbc: { keys: [{ name: 'a', secret: key() }] } }, { identity: {} }]), 'f.json');
  assert.equal(ok.resources[0]?.providers.length, 2);
  const cases: [string, RegExp][] = [
    ['{', /f\.json: not valid JSON/],
    [JSON.stringify({ kind: 'Other', apiVersion: 'v1', resources: [] }), /want kind EncryptionConfiguration/],
    [doc([]), /providers: Required value/],
    [doc([{ aescbc: { keys: [{ name: 'a', secret: key(10) }] } }]), /keys\[0\]\.secret: Invalid value: "REDACTED": secret is not of the expected length, got 10, expected one of \[16 24 32\]/],
    [doc([{ aescbc: { keys: [{ name: 'a', secret: 'not base64!' }] } }]), /secret is not base64 encoded/],
    [doc([{ aesgcm: { keys: [{ name: 'a', secret: key() }, { name: 'a', secret: key() }] } }]), /keys\[1\]\.name: Duplicate value: "a"/],
    [doc([{ aescbc: { keys: [] } }]), /aescbc\.keys: Required value/],
    [doc([{ aescbc: { keys: [{ name: 'a', secret: key() }] }, identity: {} }]), /more than one provider specified in a single element/],
    [doc([{ secretbox: { keys: [] } }]), /secretbox: Unsupported value/],
    [doc([{ identity: {} }], []), /resources: Required value/],
  ];
  for (const [text, want] of cases) assert.throws(() => parseEncryptionConfig(text, 'f.json'), want, text);
  const secretText = key(10);
  assert.throws(() => parseEncryptionConfig(doc([{ aescbc: { keys: [{ name: 'a', secret: secretText }] } }]), 'f'), (e: Error) => !e.message.includes(secretText));
});

test('resourceMatches and buildTransformers: the first entry naming a resource stores it; others are stored as they are', () => {
  assert.ok(resourceMatches('secrets', '', 'secrets'));
  assert.ok(!resourceMatches('secrets', 'apps', 'secrets'));
  assert.ok(resourceMatches('deployments.apps', 'apps', 'deployments'));
  assert.ok(resourceMatches('*.apps', 'apps', 'statefulsets'));
  assert.ok(resourceMatches('*.', '', 'configmaps'));
  assert.ok(resourceMatches('*.*', 'batch', 'jobs'));
  const t = buildTransformers(initialConfig('aescbc'));
  assert.ok(t('', 'secrets'));
  assert.equal(t('', 'configmaps'), undefined);
});

test('keyring: prepare appends, rotate makes the newest write, a finished reencryption drops the last; enable/disable moves identity', () => {
  const start = initialConfig('aescbc');
  const ring = secretsKeyring(start);
  assert.deepEqual(ring.keys.map((k) => k.name), ['aescbckey']);
  assert.equal(ring.enabled, true);
  const prepared = withNewKey(ring, 'aescbc', new Date('2024-05-01T10:00:00.123Z'));
  assert.deepEqual(prepared.keys.map((k) => k.name), ['aescbckey', 'aescbckey-2024-05-01T10:00:00Z']);
  const again = withNewKey(prepared, 'aescbc', new Date('2024-05-01T10:00:00Z'));
  assert.equal(again.keys[2]?.name, 'aescbckey-2024-05-01T10:00:00Z-2', 'names stay unique');
  const turned = rotated(prepared);
  assert.deepEqual(turned.keys.map((k) => k.name), ['aescbckey-2024-05-01T10:00:00Z', 'aescbckey']);
  assert.deepEqual(withoutLastKey(turned).ring.keys.map((k) => k.name), ['aescbckey-2024-05-01T10:00:00Z']);
  assert.equal(withoutLastKey(withoutLastKey(turned).ring).dropped, undefined, 'the only key stays');

  const mixed = withSecretsKeyring(start, { enabled: true, keys: [{ provider: 'aesgcm', name: 'g', secret: key() }, ...ring.keys] });
  assert.deepEqual(mixed.resources[0]?.providers.map((p) => Object.keys(p)[0]), ['aesgcm', 'aescbc', 'identity']);
  const off = withSecretsKeyring(start, { ...ring, enabled: false });
  assert.deepEqual(off.resources[0]?.providers.map((p) => Object.keys(p)[0]), ['identity', 'aescbc']);
  assert.equal(secretsKeyring(off).enabled, false);
  // Round trip through the parser.
  parseEncryptionConfig(JSON.stringify(mixed), 'mixed');

  const shared: EncryptionConfiguration = { ...start, resources: [{ resources: ['secrets', 'configmaps'], providers: start.resources[0]!.providers }] };
  assert.throws(() => withSecretsKeyring(shared, ring), /also covers configmaps/);
});
