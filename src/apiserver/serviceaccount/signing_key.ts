import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * serviceAccountKeyPath is where the service-account signing key lives, k3s's
 * `<data-dir>/server/tls/service.key`.
 */
export function serviceAccountKeyPath(dataDir: string): string {
  return join(dataDir, 'server', 'tls', 'service.key');
}

/**
 * ensureSigningKey returns the PEM of the RSA key at path, creating a 2048-bit one (PKCS#1, mode
 * 0600, written to a temporary file and renamed so a crash never leaves half a key) when there is
 * none. The key is kept across restarts: tokens issued before a restart stay valid. A file that
 * is not an RSA private key is an error, never silently replaced.
 */
export async function ensureSigningKey(path: string): Promise<string> {
  const existing = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (existing !== undefined) {
    const key = createPrivateKey(existing);
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`${path}: the service-account key must be an RSA private key, found ${key.asymmetricKeyType ?? 'unknown'}`);
    return existing;
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(tmp, pem, { mode: 0o600, flag: 'wx' });
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return pem;
}
