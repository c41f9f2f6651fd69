import { errors } from '../../api/errors.js';
import { fieldErr, type FieldError } from '../../api/field_errors.js';
import { isObject, type KubeObject } from '../../api/types.js';
import type { ResourceType } from '../../api/resource.js';
import type { UserInfo } from '../auth.js';
import type { ApiCore } from '../core.js';
import type { Scope } from '../scope.js';
import { MASTERS, type ClusterAuthorizer } from './index.js';
import { nodeNameOf } from './node.js';
import type { Attributes } from './attributes.js';
import type { PolicyRule } from './rules.js';

type Extended = UserInfo & { uid?: string; extra?: Record<string, string[]> };

function str(o: unknown, k: string): string {
  const v = isObject(o) ? o[k] : undefined;
  return typeof v === 'string' ? v : '';
}

function answer(body: KubeObject, status: Record<string, unknown>): KubeObject {
  const { status: _ignored, ...rest } = body as KubeObject & { status?: unknown };
  return { ...rest, metadata: { ...(isObject(rest.metadata) ? rest.metadata : {}), creationTimestamp: null } as unknown as KubeObject['metadata'], status };
}

function invalid(t: ResourceType, errs: FieldError[]): never {
  throw errors.invalid({ group: t.group, resource: t.plural, kind: t.kind }, '', errs);
}

/** attributesFromSpec reads a SubjectAccessReviewSpec's attributes for user (validated). */
function attributesFromSpec(t: ResourceType, spec: unknown, user: UserInfo, namespace?: string): Attributes {
  const ra = isObject(spec) ? spec.resourceAttributes : undefined;
  const na = isObject(spec) ? spec.nonResourceAttributes : undefined;
  const errs: FieldError[] = [];
  if (isObject(ra) && isObject(na)) errs.push(fieldErr.invalid('spec.nonResourceAttributes', na, 'cannot be specified in combination with resourceAttributes'));
  if (!isObject(ra) && !isObject(na)) errs.push(fieldErr.invalid('spec.resourceAttributes', na ?? null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  if (namespace !== undefined && isObject(ra) && str(ra, 'namespace') !== namespace) {
    errs.push(fieldErr.invalid('spec.resourceAttributes.namespace', str(ra, 'namespace'), 'must match metadata.namespace'));
  }
  if (errs.length) invalid(t, errs);
  if (isObject(na)) {
    return { user, verb: str(na, 'verb'), isResourceRequest: false, path: str(na, 'path'), apiGroup: '', resource: '', subresource: '', namespace: '', name: '' };
  }
  return {
    user,
    verb: str(ra, 'verb'),
    isResourceRequest: true,
    path: '',
    apiGroup: str(ra, 'group'),
    resource: str(ra, 'resource'),
    subresource: str(ra, 'subresource'),
    namespace: str(ra, 'namespace'),
    name: str(ra, 'name'),
  };
}

function decide(authorizer: ClusterAuthorizer, a: Attributes): Record<string, unknown> {
  const d = authorizer.authorize(a);
  const status: Record<string, unknown> = { allowed: d.decision === 'allow' };
  if (d.decision === 'deny' && d.reason) status.reason = d.reason;
  return status;
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** userFromSpec is the subject a SubjectAccessReview asks about. */
function userFromSpec(t: ResourceType, spec: unknown): UserInfo {
  const name = str(spec, 'user');
  const groups = stringList(isObject(spec) ? spec.groups : undefined);
  if (!name && groups.length === 0) invalid(t, [fieldErr.invalid('spec.user', name, 'at least one of user or group must be specified')]);
  return { name, groups };
}

function rulesReview(authorizer: ClusterAuthorizer, user: UserInfo, namespace: string): Record<string, unknown> {
  let rules: PolicyRule[];
  if (user.groups.includes(MASTERS)) rules = [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }];
  else rules = authorizer.rbac.rulesFor(user, namespace);
  const incomplete = nodeNameOf(user) !== undefined;
  if (incomplete) rules = [...rules, ...authorizer.nodeRules];
  const resourceRules: object[] = [];
  const nonResourceRules: object[] = [];
  for (const r of rules) {
    if (r.nonResourceURLs?.length) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
    if (r.resources?.length) {
      const out: Record<string, unknown> = { verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources };
      if (r.resourceNames?.length) out.resourceNames = r.resourceNames;
      resourceRules.push(out);
    }
  }
  return { resourceRules, nonResourceRules, incomplete };
}

/**
 * registerReviews answers the access reviews (`kubectl auth can-i`, `--list`) and SelfSubjectReview
 * (`kubectl auth whoami`) with the server's authorizer.
 */
export function registerReviews(core: ApiCore, authorizer: ClusterAuthorizer): void {
  const type = (group: string, plural: string): ResourceType | undefined => core.registry.lookup(group, 'v1', plural)?.type;
  const add = (group: string, plural: string, f: (t: ResourceType, scope: Scope, body: KubeObject) => KubeObject): void => {
    const t = type(group, plural);
    if (t) core.creators.set(t, (scope, body) => f(t, scope, body));
  };
  const az = 'authorization.k8s.io';
  add(az, 'selfsubjectaccessreviews', (t, scope, body) => answer(body, decide(authorizer, attributesFromSpec(t, body.spec, scope.user))));
  add(az, 'subjectaccessreviews', (t, _scope, body) => answer(body, decide(authorizer, attributesFromSpec(t, body.spec, userFromSpec(t, body.spec)))));
  add(az, 'localsubjectaccessreviews', (t, scope, body) => answer(body, decide(authorizer, attributesFromSpec(t, body.spec, userFromSpec(t, body.spec), scope.namespace))));
  add(az, 'selfsubjectrulesreviews', (_t, scope, body) => answer(body, rulesReview(authorizer, scope.user, str(body.spec, 'namespace'))));
  add('authentication.k8s.io', 'selfsubjectreviews', (_t, scope, body) => {
    const u = scope.user as Extended;
    const userInfo: Record<string, unknown> = { username: u.name, groups: u.groups };
    if (u.uid) userInfo.uid = u.uid;
    if (u.extra && Object.keys(u.extra).length) userInfo.extra = u.extra;
    return answer(body, { userInfo });
  });
}
