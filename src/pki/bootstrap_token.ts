import { randomInt } from 'node:crypto';

/**
 * Bootstrap tokens as kubeadm and k3s keep them: `<id>.<secret>` ([a-z0-9]{6}.[a-z0-9]{16}),
 * stored as Secrets `kube-system/bootstrap-token-<id>` of type `bootstrap.kubernetes.io/token`
 * (k8s.io/cluster-bootstrap/token/api).
 */

/** BOOTSTRAP_TOKEN_SECRET_TYPE is the type of bootstrap token Secrets. */
export const BOOTSTRAP_TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
/** BOOTSTRAP_TOKEN_NAMESPACE holds the bootstrap token Secrets. */
export const BOOTSTRAP_TOKEN_NAMESPACE = 'kube-system';
/** BOOTSTRAP_TOKEN_USAGES are the usages a token may have (data keys `usage-bootstrap-<usage>`). */
export const BOOTSTRAP_TOKEN_USAGES = ['signing', 'authentication'] as const;
/** DEFAULT_BOOTSTRAP_TOKEN_GROUPS are the extra groups `skiff token create` gives (k3s: system:bootstrappers:k3s:default-node-token). */
export const DEFAULT_BOOTSTRAP_TOKEN_GROUPS = ['system:bootstrappers:skiff:default-node-token'];

const TOKEN_RE = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const ID_RE = /^[a-z0-9]{6}$/;
const GROUP_RE = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** BootstrapToken is a decoded bootstrap token Secret. */
export interface BootstrapToken {
  id: string;
  secret: string;
  /** expiresAt is the expiration in ms since the epoch; undefined: never expires. */
  expiresAt?: number;
  usages: string[];
  groups: string[];
  description: string;
}

/** bootstrapTokenSecretName returns `bootstrap-token-<id>`. */
export function bootstrapTokenSecretName(id: string): string {
  return `bootstrap-token-${id}`;
}

/** parseBootstrapToken splits `<id>.<secret>`; undefined when s is not a bootstrap token. */
export function parseBootstrapToken(s: string): { id: string; secret: string } | undefined {
  const m = TOKEN_RE.exec(s);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/** isBootstrapTokenId reports whether s is a token id ([a-z0-9]{6}). */
export function isBootstrapTokenId(s: string): boolean {
  return ID_RE.test(s);
}

function randomString(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** generateBootstrapToken returns a random `<id>.<secret>` from a CSPRNG. */
export function generateBootstrapToken(): string {
  return `${randomString(6)}.${randomString(16)}`;
}

/** validateBootstrapTokenOptions returns what is wrong with usages and groups (empty: fine). */
export function validateBootstrapTokenOptions(usages: string[], groups: string[]): string[] {
  const errs: string[] = [];
  for (const u of usages) {
    if (!(BOOTSTRAP_TOKEN_USAGES as readonly string[]).includes(u)) errs.push(`invalid bootstrap token usage string: ${u}, valid usage options: ${BOOTSTRAP_TOKEN_USAGES.join(',')}`);
  }
  for (const g of groups) {
    if (!GROUP_RE.test(g)) errs.push(`bootstrap group ${JSON.stringify(g)} is invalid (must match ${GROUP_RE.source})`);
  }
  return errs;
}

/** bootstrapTokenSecret builds the Secret that stores token (expiration as RFC 3339, as kubeadm writes it). */
export function bootstrapTokenSecret(token: BootstrapToken): Record<string, unknown> {
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  const data: Record<string, string> = { 'token-id': b64(token.id), 'token-secret': b64(token.secret) };
  if (token.description) data.description = b64(token.description);
  if (token.expiresAt !== undefined) data.expiration = b64(new Date(token.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  for (const u of token.usages) data[`usage-bootstrap-${u}`] = b64('true');
  if (token.groups.length) data['auth-extra-groups'] = b64(token.groups.join(','));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: bootstrapTokenSecretName(token.id), namespace: BOOTSTRAP_TOKEN_NAMESPACE },
    type: BOOTSTRAP_TOKEN_SECRET_TYPE,
    data,
  };
}

/**
 * bootstrapTokenFromSecret decodes a bootstrap token Secret; undefined when it is not one (wrong
 * type, a token-id that does not match the name, a malformed id or secret). An unparsable
 * expiration counts as already expired, as upstream treats it.
 */
export function bootstrapTokenFromSecret(secret: unknown): BootstrapToken | undefined {
  const s = secret as { type?: string; metadata?: { name?: string }; data?: Record<string, string> } | undefined;
  if (s?.type !== BOOTSTRAP_TOKEN_SECRET_TYPE) return undefined;
  const get = (k: string): string | undefined => (s.data?.[k] === undefined ? undefined : Buffer.from(s.data[k], 'base64').toString('utf8'));
  const id = get('token-id') ?? '';
  const tokenSecret = get('token-secret') ?? '';
  if (!parseBootstrapToken(`${id}.${tokenSecret}`) || s.metadata?.name !== bootstrapTokenSecretName(id)) return undefined;
  const token: BootstrapToken = {
    id,
    secret: tokenSecret,
    usages: BOOTSTRAP_TOKEN_USAGES.filter((u) => get(`usage-bootstrap-${u}`) === 'true'),
    groups: (get('auth-extra-groups') ?? '').split(',').map((g) => g.trim()).filter(Boolean),
    description: get('description') ?? '',
  };
  const expiration = get('expiration');
  if (expiration !== undefined) {
    const t = Date.parse(expiration);
    token.expiresAt = Number.isNaN(t) ? 0 : t;
  }
  return token;
}

/** isBootstrapTokenExpired reports whether token has expired at now (ms). */
export function isBootstrapTokenExpired(token: BootstrapToken, now: number): boolean {
  return token.expiresAt !== undefined && token.expiresAt <= now;
}
