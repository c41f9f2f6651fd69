import { errors } from '../../api/errors.js';
import { fieldErr, type FieldError } from '../../api/field_errors.js';
import { isObject, type KubeObject } from '../../api/types.js';
import type { Clock } from '../../lib/clock.js';
import type { AdmissionPlugin } from '../admission.js';
import { rfc3339 } from '../object_meta.js';
import type { Scope } from '../scope.js';
import { EXTENDED_EXPIRATION_SECONDS, WARN_ONLY_EXPIRATION_SECONDS, type BoundObject } from './claims.js';
import type { BoundTokenSpec, TokenIssuer } from './issuer.js';
import type { ObjectLookups } from './lookups.js';

/** TokenRequestOptions configure the `serviceaccounts/token` subresource. */
export interface TokenRequestOptions {
  issuer: TokenIssuer;
  /** apiAudiences are the default audiences, and the ones an extended kubelet token may carry. */
  apiAudiences: string[];
  /** lookups must read fresh: a token is never issued for an object storage no longer has. */
  lookups: ObjectLookups;
  clock: Clock;
  /** admission runs on the TokenRequest (subresource `token`), as kube-apiserver's createValidation. */
  admission: () => AdmissionPlugin[];
  /** maxExpirationSeconds caps requests (--service-account-max-token-expiration; 0 = no cap). */
  maxExpirationSeconds?: number;
  /** extendExpiration: a pod token asked for 3607 s lives a year (--service-account-extend-token-expiration, default true). */
  extendExpiration?: boolean;
}

const TOKEN_REQUEST = { group: 'authentication.k8s.io', resource: 'tokenrequests', kind: 'TokenRequest' };
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;
const DEFAULT_EXPIRATION_SECONDS = 3600;

interface BoundRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

function boundRef(v: unknown): BoundRef | undefined {
  if (!isObject(v)) return undefined;
  const s = (k: string): string => (typeof v[k] === 'string' ? (v[k] as string) : '');
  return { apiVersion: s('apiVersion'), kind: s('kind'), name: s('name'), uid: s('uid') };
}

