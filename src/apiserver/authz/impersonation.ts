import type { IncomingHttpHeaders } from 'node:http';
import { errors } from '../../api/errors.js';
import type { UserInfo } from '../auth.js';
import { check, type Authorizer } from './index.js';

const SA_PREFIX = 'system:serviceaccount:';

function values(h: IncomingHttpHeaders, name: string): string[] {
  const v = h[name];
  if (v === undefined) return [];
  // Node joins repeated headers with ", "; kubectl sends one Impersonate-Group header per group.
  return (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
}

/**
 * impersonate applies the Impersonate-User / -Group / -Uid / -Extra-* headers (kubectl --as,
 * --as-group, --as-uid): each one is authorized as the verb `impersonate` on users, groups,
 * serviceaccounts, uids or userextras, as kube-apiserver's impersonation filter does, and the request
 * then runs as the impersonated user. Without those headers the user is returned unchanged.
 */
export function impersonate(headers: IncomingHttpHeaders, user: UserInfo, authorizer: Authorizer): UserInfo {
  const name = values(headers, 'impersonate-user')[0];
  const groups = values(headers, 'impersonate-group');
  const uid = values(headers, 'impersonate-uid')[0];
  const extraKeys = Object.keys(headers).filter((h) => h.startsWith('impersonate-extra-'));
  if (name === undefined) {
    if (groups.length || uid !== undefined || extraKeys.length) throw errors.badRequest(`requested impersonation of groups, uid or extra without impersonating a user`);
    return user;
  }
  const attrs = (resource: string, objName: string, opts: { group?: string; namespace?: string; subresource?: string } = {}): Parameters<typeof check>[1] => ({
    user,
    verb: 'impersonate',
    isResourceRequest: true,
    path: '',
    apiGroup: opts.group ?? '',
    resource,
    subresource: opts.subresource ?? '',
    namespace: opts.namespace ?? '',
    name: objName,
  });
  let saGroups: string[] = [];
  if (name.startsWith(SA_PREFIX)) {
    const [ns = '', sa = ''] = name.slice(SA_PREFIX.length).split(':');
    check(authorizer, attrs('serviceaccounts', sa, { namespace: ns }));
    saGroups = ['system:serviceaccounts', `system:serviceaccounts:${ns}`];
  } else {
    check(authorizer, attrs('users', name));
  }
  for (const g of groups) check(authorizer, attrs('groups', g));
  if (uid !== undefined) check(authorizer, attrs('uids', uid, { group: 'authentication.k8s.io' }));
  const extra: Record<string, string[]> = {};
  for (const h of extraKeys) {
    const key = decodeURIComponent(h.slice('impersonate-extra-'.length));
    for (const v of values(headers, h)) check(authorizer, attrs('userextras', v, { group: 'authentication.k8s.io', subresource: key }));
    extra[key] = values(headers, h);
  }
  const out = groups.length ? [...groups] : saGroups;
  if (name === 'system:anonymous') {
    if (!out.includes('system:unauthenticated')) out.push('system:unauthenticated');
  } else if (!out.includes('system:authenticated')) {
    out.push('system:authenticated');
  }
  const result: UserInfo & { extra?: Record<string, string[]>; uid?: string } = { name, groups: out };
  if (Object.keys(extra).length) result.extra = extra;
  if (uid !== undefined) result.uid = uid;
  return result;
}
