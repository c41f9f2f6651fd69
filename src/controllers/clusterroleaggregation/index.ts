import { labelSelectorFromObject } from '../../api/labels/selector.js';
import { arr, field } from '../../api/object.js';
import { isObject, type KubeObject } from '../../api/types.js';
import { runController } from '../../client/controller.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter } from '../context.js';

/** CLUSTER_ROLES is the rbac.authorization.k8s.io/v1 ClusterRole collection. */
export const CLUSTER_ROLES = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' };

const byName = (a: KubeObject, b: KubeObject): number => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0);

/** canonical renders a JSON value with sorted keys, so equal rules written in another field order compare equal. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

const sameJson = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/**
 * aggregatedRules is the rule list of an aggregating ClusterRole: for each of its selectors in
 * order, the rules of the other ClusterRoles it matches, roles by name, each rule once.
 */
export function aggregatedRules(role: KubeObject, all: KubeObject[]): unknown[] {
  const rules: unknown[] = [];
  for (const sel of arr(role, 'aggregationRule', 'clusterRoleSelectors')) {
    const selector = labelSelectorFromObject(sel);
    const matched = all.filter((r) => r.metadata.name !== role.metadata.name && selector.matches(r.metadata.labels)).sort(byName);
    for (const r of matched) {
      for (const rule of arr(r, 'rules')) if (!rules.some((have) => sameJson(have, rule))) rules.push(rule);
    }
  }
  return rules;
}

/**
 * startClusterRoleAggregationController keeps the rules of every ClusterRole with an
 * aggregationRule equal to the union of the rules of the ClusterRoles its selectors match, as
 * kube-controller-manager's clusterrole-aggregation controller does (admin, edit and view are
 * built this way). Any ClusterRole change requeues every aggregating role: the set is small and
 * aggregations chain (view into edit into admin).
 */
export const startClusterRoleAggregationController: ControllerStarter = async (ctx) => {
  const roles = ctx.informers.forResource(CLUSTER_ROLES);
  const queue = new WorkQueue(ctx.clock);
  const enqueueAggregating = (): void => {
    for (const r of roles.list()) if (isObject(field(r, 'aggregationRule'))) queue.add(r.metadata.name ?? '');
  };
  roles.addHandlers({ onAdd: enqueueAggregating, onUpdate: enqueueAggregating, onDelete: enqueueAggregating });
  await ctx.informers.waitForSync();
  const client = ctx.client.resource(CLUSTER_ROLES);
  const sync = async (name: string): Promise<void> => {
    const role = roles.get(name);
    if (!role || !isObject(field(role, 'aggregationRule'))) return;
    let rules: unknown[];
    try {
      rules = aggregatedRules(role, roles.list());
    } catch (e) {
      ctx.logger.warn('ClusterRole has an invalid aggregation selector', { clusterRole: name, err: (e as Error).message });
      return;
    }
    // No rules and a null rule list are the same to upstream's semantic equality.
    if (sameJson(rules, arr(role, 'rules'))) return;
    try {
      await client.update({ ...structuredClone(role), rules } as KubeObject);
    } catch (e) {
      // 409: the cache was behind; the update event syncs again. 404: the role is gone.
      const code = (e as { code?: number }).code;
      if (code === 409) return queue.addRateLimited(name);
      if (code !== 404) throw e;
    }
  };
  await runController({ name: 'clusterrole-aggregation', queue, sync, workers: 1, logger: ctx.logger, signal: ctx.signal });
};
