import type { KubeObject } from '../../../api/types.js';
import type { Clock } from '../../../lib/clock.js';
import { VolumeError } from './volume_sources.js';

/** TokenFor is what one projected serviceAccountToken source asks for its pod. */
export interface TokenFor {
  namespace: string;
  serviceAccountName: string;
  podName: string;
  podUID: string;
  /** audience '' means the API server's own audiences. */
  audience: string;
  expirationSeconds: number;
}

/** IssuedToken is a TokenRequest's answer: the token, when it expires (ms since the epoch) and the lifetime granted. */
export interface IssuedToken {
  token: string;
  expiresAt: number;
  expirationSeconds: number;
}

/** ServiceAccountTokenSource asks the API server for a token bound to the pod (TokenRequest). */
export type ServiceAccountTokenSource = (req: TokenFor) => Promise<IssuedToken>;

/** MAX_TOKEN_AGE_MS: a token older than a day is renewed whatever its lifetime (the kubelet's maxTTL). */
const MAX_TOKEN_AGE_MS = 24 * 3600 * 1000;
/** RENEW_FRACTION: tokens are renewed once 80 % of their lifetime has passed, as the kubelet's token manager does. */
const RENEW_FRACTION = 0.8;

/**
 * PodTokens is the kubelet's token manager for one pod: it asks for a token bound to the pod per
 * (audience, expirationSeconds), keeps it, and asks again once 80 % of its lifetime (or a day)
 * has passed. A failed renewal keeps serving the old token while it is still valid.
 */
export class PodTokens {
  private readonly cache = new Map<string, IssuedToken & { issuedAt: number }>();

  constructor(
    private readonly source: ServiceAccountTokenSource,
    private readonly clock: Clock,
  ) {}

  /** get returns a valid token for the pod, from the cache or freshly requested; failures are VolumeErrors. */
  async get(pod: KubeObject, audience: string, expirationSeconds: number): Promise<string> {
    const key = `${audience}|${expirationSeconds}`;
    const now = this.clock.now();
    const cached = this.cache.get(key);
    if (cached && !this.needsRenewal(cached, now)) return cached.token;
    const sa = (pod.spec as { serviceAccountName?: unknown } | undefined)?.serviceAccountName;
    const req: TokenFor = {
      namespace: pod.metadata.namespace ?? '',
      serviceAccountName: typeof sa === 'string' && sa ? sa : 'default',
      podName: pod.metadata.name ?? '',
      podUID: pod.metadata.uid ?? '',
      audience,
      expirationSeconds,
    };
    try {
      const issued = await this.source(req);
      // The lifetime is the granted one, as the answer's expirationTimestamp tells it (an extended
      // kubelet token is still renewed within the hour, as upstream's).
      this.cache.set(key, { ...issued, issuedAt: issued.expiresAt - issued.expirationSeconds * 1000 });
      return issued.token;
    } catch (e) {
      if (cached && now < cached.expiresAt) return cached.token;
      throw new VolumeError(`failed to fetch token: ${(e as Error).message}`);
    }
  }

  /** clear forgets the pod's tokens (the pod is gone). */
  clear(): void {
    this.cache.clear();
  }

  private needsRenewal(t: IssuedToken & { issuedAt: number }, now: number): boolean {
    if (now >= t.issuedAt + MAX_TOKEN_AGE_MS) return true;
    return now >= t.issuedAt + (t.expiresAt - t.issuedAt) * RENEW_FRACTION;
  }
}
