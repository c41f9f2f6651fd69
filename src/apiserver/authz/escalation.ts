import { StatusError } from '../../api/errors.js';
import { isObject, type KubeObject } from '../../api/types.js';
import type { AdmissionPlugin, AdmissionRequest } from '../admission.js';
import type { UserInfo } from '../auth.js';
import { RBAC_GROUP, type ClusterAuthorizer } from './index.js';
import { formatRule, uncovered, type PolicyRule } from './rules.js';

function rulesOf(obj: KubeObject | undefined): PolicyRule[] {
  return ((obj?.rules as PolicyRule[] | undefined) ?? []).filter((r) => isObject(r) && Array.isArray(r.verbs));
}

/** compact merges rules that differ only in their verbs, as kube-apiserver's escalation errors list them. */
function compact(rules: PolicyRule[]): PolicyRule[] {
  const byTarget = new Map<string, PolicyRule>();
  for (const r of rules) {
    const key = JSON.stringify([r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs]);
    const seen = byTarget.get(key);
    if (seen) for (const v of r.verbs) if (!seen.verbs.includes(v)) seen.verbs.push(v);
    if (!seen) byTarget.set(key, { ...r, verbs: [...r.verbs] });
  }
  return [...byTarget.values()];
}

function goQuoteList(xs: string[]): string {
  return `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
}

function forbidden(req: AdmissionRequest, message: string): StatusError {
  const name = req.obj.metadata.name ?? req.name;
  const what = `${req.type.plural}.${RBAC_GROUP}`;
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${what} "${name}" is forbidden: ${message}`,
    reason: 'Forbidden',
    details: { name, group: RBAC_GROUP, kind: req.type.plural },
    code: 403,
  });
}

/**
 * rbacEscalation refuses Roles, ClusterRoles and bindings that grant more than their author holds,
 * as kube-apiserver's RBAC storage does: a user may write a role only with rules they already have
 * (or the `escalate` verb on it), and bind a role only if they hold its rules (or `bind` on it).
 */
export function rbacEscalation(authorizer: ClusterAuthorizer): AdmissionPlugin {
  const allowed = (user: UserInfo, verb: string, resource: string, namespace: string, name: string): boolean =>
    authorizer.authorize({ user, verb, isResourceRequest: true, path: '', apiGroup: RBAC_GROUP, resource, subresource: '', namespace, name }).decision === 'allow';
  const confirm = (req: AdmissionRequest, wanted: PolicyRule[], namespace: string): void => {
    const missing = uncovered(authorizer.rbac.rulesFor(req.user, namespace), wanted);
    if (missing.length === 0) return;
    const lines = compact(missing).map(formatRule).join('\n');
    throw forbidden(req, `user ${JSON.stringify(req.user.name)} (groups=${goQuoteList(req.user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines}`);
  };
  return {
    name: 'RBACEscalation',
    validate(req) {
      if (req.type.group !== RBAC_GROUP || req.subresource || (req.operation !== 'CREATE' && req.operation !== 'UPDATE')) return;
      const name = req.obj.metadata.name ?? req.name;
      const ns = req.type.namespaced ? req.namespace : '';
      if (req.type.plural === 'roles' || req.type.plural === 'clusterroles') {
        if (allowed(req.user, 'escalate', req.type.plural, ns, name)) return;
        if (req.obj.aggregationRule !== undefined && req.obj.aggregationRule !== null) {
          // Aggregation can pull in any rule: only a full admin may set it.
          if (uncovered(authorizer.rbac.rulesFor(req.user, ''), [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]).length) {
            throw forbidden(req, 'must have cluster-admin privileges to use the aggregationRule');
          }
          return;
        }
        const rules = rulesOf(req.obj);
        if (req.old && JSON.stringify(rules) === JSON.stringify(rulesOf(req.old))) return;
        confirm(req, rules, ns);
        return;
      }
      if (req.type.plural === 'rolebindings' || req.type.plural === 'clusterrolebindings') {
        const ref = req.obj.roleRef as { kind?: string; name?: string } | undefined;
        const kind = ref?.kind ?? '';
        const roleName = ref?.name ?? '';
        const roleResource = kind === 'Role' ? 'roles' : 'clusterroles';
        if (allowed(req.user, 'bind', roleResource, kind === 'Role' ? ns : ns, roleName)) return;
        const rules = authorizer.rbac.roleRulesOf(kind, roleName, ns) ?? [];
        confirm(req, rules, ns);
      }
    },
  };
}
