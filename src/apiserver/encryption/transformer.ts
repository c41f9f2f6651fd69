/**
 * ValueTransformer turns a resource's stored bytes to and from their at-rest form (kube-apiserver's
 * value.Transformer). key is the object's storage key: authenticated ciphers bind a value to it, so
 * a value copied under another key does not read back.
 */
export interface ValueTransformer {
  /** toStorage returns the bytes to store for value; throws TransformError when it cannot. */
  toStorage(value: Uint8Array, key: string): Uint8Array;
  /**
   * fromStorage returns the plain bytes of a stored value, and stale = true when the value was not
   * written by the transformer that writes now (an older key, another provider, or plaintext): such
   * a value is rewritten by a reencryption. Throws TransformError when it cannot be read.
   */
  fromStorage(stored: Uint8Array, key: string): { value: Uint8Array; stale: boolean };
}

/** TransformError says why a value could not be encrypted or decrypted; its message names the key or provider involved. */
export class TransformError extends Error {
  override name = 'TransformError';
}

/** ENCRYPTED_PREFIX starts every value an encrypting provider wrote (`k8s:enc:<provider>:v1:<key name>:`). */
export const ENCRYPTED_PREFIX = 'k8s:enc:';

/** Provider is one entry of a provider list: values it can read start with prefix ('' for identity). */
export interface Provider {
  /** name is the provider's configuration name: aescbc, aesgcm, identity. */
  name: string;
  prefix: Buffer;
  transformer: ValueTransformer;
}

function startsWith(data: Uint8Array, prefix: Buffer): boolean {
  return data.byteLength >= prefix.length && Buffer.from(data.buffer, data.byteOffset, prefix.length).equals(prefix);
}

/** prefixed returns prefix + data in one buffer. */
export function prefixed(prefix: Buffer, data: Uint8Array): Buffer {
  return Buffer.concat([prefix, data]);
}

/** IDENTITY stores values as they are; it refuses to read a value an encrypting provider wrote. */
export const IDENTITY: ValueTransformer = {
  toStorage: (value) => value,
  fromStorage(stored) {
    if (startsWith(stored, Buffer.from(ENCRYPTED_PREFIX))) throw new TransformError('identity transformer tried to read encrypted data');
    return { value: stored, stale: false };
  },
};

/**
 * prefixChain is kube-apiserver's prefix transformer list: the first entry writes (its prefix, then
 * its output); a read goes to each entry whose prefix the value starts with, in order, until one
 * reads it. A value read by any entry but the first is stale. When none can read it, the error says
 * what the value needs: describe(stored) names its provider and key.
 */
export function prefixChain(entries: { prefix: Buffer; transformer: ValueTransformer }[], describe: (stored: Uint8Array) => string): ValueTransformer {
  const first = entries[0];
  if (!first) throw new TransformError('a provider list needs at least one provider');
  return {
    toStorage: (value, key) => prefixed(first.prefix, first.transformer.toStorage(value, key)),
    fromStorage(stored, key) {
      const failures: string[] = [];
      for (const [i, e] of entries.entries()) {
        if (!startsWith(stored, e.prefix)) continue;
        try {
          const r = e.transformer.fromStorage(stored.subarray(e.prefix.length), key);
          return { value: r.value, stale: r.stale || i > 0 };
        } catch (err) {
          if (!(err instanceof TransformError)) throw err;
          // identity's refusal of encrypted data only means another entry must read it.
          if (e.prefix.length > 0) failures.push(err.message);
        }
      }
      throw new TransformError(failures[0] ?? describe(stored));
    },
  };
}

/**
 * describeEncrypted names the provider and key of an encrypted value (`k8s:enc:<provider>:v1:<key name>:…`),
 * for the error that says which key is missing. The key name ends at the last ':' of the printable
 * run after the provider prefix (names may hold ':'; the random bytes after them are rarely printable).
 */
export function describeEncrypted(stored: Uint8Array): { provider: string; keyName: string } | undefined {
  const head = Buffer.from(stored.buffer, stored.byteOffset, Math.min(stored.byteLength, 512));
  let end = 0;
  while (end < head.length && head[end]! >= 0x20 && head[end]! < 0x7f) end++;
  const m = /^k8s:enc:([a-z0-9]+):v1:(.*):/s.exec(head.subarray(0, end).toString('latin1'));
  return m ? { provider: m[1]!, keyName: m[2]! } : undefined;
}
