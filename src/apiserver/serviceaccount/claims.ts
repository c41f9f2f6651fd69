/** BoundObject is a named object a token is tied to, by name and uid. */
export interface BoundObject {
  name: string;
  uid: string;
}

/** KubernetesClaim is the private `kubernetes.io` claim of a bound service-account token. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: BoundObject;
  pod?: BoundObject;
  secret?: BoundObject;
  node?: BoundObject;
  /** warnafter: past it, an extended (3607 s) kubelet token is used beyond what was asked for. */
  warnafter?: number;
}

/** BoundClaims is the payload of a bound token (TokenRequest, projected volumes). */
export interface BoundClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': KubernetesClaim;
}

/** LegacyClaims is the payload of a token kept in a `kubernetes.io/service-account-token` Secret. */
export interface LegacyClaims {
  iss: typeof LEGACY_ISSUER;
  sub: string;
  'kubernetes.io/serviceaccount/namespace': string;
  'kubernetes.io/serviceaccount/secret.name': string;
  'kubernetes.io/serviceaccount/service-account.name': string;
  'kubernetes.io/serviceaccount/service-account.uid': string;
}

/** LEGACY_ISSUER is the issuer of Secret-based tokens, as upstream. */
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';

/** WARN_ONLY_EXPIRATION_SECONDS is what the kubelet asks for by default; upstream extends it (3600 + 7). */
export const WARN_ONLY_EXPIRATION_SECONDS = 3607;

/** EXTENDED_EXPIRATION_SECONDS is how long such a token is really valid (one year). */
export const EXTENDED_EXPIRATION_SECONDS = 365 * 24 * 3600;

/** serviceAccountUsername is `system:serviceaccount:<namespace>:<name>`. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** serviceAccountGroups are the groups every service account of a namespace is in. */
export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`];
}

/** splitUsername parses `system:serviceaccount:<ns>:<name>`; undefined when it is not one. */
export function splitUsername(username: string): { namespace: string; name: string } | undefined {
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  return m ? { namespace: m[1]!, name: m[2]! } : undefined;
}
