import type { KubeObject } from '../../api/types.js';
import type { Clock } from '../../lib/clock.js';
import type { TokenAuthenticator, UserInfo } from '../auth.js';
import { LEGACY_ISSUER, serviceAccountGroups, serviceAccountUsername, splitUsername, type BoundObject, type KubernetesClaim } from './claims.js';
import type { ObjectLookups } from './lookups.js';
import type { TokenSigner } from './signer.js';

/** LEEWAY_MS is go-jose's default leeway: expiry, not-before and deletions are judged a minute late. */
const LEEWAY_MS = 60_000;

/** TokenResult is what authenticating one token gives: not ours, refused (with the reason), or a user. */
export type TokenResult = { status: 'unknown' } | { status: 'refused'; error: string } | { status: 'ok'; user: UserInfo; audiences: string[] };

/** ServiceAccountAuthenticatorOptions configure a ServiceAccountAuthenticator. */
export interface ServiceAccountAuthenticatorOptions {
  signer: TokenSigner;
  /** issuer is the `iss` of bound tokens (--service-account-issuer). */
  issuer: string;
  /** apiAudiences are the audiences the API server accepts itself (--api-audiences; default [issuer]). */
  apiAudiences: string[];
  lookups: ObjectLookups;
  clock: Clock;
}

