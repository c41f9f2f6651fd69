import type { UserInfo } from '../auth.js';
import type { RequestInfo } from '../request_info.js';
import type { RuleRequest } from './rules.js';

/** Attributes are what an authorizer decides on (k8s.io/apiserver's authorizer.Attributes). */
export interface Attributes extends RuleRequest {
  user: UserInfo;
  namespace: string;
}

/** Decision is an authorizer's answer; 'none' lets the next authorizer in the chain decide. */
export interface Decision {
  decision: 'allow' | 'deny' | 'none';
  reason: string;
}

/** Authorizer decides one request. */
export interface Authorizer {
  authorize(a: Attributes): Decision;
}

export const ALLOW: Decision = { decision: 'allow', reason: '' };
export const NO_OPINION: Decision = { decision: 'none', reason: '' };

/**
 * attributesOf turns a request into authorizer attributes. A list or watch narrowed to one name by
 * `fieldSelector=metadata.name=x` is authorized for that name, as kube-apiserver does (this is how a
 * node watches just the Secrets of its pods).
 */
export function attributesOf(info: RequestInfo, user: UserInfo, query?: URLSearchParams): Attributes {
  let name = info.name;
  if (!name && (info.verb === 'list' || info.verb === 'watch')) {
    const fs = query?.get('fieldSelector');
    if (fs) name = singleNameSelector(fs) ?? '';
  }
  return {
    user,
    verb: info.verb,
    isResourceRequest: info.isResourceRequest,
    path: info.path,
    apiGroup: info.group,
    resource: info.resource,
    subresource: info.subresource,
    namespace: info.namespace,
    name,
  };
}

/** singleNameSelector returns x for a field selector that is exactly `metadata.name=x` (or `==x`). */
export function singleNameSelector(fs: string): string | undefined {
  const m = /^metadata\.name==?([^,!=]+)$/.exec(fs.trim());
  return m?.[1];
}

/** forbiddenMessage words a refusal as kube-apiserver does. */
export function forbiddenMessage(a: Attributes): string {
  const user = a.user.name;
  if (!a.isResourceRequest) return `User "${user}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  if (a.namespace) return `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" in the namespace "${a.namespace}"`;
  return `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" at the cluster scope`;
}