function validate(expirationSeconds: number): FieldError[] {
  const errs: FieldError[] = [];
  if (expirationSeconds < MIN_EXPIRATION_SECONDS) errs.push(fieldErr.invalid('spec.expirationSeconds', expirationSeconds, 'may not specify a duration less than 10 minutes'));
  if (expirationSeconds > MAX_EXPIRATION_SECONDS) errs.push(fieldErr.invalid('spec.expirationSeconds', expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
  return errs;
}

const asBound = (obj: KubeObject): BoundObject => ({ name: obj.metadata.name ?? '', uid: obj.metadata.uid ?? '' });

/** bindTo resolves a boundObjectRef into the claims it adds, with kube-apiserver's refusals. */
async function bindTo(o: TokenRequestOptions, namespace: string, saName: string, ref: BoundRef): Promise<Pick<BoundTokenSpec, 'pod' | 'secret' | 'node'>> {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  const gvk = `${ref.apiVersion.includes('/') ? ref.apiVersion : `/${ref.apiVersion}`}, Kind=${ref.kind}`;
  let found: KubeObject | undefined;
  let bound: Pick<BoundTokenSpec, 'pod' | 'secret' | 'node'>;
  if (group === '' && ref.kind === 'Pod') {
    found = await o.lookups.pod(namespace, ref.name);
    if (!found) throw errors.notFound({ group: '', resource: 'pods' }, ref.name);
    const podSA = (found.spec as { serviceAccountName?: unknown } | undefined)?.serviceAccountName;
    if (podSA !== saName) throw errors.badRequest(`cannot bind token for serviceaccount "${saName}" to pod running with different serviceaccount name.`);
    bound = { pod: asBound(found) };
    const nodeName = (found.spec as { nodeName?: unknown } | undefined)?.nodeName;
    if (typeof nodeName === 'string' && nodeName) {
      // A node that is gone still leaves its name in the claims, as upstream.
      const node = await o.lookups.node(nodeName);
      bound.node = node ? asBound(node) : { name: nodeName };
    }
  } else if (group === '' && ref.kind === 'Node') {
    found = await o.lookups.node(ref.name);
    if (!found) throw errors.notFound({ group: '', resource: 'nodes' }, ref.name);
    bound = { node: asBound(found) };
  } else if (group === '' && ref.kind === 'Secret') {
    found = await o.lookups.secret(namespace, ref.name);
    if (!found) throw errors.notFound({ group: '', resource: 'secrets' }, ref.name);
    bound = { secret: asBound(found) };
  } else {
    throw errors.badRequest(`cannot bind token to object of type ${gvk}`);
  }
  if (ref.uid && ref.uid !== found.metadata.uid) {
    throw errors.conflict({ group: '', resource: ref.kind }, ref.name, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  return bound;
}

/**
 * createToken is POST serviceaccounts/NAME/token: it validates the TokenRequest as kube-apiserver
 * does (names match the URL, 10 minutes to 2^32 seconds, bound Pod/Secret/Node exists with the
 * given uid and, for a pod, runs as this service account), runs admission on it and answers
 * with the request, its defaults filled in and status.token/expirationTimestamp set. Nothing is stored.
 */
export async function createToken(o: TokenRequestOptions, scope: Scope, name: string, body: Record<string, unknown>): Promise<KubeObject> {
  const namespace = scope.namespace;
  if (!namespace) throw errors.badRequest('namespace is required');
  if (body.kind !== undefined && body.kind !== 'TokenRequest') throw errors.badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (TokenRequest)`);
  const meta = isObject(body.metadata) ? body.metadata : {};
  if (typeof meta.name === 'string' && meta.name && meta.name !== name) {
    throw errors.invalid(TOKEN_REQUEST, name, [fieldErr.invalid('metadata.name', meta.name, 'must match the service account name if specified')]);
  }
  if (typeof meta.namespace === 'string' && meta.namespace && meta.namespace !== namespace) {
    throw errors.invalid(TOKEN_REQUEST, name, [fieldErr.invalid('metadata.namespace', meta.namespace, 'must match the service account namespace if specified')]);
  }
  const sa = await o.lookups.serviceAccount(namespace, name);
  if (!sa) throw errors.notFound({ group: '', resource: 'serviceaccounts' }, name);
  const spec = isObject(body.spec) ? body.spec : {};
  const asked = Array.isArray(spec.audiences) ? spec.audiences.filter((a): a is string => typeof a === 'string') : [];
  const audiences = asked.length ? asked : [...o.apiAudiences];
  let expirationSeconds = typeof spec.expirationSeconds === 'number' ? Math.trunc(spec.expirationSeconds) : DEFAULT_EXPIRATION_SECONDS;
  const now = o.clock.now();
  const ref = boundRef(spec.boundObjectRef);
  const request: KubeObject = {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { ...(meta as KubeObject['metadata']), name, namespace, creationTimestamp: rfc3339(now) },
    spec: { audiences, expirationSeconds, boundObjectRef: ref ? Object.fromEntries(Object.entries(ref).filter(([, v]) => v !== '')) : null },
    status: {},
  };
  const errs = validate(expirationSeconds);
  if (errs.length) throw errors.invalid(TOKEN_REQUEST, '', errs);
  for (const p of o.admission()) {
    await p.validate?.({ operation: 'CREATE', type: scope.served.type, subresource: 'token', namespace, name, obj: request, old: undefined, user: scope.user, dryRun: scope.dryRun });
  }
  const bound = ref ? await bindTo(o, namespace, name, ref) : {};
  if (o.maxExpirationSeconds && expirationSeconds > o.maxExpirationSeconds) {
    scope.warnings.push(`requested expiration of ${expirationSeconds} seconds shortened to ${o.maxExpirationSeconds} seconds`);
    expirationSeconds = o.maxExpirationSeconds;
    (request.spec as { expirationSeconds: number }).expirationSeconds = expirationSeconds;
  }
  // The kubelet's default 3607 s is a marker: such a pod token lives a year, and using it after
  // the asked-for hour is only worth a warning (upstream's safe transition to bound tokens).
  const extend = (o.extendExpiration ?? true) && !!bound.pod && expirationSeconds === WARN_ONLY_EXPIRATION_SECONDS && audiences.every((a) => o.apiAudiences.includes(a));
  const { token } = await o.issuer.bound({
    namespace,
    serviceAccount: asBound(sa),
    audiences,
    expirationSeconds: extend ? EXTENDED_EXPIRATION_SECONDS : expirationSeconds,
    ...(extend ? { warnAfterSeconds: expirationSeconds } : {}),
    ...bound,
  });
  request.status = { token, expirationTimestamp: rfc3339(now + expirationSeconds * 1000) };
  return request;
}
