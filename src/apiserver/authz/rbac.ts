import type { KubeObject } from '../../api/types.js';
import type { ResourceType } from '../../api/resource.js';
import type { UserInfo } from '../auth.js';
import type { ApiCore } from '../core.js';
import { followCache } from './follow.js';
import { ALLOW, NO_OPINION, type Attributes, type Authorizer, type Decision } from './attributes.js';
import { ruleAllows, type PolicyRule, type RuleRequest } from './rules.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

interface RoleRef {
  kind: string;
  name: string;
}

/** Bindings maps subjects to the roles bound to them in one scope (the cluster or one namespace). */
class Bindings {
  readonly users = new Map<string, RoleRef[]>();
  readonly groups = new Map<string, RoleRef[]>();

  add(binding: KubeObject, namespace: string): void {
    const ref = binding.roleRef as { kind?: string; name?: string } | undefined;
    if (!ref?.name) return;
    const role = { kind: ref.kind ?? 'ClusterRole', name: ref.name };
    for (const s of (binding.subjects as { kind?: string; name?: string; namespace?: string }[] | undefined) ?? []) {
      if (!s?.name) continue;
      if (s.kind === 'User') push(this.users, s.name, role);
      else if (s.kind === 'Group') push(this.groups, s.name, role);
      else if (s.kind === 'ServiceAccount') push(this.users, `system:serviceaccount:${s.namespace || namespace}:${s.name}`, role);
    }
  }

  /** refs returns the roles bound to the user or to any of its groups. */
  refs(user: UserInfo): RoleRef[] {
    const out = [...(this.users.get(user.name) ?? [])];
    for (const g of user.groups) out.push(...(this.groups.get(g) ?? []));
    return out;
  }
}

function push<V>(m: Map<string, V[]>, k: string, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function rulesOf(role: KubeObject): PolicyRule[] {
  return ((role.rules as PolicyRule[] | undefined) ?? []).filter((r) => r && Array.isArray(r.verbs));
}

/**
 * RBACAuthorizer grants what the Roles and ClusterRoles bound to a user allow. It reads the API
 * server's watch caches and keeps subject indexes, rebuilt when a role or binding changes, so a
 * decision costs a few map lookups and the rules of the user's roles.
 */
export class RBACAuthorizer implements Authorizer {
  private clusterRoles = new Map<string, PolicyRule[]>();
  private roles = new Map<string, PolicyRule[]>();
  private clusterBindings = new Bindings();
  private namespaceBindings = new Map<string, Bindings>();
  private readonly dirty = { clusterroles: true, roles: true, clusterrolebindings: true, rolebindings: true };
  private readonly stops: (() => void)[] = [];
  private readonly types: Partial<Record<keyof RBACAuthorizer['dirty'], ResourceType>> = {};

  constructor(private readonly core: ApiCore) {
    for (const plural of Object.keys(this.dirty) as (keyof RBACAuthorizer['dirty'])[]) {
      const t = core.registry.lookup(RBAC_GROUP, 'v1', plural)?.type;
      if (!t) continue;
      this.types[plural] = t;
      const mark = (): void => {
        this.dirty[plural] = true;
      };
      this.stops.push(followCache(core.cache(t), mark, mark));
    }
  }

  /** stop ends following the caches. */
  stop(): void {
    for (const s of this.stops) s();
  }

  private objects(plural: keyof RBACAuthorizer['dirty']): KubeObject[] {
    const t = this.types[plural];
    return t ? this.core.cache(t).list().map((c) => c.obj) : [];
  }

  private refresh(): void {
    const d = this.dirty;
    if (d.clusterroles) {
      d.clusterroles = false;
      this.clusterRoles = new Map(this.objects('clusterroles').map((r) => [r.metadata.name ?? '', rulesOf(r)]));
    }
    if (d.roles) {
      d.roles = false;
      this.roles = new Map(this.objects('roles').map((r) => [`${r.metadata.namespace}/${r.metadata.name}`, rulesOf(r)]));
    }
    if (d.clusterrolebindings) {
      d.clusterrolebindings = false;
      const b = new Bindings();
      for (const o of this.objects('clusterrolebindings')) b.add(o, '');
      this.clusterBindings = b;
    }
    if (d.rolebindings) {
      d.rolebindings = false;
      const m = new Map<string, Bindings>();
      for (const o of this.objects('rolebindings')) {
        const ns = o.metadata.namespace ?? '';
        let b = m.get(ns);
        if (!b) m.set(ns, (b = new Bindings()));
        b.add(o, ns);
      }
      this.namespaceBindings = m;
    }
  }

  private roleRules(ref: RoleRef, namespace: string): PolicyRule[] {
    if (ref.kind === 'Role') return namespace ? this.roles.get(`${namespace}/${ref.name}`) ?? [] : [];
    return this.clusterRoles.get(ref.name) ?? [];
  }

  authorize(a: Attributes): Decision {
    this.refresh();
    const r: RuleRequest = a;
    for (const ref of this.clusterBindings.refs(a.user)) {
      for (const rule of this.roleRules(ref, '')) if (ruleAllows(r, rule)) return ALLOW;
    }
    if (a.namespace) {
      const b = this.namespaceBindings.get(a.namespace);
      if (b) {
        for (const ref of b.refs(a.user)) {
          for (const rule of this.roleRules(ref, a.namespace)) if (ruleAllows(r, rule)) return ALLOW;
        }
      }
    }
    return NO_OPINION;
  }

  /** rulesFor lists the rules a user holds in a namespace ('' for cluster-wide only). */
  rulesFor(user: UserInfo, namespace: string): PolicyRule[] {
    this.refresh();
    const out: PolicyRule[] = [];
    for (const ref of this.clusterBindings.refs(user)) out.push(...this.roleRules(ref, ''));
    if (namespace) for (const ref of this.namespaceBindings.get(namespace)?.refs(user) ?? []) out.push(...this.roleRules(ref, namespace));
    return out;
  }

  /** roleRulesOf returns the rules of a referenced role, or undefined when it does not exist. */
  roleRulesOf(kind: string, name: string, namespace: string): PolicyRule[] | undefined {
    this.refresh();
    if (kind === 'Role') return this.roles.get(`${namespace}/${name}`);
    return this.clusterRoles.get(name);
  }
}
