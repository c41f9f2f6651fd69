import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { pemCertificates } from './certificate.js';
import { readFileIfExists, writeFileAtomic } from './files.js';

/** TOKEN_PREFIX starts every full (secure) token: `K10<ca hash>::<username>:<password>`. */
export const TOKEN_PREFIX = 'K10';

/** SERVER_TOKEN_USER is the username of server tokens (and of bare secrets). */
export const SERVER_TOKEN_USER = 'server';

/** ParsedToken is a token split into its parts; caHash is absent for a bare secret (short token). */
export interface ParsedToken {
  caHash?: string;
  username: string;
  password: string;
}

/** caBundleHash returns the lowercase hex SHA-256 of the CA bundle PEM bytes exactly as served/stored. */
export function caBundleHash(pem: string): string {
  return createHash('sha256').update(pem, 'utf8').digest('hex');
}

/**
 * parseToken splits `K10<hash>::<user>:<pass>` or a bare secret (username "server"). A full token
 * whose credentials lack a user part is taken as `server:<credentials>`. Throws for an empty token,
 * an empty password or a malformed hash.
 */
export function parseToken(s: string): ParsedToken {
  const token = s.trim();
  if (token === '') throw new Error('token must not be empty');
  let creds = token;
  let caHash: string | undefined;
  const sep = token.indexOf('::');
  if (token.startsWith(TOKEN_PREFIX) && sep >= 0) {
    caHash = token.slice(TOKEN_PREFIX.length, sep).toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(caHash)) throw new Error('invalid token: CA hash is not a hex SHA-256');
    creds = token.slice(sep + 2);
  }
  const colon = creds.indexOf(':');
  const username = colon >= 0 ? creds.slice(0, colon) : SERVER_TOKEN_USER;
  const password = colon >= 0 ? creds.slice(colon + 1) : creds;
  if (username === '' || password === '') throw new Error('invalid token format: want K10<hash>::<user>:<secret> or a bare secret');
  return caHash === undefined ? { username, password } : { caHash, username, password };
}

/** formatToken returns the full token `K10<hash of caBundlePem>::<username>:<password>`. */
export function formatToken(caBundlePem: string, password: string, username = SERVER_TOKEN_USER): string {
  return `${TOKEN_PREFIX}${caBundleHash(caBundlePem)}::${username}:${password}`;
}

/**
 * verifyCAHash reports whether the token's CA hash matches the bundle: the SHA-256 of the PEM bytes
 * (self-signed CAs) or, as k3s accepts for custom CAs, of the DER of the bundle's last (root)
 * certificate. A token without a hash (bare secret) is never verified: false. A malformed token throws (parseToken).
 */
export function verifyCAHash(pem: string, token: string): boolean {
  const { caHash } = parseToken(token);
  if (caHash === undefined) return false;
  const candidates = [caBundleHash(pem)];
  try {
    const root = pemCertificates(pem).at(-1);
    if (root) candidates.push(createHash('sha256').update(root.raw).digest('hex'));
  } catch {
    // Not PEM certificates: only the byte hash can match.
  }
  const want = Buffer.from(caHash, 'hex');
  return candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), want));
}

/**
 * ensureServerToken returns the server's full token and keeps it in `<dataDir>/server/token` and
 * `<dataDir>/server/node-token` (0600). The secret is explicitToken's (a bare secret, or a full
 * token whose CA hash must match caBundlePem — else it throws), else the one already stored, else
 * 16 random bytes in hex. The files are rewritten only when their content would change.
 */
export async function ensureServerToken(dataDir: string, caBundlePem: string, explicitToken?: string): Promise<string> {
  const tokenPath = join(dataDir, 'server', 'token');
  const nodeTokenPath = join(dataDir, 'server', 'node-token');
  let secret: string;
  if (explicitToken !== undefined && explicitToken.trim() !== '') {
    const parsed = parseToken(explicitToken);
    if (parsed.caHash !== undefined && !verifyCAHash(caBundlePem, explicitToken)) {
      throw new Error(
        `token CA hash ${parsed.caHash} does not match this server's CA (${caBundleHash(caBundlePem)}): ` +
          'the token belongs to another cluster; pass only its secret part to reuse it',
      );
    }
    secret = parsed.password;
  } else {
    const stored = (await readFileIfExists(tokenPath)) ?? (await readFileIfExists(nodeTokenPath));
    secret = stored !== undefined && stored.trim() !== '' ? parseToken(stored).password : randomBytes(16).toString('hex');
  }
  const token = formatToken(caBundlePem, secret);
  for (const path of [tokenPath, nodeTokenPath]) {
    if ((await readFileIfExists(path)) !== token + '\n') await writeFileAtomic(path, token + '\n', 0o600);
  }
  return token;
}
