import type { AesProviderName } from './aes.js';
import { EncryptionConfigError, resourceMatches, type EncryptionConfiguration, type ProviderConfig, type ResourceConfig } from './config.js';
import { newKey } from './config_file.js';

/** RingKey is one key of the secrets entry, with the provider it belongs to. */
export interface RingKey {
  provider: AesProviderName;
  name: string;
  secret: string;
}

/** SecretsKeyring is the secrets entry of a configuration as secrets-encrypt changes it: keys in order (the first writes when enabled), and whether identity comes first (disabled). */
export interface SecretsKeyring {
  enabled: boolean;
  keys: RingKey[];
}

/** secretsEntry finds the entry that stores secrets; strict (for changes) also requires that it stores nothing else, since only Secrets are reencrypted. */
function secretsEntry(cfg: EncryptionConfiguration, strict: boolean): { index: number; entry: ResourceConfig } {
  const index = cfg.resources.findIndex((r) => r.resources.some((n) => resourceMatches(n, '', 'secrets')));
  const entry = cfg.resources[index];
  if (!entry) throw new EncryptionConfigError('the encryption configuration has no entry for secrets');
  const others = entry.resources.filter((n) => n !== 'secrets');
  if (strict && others.length) {
    throw new EncryptionConfigError(`the encryption configuration's entry for secrets also covers ${others.join(', ')}: secrets-encrypt manages an entry for secrets alone`);
  }
  return { index, entry };
}

/** secretsKeyring reads the keys of cfg's secrets entry; throws EncryptionConfigError when there is none. */
export function secretsKeyring(cfg: EncryptionConfiguration): SecretsKeyring {
  const { entry } = secretsEntry(cfg, false);
  const keys: RingKey[] = [];
  for (const p of entry.providers) {
    for (const provider of ['aescbc', 'aesgcm'] as const) {
      for (const k of p[provider]?.keys ?? []) keys.push({ provider, name: k.name, secret: k.secret });
    }
  }
  return { enabled: entry.providers[0]?.identity === undefined, keys };
}

/**
 * withSecretsKeyring is cfg with its secrets entry rebuilt from ring: consecutive keys of one
 * provider share an entry; identity last when enabled, first when not. Throws
 * EncryptionConfigError when the entry also stores other resources.
 */
export function withSecretsKeyring(cfg: EncryptionConfiguration, ring: SecretsKeyring): EncryptionConfiguration {
  const { index } = secretsEntry(cfg, true);
  const groups: ProviderConfig[] = [];
  let last: AesProviderName | undefined;
  for (const k of ring.keys) {
    const key = { name: k.name, secret: k.secret };
    const open = groups[groups.length - 1];
    if (open && last === k.provider) open[k.provider]!.keys.push(key);
    else groups.push(k.provider === 'aescbc' ? { aescbc: { keys: [key] } } : { aesgcm: { keys: [key] } });
    last = k.provider;
  }
  const identity: ProviderConfig = { identity: {} };
  const providers = ring.enabled ? [...groups, identity] : [identity, ...groups];
  const resources = cfg.resources.map((r, i) => (i === index ? { resources: ['secrets'], providers } : r));
  return { ...cfg, resources };
}

/** withNewKey is ring with a new key of provider appended last (it reads; prepare). */
export function withNewKey(ring: SecretsKeyring, provider: AesProviderName, now: Date): SecretsKeyring {
  const k = newKey(provider, now, ring.keys.map((x) => x.name));
  return { ...ring, keys: [...ring.keys, { provider, name: k.name, secret: k.secret }] };
}

/** rotated is ring right-rotated: its last key writes from now on (rotate). */
export function rotated(ring: SecretsKeyring): SecretsKeyring {
  if (ring.keys.length < 2) return ring;
  return { ...ring, keys: [ring.keys[ring.keys.length - 1]!, ...ring.keys.slice(0, -1)] };
}

/** withoutLastKey is ring without its last key, which a finished reencryption no longer needs; the only key is kept. */
export function withoutLastKey(ring: SecretsKeyring): { ring: SecretsKeyring; dropped: string | undefined } {
  if (ring.keys.length < 2) return { ring, dropped: undefined };
  return { ring: { ...ring, keys: ring.keys.slice(0, -1) }, dropped: ring.keys[ring.keys.length - 1]!.name };
}
