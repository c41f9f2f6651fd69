import { createCipheriv, createDecipheriv, randomBytes, type CipherGCMTypes } from 'node:crypto';
import { ENCRYPTED_PREFIX, TransformError, describeEncrypted, prefixChain, type Provider, type ValueTransformer } from './transformer.js';

/** AesProviderName is an AES provider of EncryptionConfiguration. */
export type AesProviderName = 'aescbc' | 'aesgcm';

/** AES_KEY_SIZES are the key lengths (bytes) kube-apiserver accepts for aescbc and aesgcm. */
export const AES_KEY_SIZES = [16, 24, 32];

/** NamedKey is one key of a provider: its name (written into every value) and its bytes. */
export interface NamedKey {
  name: string;
  secret: Buffer;
}

const CBC_IV_SIZE = 16;
const GCM_NONCE_SIZE = 12;
const GCM_TAG_SIZE = 16;

function cipherName(mode: 'cbc' | 'gcm', key: Buffer): string {
  if (!AES_KEY_SIZES.includes(key.length)) throw new TransformError(`invalid AES key length ${key.length}: want one of ${AES_KEY_SIZES.join(', ')} bytes`);
  return `aes-${key.length * 8}-${mode}`;
}

/** aesCbc is upstream's aescbc value format: a random 16-byte IV, then AES-CBC with PKCS#7 padding. */
function aesCbc(key: Buffer): ValueTransformer {
  const algorithm = cipherName('cbc', key);
  return {
    toStorage(value) {
      const iv = randomBytes(CBC_IV_SIZE);
      const c = createCipheriv(algorithm, key, iv);
      return Buffer.concat([iv, c.update(value), c.final()]);
    },
    fromStorage(stored) {
      if (stored.byteLength < CBC_IV_SIZE) throw new TransformError('the stored data was shorter than the required size');
      if ((stored.byteLength - CBC_IV_SIZE) % CBC_IV_SIZE !== 0) throw new TransformError('the stored data is not a multiple of the block size');
      try {
        const d = createDecipheriv(algorithm, key, stored.subarray(0, CBC_IV_SIZE));
        return { value: Buffer.concat([d.update(stored.subarray(CBC_IV_SIZE)), d.final()]), stale: false };
      } catch {
        throw new TransformError('invalid PKCS7 data (empty or not padded)');
      }
    },
  };
}

/**
 * aesGcm is upstream's aesgcm value format: a random 12-byte nonce, the ciphertext, its 16-byte
 * tag; the storage key is the additional authenticated data.
 */
function aesGcm(key: Buffer): ValueTransformer {
  const algorithm = cipherName('gcm', key) as CipherGCMTypes;
  return {
    toStorage(value, storageKey) {
      const nonce = randomBytes(GCM_NONCE_SIZE);
      const c = createCipheriv(algorithm, key, nonce);
      c.setAAD(Buffer.from(storageKey));
      const body = Buffer.concat([c.update(value), c.final()]);
      return Buffer.concat([nonce, body, c.getAuthTag()]);
    },
    fromStorage(stored, storageKey) {
      if (stored.byteLength < GCM_NONCE_SIZE + GCM_TAG_SIZE) throw new TransformError('the stored data was shorter than the required size');
      try {
        const d = createDecipheriv(algorithm, key, stored.subarray(0, GCM_NONCE_SIZE));
        d.setAAD(Buffer.from(storageKey));
        d.setAuthTag(stored.subarray(stored.byteLength - GCM_TAG_SIZE));
        const value = Buffer.concat([d.update(stored.subarray(GCM_NONCE_SIZE, stored.byteLength - GCM_TAG_SIZE)), d.final()]);
        return { value, stale: false };
      } catch {
        throw new TransformError('cipher: message authentication failed');
      }
    },
  };
}

/** aesProviderPrefix is the prefix of every value an AES provider writes: `k8s:enc:<provider>:v1:`. */
export function aesProviderPrefix(provider: AesProviderName): string {
  return `${ENCRYPTED_PREFIX}${provider}:v1:`;
}

/**
 * aesProvider builds an aescbc or aesgcm provider over its keys: the first key writes, every key
 * reads the values that carry its name (`k8s:enc:<provider>:v1:<name>:`). A value whose key is not
 * among them, or that its key cannot decrypt, fails with an error that names the key.
 */
export function aesProvider(provider: AesProviderName, keys: NamedKey[]): Provider {
  if (keys.length === 0) throw new TransformError(`the ${provider} provider needs at least one key`);
  const outer = aesProviderPrefix(provider);
  const entries = keys.map((k) => {
    const t = provider === 'aescbc' ? aesCbc(k.secret) : aesGcm(k.secret);
    const wrapped: ValueTransformer = {
      toStorage: (v, sk) => t.toStorage(v, sk),
      fromStorage(stored, sk) {
        try {
          return t.fromStorage(stored, sk);
        } catch (e) {
          if (!(e instanceof TransformError)) throw e;
          throw new TransformError(`the ${provider} key "${k.name}" could not decrypt the value: ${e.message}`);
        }
      },
    };
    return { prefix: Buffer.from(`${k.name}:`), transformer: wrapped };
  });
  const names = keys.map((k) => `"${k.name}"`).join(', ');
  const inner = prefixChain(entries, (stored) => {
    const found = describeEncrypted(Buffer.concat([Buffer.from(outer), stored]));
    const which = found ? `key "${found.keyName}"` : 'a key whose name cannot be read';
    return `the value is encrypted with ${provider} ${which}, which the encryption configuration does not hold (its ${provider} keys: ${names})`;
  });
  return { name: provider, prefix: Buffer.from(outer), transformer: inner };
}
