import { AES_KEY_SIZES, aesProvider, type AesProviderName } from './aes.js';
import { IDENTITY, describeEncrypted, prefixChain, type Provider, type ValueTransformer } from './transformer.js';

/** ENCRYPTION_CONFIG_KIND and ENCRYPTION_CONFIG_API_VERSION identify kube-apiserver's encryption configuration file. */
export const ENCRYPTION_CONFIG_KIND = 'EncryptionConfiguration';
export const ENCRYPTION_CONFIG_API_VERSION = 'apiserver.config.k8s.io/v1';

/** KeyConfig is one named key; secret is its bytes in base64. */
export interface KeyConfig {
  name: string;
  secret: string;
}

/** ProviderConfig is one provider entry: exactly one of its fields is set. */
export interface ProviderConfig {
  aescbc?: { keys: KeyConfig[] };
  aesgcm?: { keys: KeyConfig[] };
  identity?: Record<string, never>;
}

/** ResourceConfig lists resources (`secrets`, `<plural>.<group>`, `*.<group>`, `*.*`) and the providers that store them. */
export interface ResourceConfig {
  resources: string[];
  providers: ProviderConfig[];
}

/** EncryptionConfiguration is apiserver.config.k8s.io/v1 EncryptionConfiguration (the providers skiff supports). */
export interface EncryptionConfiguration {
  kind: string;
  apiVersion: string;
  resources: ResourceConfig[];
}

/** EncryptionConfigError is an encryption configuration that cannot be used; the message says which field and why (never a key's value). */
export class EncryptionConfigError extends Error {
  override name = 'EncryptionConfigError';
}

const AES_PROVIDERS: AesProviderName[] = ['aescbc', 'aesgcm'];
const KNOWN_PROVIDERS = new Set(['aescbc', 'aesgcm', 'identity', 'secretbox', 'kms']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** decodeKeySecret returns a key's bytes, or throws naming the field. */
export function decodeKeySecret(secret: string, field: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(secret) || secret.length % 4 !== 0) {
    throw new EncryptionConfigError(`${field}: Invalid value: "REDACTED": secret is not base64 encoded`);
  }
  const bytes = Buffer.from(secret, 'base64');
  if (!AES_KEY_SIZES.includes(bytes.length)) {
    throw new EncryptionConfigError(`${field}: Invalid value: "REDACTED": secret is not of the expected length, got ${bytes.length}, expected one of [${AES_KEY_SIZES.join(' ')}]`);
  }
  return bytes;
}

function checkKeys(raw: unknown, field: string): KeyConfig[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new EncryptionConfigError(`${field}.keys: Required value: at least one key is needed`);
  const seen = new Set<string>();
  return raw.map((k, i) => {
    const f = `${field}.keys[${i}]`;
    if (!isRecord(k) || typeof k.name !== 'string' || k.name === '') throw new EncryptionConfigError(`${f}.name: Required value: every key needs a name`);
    if (seen.has(k.name)) throw new EncryptionConfigError(`${f}.name: Duplicate value: "${k.name}"`);
    seen.add(k.name);
    if (typeof k.secret !== 'string' || k.secret === '') throw new EncryptionConfigError(`${f}.secret: Required value: every key needs a secret`);
    decodeKeySecret(k.secret, `${f}.secret`);
    return { name: k.name, secret: k.secret };
  });
}

function checkProvider(raw: unknown, field: string): ProviderConfig {
  if (!isRecord(raw)) throw new EncryptionConfigError(`${field}: Invalid value: a provider is an object such as {"aescbc": {...}}`);
  const names = Object.keys(raw).filter((k) => KNOWN_PROVIDERS.has(k));
  if (names.length !== 1) {
    throw new EncryptionConfigError(names.length === 0 ? `${field}: Required value: provider does not contain any of the expected providers: aescbc, aesgcm, identity` : `${field}: Invalid value: more than one provider specified in a single element, should split into different list elements`);
  }
  const name = names[0]!;
  if (name === 'identity') return { identity: {} };
  if (name === 'aescbc' || name === 'aesgcm') {
    const body = raw[name];
    return { [name]: { keys: checkKeys(isRecord(body) ? body.keys : undefined, `${field}.${name}`) } };
  }
  throw new EncryptionConfigError(`${field}.${name}: Unsupported value: skiff supports the aescbc, aesgcm and identity providers`);
}

