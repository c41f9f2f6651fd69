import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFileIfExists, writeFileAtomic } from './files.js';

// scrypt cost: N=2^14, r=8, p=1 needs 16 MiB and ~50 ms; Node's default memory cap is 32 MiB.
const COST = { N: 16384, r: 8, p: 1 };
const KEY_BYTES = 32;
const PREFIX = '$scrypt$';

function scryptAsync(password: string, salt: Buffer, keyLen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keyLen, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

/** generateNodePassword returns a new random node password: 32 random bytes in hex. */
export function generateNodePassword(): string {
  return randomBytes(32).toString('hex');
}

/**
 * hashNodePassword returns a salted scrypt hash of password in the self-describing form
 * `$scrypt$N=16384,r=8,p=1$<salt b64>$<key b64>` (k3s keeps a salted scrypt hash too), with a fresh
 * 16-byte salt: two hashes of one password differ.
 */
export async function hashNodePassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_BYTES, COST);
  return `${PREFIX}N=${COST.N},r=${COST.r},p=${COST.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * verifyNodePassword reports whether password matches a hash made by hashNodePassword (in
 * constant time for the key comparison). A hash in any other form never matches.
 */
export async function verifyNodePassword(password: string, hash: string): Promise<boolean> {
  const m = /^\$scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(hash.trim());
  if (!m) return false;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Refuse costs we would never write: a crafted Secret must not make the server burn memory.
  if (N > 1 << 17 || r > 16 || p > 4 || N < 2) return false;
  const want = Buffer.from(m[5]!, 'base64');
  if (want.length < 16) return false;
  const got = await scryptAsync(password, Buffer.from(m[4]!, 'base64'), want.length, { N, r, p, maxmem: 256 * N * r + (1 << 20) });
  return timingSafeEqual(got, want);
}

/**
 * ensureNodePasswordFile returns the node password kept at path, creating it (0600, random) when
 * the file is absent or empty. k3s keeps the same file at /etc/rancher/node/password.
 */
export async function ensureNodePasswordFile(path: string): Promise<string> {
  const stored = (await readFileIfExists(path))?.trim();
  if (stored) return stored;
  const password = generateNodePassword();
  await writeFileAtomic(path, password + '\n', 0o600);
  return password;
}