const refused = (error: string): TokenResult => ({ status: 'refused', error });
const goQuote = (xs: string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
const deletedBefore = (obj: KubeObject, limit: number): boolean => !!obj.metadata.deletionTimestamp && Date.parse(obj.metadata.deletionTimestamp) < limit;

function unverifiedIssuer(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
    const iss = typeof payload === 'object' && payload !== null ? (payload as { iss?: unknown }).iss : undefined;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

/** checkTimes applies nbf, exp and iat with go-jose's leeway, in its order. */
function checkTimes(payload: Record<string, unknown>, now: number): string | undefined {
  const at = (k: string): number | undefined => (typeof payload[k] === 'number' ? (payload[k] as number) * 1000 : undefined);
  const nbf = at('nbf');
  const exp = at('exp');
  const iat = at('iat');
  if (nbf !== undefined && now + LEEWAY_MS < nbf) return 'service account token is not valid yet';
  if (exp !== undefined && now - LEEWAY_MS > exp) return 'service account token has expired';
  if (iat !== undefined && now + LEEWAY_MS < iat) return 'service account token claims could not be validated due to unexpected validation error';
  return undefined;
}

function audiencesOf(payload: Record<string, unknown>): string[] {
  const aud = payload.aud;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

function ref(v: unknown): BoundObject | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as { name?: unknown; uid?: unknown };
  return { name: typeof r.name === 'string' ? r.name : '', uid: typeof r.uid === 'string' ? r.uid : '' };
}

/**
 * ServiceAccountAuthenticator checks service-account JWTs as kube-apiserver does: issuer (tokens of
 * other issuers are not its business), signature, audience, then expiry and the objects the token
 * is bound to: the ServiceAccount (same uid) and the Pod, Secret or Node (still there, same uid),
 * so the token of a deleted pod stops working. Legacy Secret tokens must match the Secret's copy.
 */
export class ServiceAccountAuthenticator {
  constructor(private readonly opts: ServiceAccountAuthenticatorOptions) {}

  /** authenticate checks token for the given audiences (default: the API server's). */
  async authenticate(token: string, audiences?: string[]): Promise<TokenResult> {
    const iss = unverifiedIssuer(token);
    if (iss !== this.opts.issuer && iss !== LEGACY_ISSUER) return { status: 'unknown' };
    const verified = await this.opts.signer.verify(token);
    if (!verified.ok) return refused(verified.error);
    const payload = verified.payload;
    if (payload.iss !== iss) return refused(`token issuer ${JSON.stringify(payload.iss)} is invalid`);
    const implicit = this.opts.apiAudiences;
    let tokenAuds = audiencesOf(payload);
    if (tokenAuds.length === 0) tokenAuds = implicit; // only legacy tokens lack an audience
    const requested = audiences && audiences.length ? audiences : implicit;
    const auds = tokenAuds.filter((a) => requested.includes(a));
    if (auds.length === 0) return refused(`token audiences ${goQuote(tokenAuds)} is invalid for the target audiences ${goQuote(requested)}`);
    const result = iss === LEGACY_ISSUER ? await this.validateLegacy(token, payload) : await this.validateBound(payload);
    if ('error' in result) return refused(result.error);
    return { status: 'ok', user: result, audiences: auds };
  }

  /** tokenAuthenticator adapts authenticate to the API server's bearer-token chain. */
  tokenAuthenticator(): TokenAuthenticator {
    return async (token) => {
      const r = await this.authenticate(token);
      return r.status === 'ok' ? r.user : undefined;
    };
  }

  private async validateBound(payload: Record<string, unknown>): Promise<UserInfo | { error: string }> {
    const now = this.opts.clock.now();
    const timeError = checkTimes(payload, now);
    if (timeError) return { error: timeError };
    const k = (payload['kubernetes.io'] ?? {}) as Partial<KubernetesClaim>;
    const namespace = typeof k.namespace === 'string' ? k.namespace : '';
    const saRef = ref(k.serviceaccount) ?? { name: '', uid: '' };
    const limit = now - LEEWAY_MS;
    const sa = await this.opts.lookups.serviceAccount(namespace, saRef.name);
    if (!sa) return { error: `serviceaccounts "${saRef.name}" not found` };
    if (deletedBefore(sa, limit)) return { error: `service account ${namespace}/${saRef.name} has been deleted` };
    if (sa.metadata.uid !== saRef.uid) return { error: `service account UID (${sa.metadata.uid ?? ''}) does not match claim (${saRef.uid})` };
    const bindingError = await this.checkBindings(namespace, k, limit);
    if (bindingError) return { error: bindingError };
    const extra: Record<string, string[]> = {};
    const podRef = ref(k.pod);
    if (podRef) {
      extra['authentication.kubernetes.io/pod-name'] = [podRef.name];
      extra['authentication.kubernetes.io/pod-uid'] = [podRef.uid];
    }
    if (typeof payload.jti === 'string' && payload.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${payload.jti}`];
    const nodeRef = ref(k.node);
    if (nodeRef) {
      extra['authentication.kubernetes.io/node-name'] = [nodeRef.name];
      if (nodeRef.uid) extra['authentication.kubernetes.io/node-uid'] = [nodeRef.uid];
    }
    const user: UserInfo = { name: serviceAccountUsername(namespace, saRef.name), uid: saRef.uid, groups: serviceAccountGroups(namespace) };
    if (Object.keys(extra).length) user.extra = extra;
    return user;
  }

  /** checkBindings returns why the Secret, Pod or Node the token is bound to no longer vouches for it, if it does not. */
  private async checkBindings(namespace: string, k: Partial<KubernetesClaim>, limit: number): Promise<string | undefined> {
    const secretRef = ref(k.secret);
    if (secretRef) {
      const secret = await this.opts.lookups.secret(namespace, secretRef.name);
      if (!secret || deletedBefore(secret, limit)) return 'service account token has been invalidated';
      if (secret.metadata.uid !== secretRef.uid) return `secret UID (${secret.metadata.uid ?? ''}) does not match service account secret ref claim (${secretRef.uid})`;
    }
    const podRef = ref(k.pod);
    if (podRef) {
      const pod = await this.opts.lookups.pod(namespace, podRef.name);
      if (!pod || deletedBefore(pod, limit)) return 'service account token has been invalidated';
      if (pod.metadata.uid !== podRef.uid) return `pod UID (${pod.metadata.uid ?? ''}) does not match service account pod ref claim (${podRef.uid})`;
    }
    const nodeRef = ref(k.node);
    if (nodeRef && !podRef) {
      // A token bound to the Node itself lives as long as that Node; for pod tokens the node is informational.
      const node = await this.opts.lookups.node(nodeRef.name);
      if (!node) return 'service account token has been invalidated';
      if (node.metadata.uid !== nodeRef.uid) return `node UID (${node.metadata.uid ?? ''}) does not match service account node ref claim (${nodeRef.uid})`;
    }
    return undefined;
  }

  private async validateLegacy(token: string, payload: Record<string, unknown>): Promise<UserInfo | { error: string }> {
    const claim = (k: string): string => (typeof payload[`kubernetes.io/serviceaccount/${k}`] === 'string' ? (payload[`kubernetes.io/serviceaccount/${k}`] as string) : '');
    const sub = typeof payload.sub === 'string' ? payload.sub : '';
    const namespace = claim('namespace');
    const secretName = claim('secret.name');
    const saName = claim('service-account.name');
    const saUid = claim('service-account.uid');
    if (!sub) return { error: 'sub claim is missing' };
    if (!namespace) return { error: 'namespace claim is missing' };
    if (!secretName) return { error: 'secretName claim is missing' };
    if (!saName) return { error: 'serviceAccountName claim is missing' };
    if (!saUid) return { error: 'serviceAccountUID claim is missing' };
    const subject = splitUsername(sub);
    if (!subject || subject.namespace !== namespace || subject.name !== saName) return { error: 'sub claim is invalid' };
    const secret = await this.opts.lookups.secret(namespace, secretName);
    if (!secret || secret.metadata.deletionTimestamp) return { error: 'Token has been invalidated' };
    const stored = (secret.data as Record<string, unknown> | undefined)?.token;
    if (typeof stored !== 'string' || Buffer.from(stored, 'base64').toString('utf8') !== token) return { error: "Token does not match server's copy" };
    const sa = await this.opts.lookups.serviceAccount(namespace, saName);
    if (!sa) return { error: `serviceaccounts "${saName}" not found` };
    if (sa.metadata.deletionTimestamp) return { error: `ServiceAccount ${namespace}/${saName} has been deleted` };
    if (sa.metadata.uid !== saUid) return { error: `ServiceAccount UID (${sa.metadata.uid ?? ''}) does not match claim (${saUid})` };
    if (secret.metadata.labels?.['kubernetes.io/legacy-token-invalid-since']) {
      return {
        error: `the token in secret ${namespace}/${secretName} for service account ${namespace}/${saName} has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the 'kubernetes.io/legacy-token-invalid-since' label from the secret to re-enable it`,
      };
    }
    return { name: serviceAccountUsername(namespace, saName), uid: saUid, groups: serviceAccountGroups(namespace) };
  }
}