/** parseEncryptionConfig reads and validates an EncryptionConfiguration (JSON); source names the file in errors. */
export function parseEncryptionConfig(text: string, source: string): EncryptionConfiguration {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new EncryptionConfigError(`${source}: not valid JSON: ${(e as Error).message}`);
  }
  if (!isRecord(doc)) throw new EncryptionConfigError(`${source}: want an ${ENCRYPTION_CONFIG_KIND} object`);
  if (doc.kind !== ENCRYPTION_CONFIG_KIND || doc.apiVersion !== ENCRYPTION_CONFIG_API_VERSION) {
    throw new EncryptionConfigError(`${source}: want kind ${ENCRYPTION_CONFIG_KIND} and apiVersion ${ENCRYPTION_CONFIG_API_VERSION}, got ${JSON.stringify(doc.kind)} and ${JSON.stringify(doc.apiVersion)}`);
  }
  if (!Array.isArray(doc.resources) || doc.resources.length === 0) throw new EncryptionConfigError(`${source}: resources: Required value: at least one resource entry is needed`);
  const resources = doc.resources.map((r: unknown, i: number): ResourceConfig => {
    const f = `${source}: resources[${i}]`;
    if (!isRecord(r) || !Array.isArray(r.resources) || r.resources.length === 0 || !r.resources.every((x) => typeof x === 'string' && x !== '')) {
      throw new EncryptionConfigError(`${f}.resources: Required value: at least one resource name is needed`);
    }
    if (!Array.isArray(r.providers) || r.providers.length === 0) throw new EncryptionConfigError(`${f}.providers: Required value: at least one provider is needed`);
    return { resources: r.resources as string[], providers: r.providers.map((p, j) => checkProvider(p, `${f}.providers[${j}]`)) };
  });
  return { kind: ENCRYPTION_CONFIG_KIND, apiVersion: ENCRYPTION_CONFIG_API_VERSION, resources };
}

function buildProvider(p: ProviderConfig): Provider {
  for (const name of AES_PROVIDERS) {
    const keys = p[name]?.keys;
    if (keys) return aesProvider(name, keys.map((k) => ({ name: k.name, secret: Buffer.from(k.secret, 'base64') })));
  }
  return { name: 'identity', prefix: Buffer.alloc(0), transformer: IDENTITY };
}

/** providerList builds one resource entry's providers into a transformer: the first writes, all read. */
export function providerList(providers: ProviderConfig[]): ValueTransformer {
  const built = providers.map(buildProvider);
  return prefixChain(built, (stored) => {
    const found = describeEncrypted(stored);
    if (!found) return 'no matching prefix found: the value is not encrypted and the encryption configuration has no identity provider';
    return `the value is encrypted with ${found.provider} key "${found.keyName}", but the encryption configuration has no ${found.provider} provider`;
  });
}

/** resourceMatches tells whether a configuration resource name (`secrets`, `deployments.apps`, `*.apps`, `*.`, `*.*`) covers group/plural. */
export function resourceMatches(pattern: string, group: string, plural: string): boolean {
  if (pattern === '*.*') return true;
  const dot = pattern.indexOf('.');
  const [p, g] = dot < 0 ? [pattern, ''] : [pattern.slice(0, dot), pattern.slice(dot + 1)];
  return g === group && (p === '*' || p === plural);
}

/**
 * buildTransformers returns, for a resource, the transformer of the first configuration entry that
 * names it (undefined: stored as is).
 */
export function buildTransformers(cfg: EncryptionConfiguration): (group: string, plural: string) => ValueTransformer | undefined {
  const entries = cfg.resources.map((r) => ({ names: r.resources, transformer: providerList(r.providers) }));
  const known = new Map<string, ValueTransformer | undefined>();
  return (group, plural) => {
    const id = `${plural}.${group}`;
    if (known.has(id)) return known.get(id);
    const t = entries.find((e) => e.names.some((n) => resourceMatches(n, group, plural)))?.transformer;
    known.set(id, t);
    return t;
  };
}
