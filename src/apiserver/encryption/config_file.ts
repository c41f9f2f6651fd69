import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { restrict } from '../../lib/private_files.js';
import type { AesProviderName } from './aes.js';
import { ENCRYPTION_CONFIG_API_VERSION, ENCRYPTION_CONFIG_KIND, parseEncryptionConfig, type EncryptionConfiguration, type KeyConfig } from './config.js';

/** encryptionConfigPath is where the server keeps its encryption configuration (k3s's path under the data dir). */
export function encryptionConfigPath(dataDir: string): string {
  return join(dataDir, 'server', 'cred', 'encryption-config.json');
}

/** encryptionStatePath is where the rotation stage and the configuration hash it was reached with are kept (`<stage>-<sha256>`, as k3s). */
export function encryptionStatePath(dataDir: string): string {
  return join(dataDir, 'server', 'cred', 'encryption-state.json');
}

/** LoadedConfig is a configuration file's parsed content and the sha256 (hex) of its bytes. */
export interface LoadedConfig {
  config: EncryptionConfiguration;
  hash: string;
}

/** configHash is the sha256 of a configuration file's bytes, in hex (k3s's encryption hash). */
export function configHash(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

function missing(e: unknown): boolean {
  return e instanceof Error && 'code' in e && e.code === 'ENOENT';
}

/** readTextIfExists returns a file's text, or undefined when it does not exist. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if (missing(e)) return undefined;
    throw e;
  }
}

/** readEncryptionConfig loads and validates the file at path; undefined when it does not exist, EncryptionConfigError when it is not valid. */
export async function readEncryptionConfig(path: string): Promise<LoadedConfig | undefined> {
  const text = await readTextIfExists(path);
  if (text === undefined) return undefined;
  return { config: parseEncryptionConfig(text, path), hash: configHash(text) };
}

/**
 * writePrivateFile replaces path atomically with a file only root can read (0600) in a folder only
 * root can enter (0700), so a reader sees the old or the new file whole and no key is ever exposed.
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  restrict(dir, 0o700);
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(tmp, text, { mode: 0o600, flag: 'wx' });
    restrict(tmp, 0o600);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** writeEncryptionConfig writes cfg to path (0600) and returns what was written with its hash. */
export async function writeEncryptionConfig(path: string, cfg: EncryptionConfiguration): Promise<LoadedConfig> {
  const text = JSON.stringify(cfg);
  await writePrivateFile(path, text);
  return { config: cfg, hash: configHash(text) };
}

/** newKey makes a random 32-byte key named as k3s names them: `<provider>key-<RFC 3339 time>`, unique among taken. */
export function newKey(provider: AesProviderName, now: Date, taken: string[] = []): KeyConfig {
  const base = `${provider}key-${now.toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base}-${i}`;
  return { name, secret: randomBytes(32).toString('base64') };
}

/** initialConfig is what `--secrets-encryption` writes at first start: one key (`aescbckey`, as k3s, or `aesgcmkey`) for secrets, then identity to read what was stored before. */
export function initialConfig(provider: AesProviderName): EncryptionConfiguration {
  const key = { name: `${provider}key`, secret: randomBytes(32).toString('base64') };
  const first = provider === 'aescbc' ? { aescbc: { keys: [key] } } : { aesgcm: { keys: [key] } };
  return { kind: ENCRYPTION_CONFIG_KIND, apiVersion: ENCRYPTION_CONFIG_API_VERSION, resources: [{ resources: ['secrets'], providers: [first, { identity: {} }] }] };
}
