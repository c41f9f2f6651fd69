import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import { LEGACY_ISSUER, serviceAccountUsername, type BoundClaims, type BoundObject, type KubernetesClaim, type LegacyClaims } from './claims.js';
import type { TokenSigner } from './signer.js';

/** BoundTokenSpec is what one bound token is for. */
export interface BoundTokenSpec {
  namespace: string;
  serviceAccount: BoundObject;
  audiences: string[];
  expirationSeconds: number;
  /** warnAfterSeconds marks an extended kubelet token (the `warnafter` claim). */
  warnAfterSeconds?: number;
  pod?: BoundObject;
  secret?: BoundObject;
  /** node: the Node the token is bound to, or the node of the bound pod (its uid may be unknown). */
  node?: { name: string; uid?: string };
}

/** LegacyTokenSpec names the Secret a non-expiring legacy token belongs to. */
export interface LegacyTokenSpec {
  namespace: string;
  serviceAccountName: string;
  serviceAccountUID: string;
  secretName: string;
}

/** TokenIssuer builds service-account token claims as kube-apiserver 1.32 does and has them signed. */
export class TokenIssuer {
  constructor(
    private readonly signer: TokenSigner,
    /** issuer is the `iss` of bound tokens. */
    readonly issuer: string,
    private readonly clock: Clock,
  ) {}

  /** bound issues a time-limited token for audiences, tied to the service account and optionally a pod, secret or node. */
  async bound(spec: BoundTokenSpec): Promise<{ token: string; claims: BoundClaims }> {
    const now = Math.floor(this.clock.now() / 1000);
    const k: KubernetesClaim = { namespace: spec.namespace, serviceaccount: spec.serviceAccount };
    if (spec.node) k.node = { name: spec.node.name, uid: spec.node.uid ?? '' };
    if (spec.pod) k.pod = spec.pod;
    else if (spec.secret) k.secret = spec.secret;
    if (spec.warnAfterSeconds) k.warnafter = now + spec.warnAfterSeconds;
    const claims: BoundClaims = {
      aud: spec.audiences,
      exp: now + spec.expirationSeconds,
      iat: now,
      iss: this.issuer,
      jti: randomUUID(),
      'kubernetes.io': k,
      nbf: now,
      sub: serviceAccountUsername(spec.namespace, spec.serviceAccount.name),
    };
    return { token: await this.signer.sign(claims), claims };
  }

  /** legacy issues the non-expiring token of a `kubernetes.io/service-account-token` Secret. */
  async legacy(spec: LegacyTokenSpec): Promise<string> {
    const claims: LegacyClaims = {
      iss: LEGACY_ISSUER,
      'kubernetes.io/serviceaccount/namespace': spec.namespace,
      'kubernetes.io/serviceaccount/secret.name': spec.secretName,
      'kubernetes.io/serviceaccount/service-account.name': spec.serviceAccountName,
      'kubernetes.io/serviceaccount/service-account.uid': spec.serviceAccountUID,
      sub: serviceAccountUsername(spec.namespace, spec.serviceAccountName),
    };
    return this.signer.sign(claims);
  }
}
