/**
 * reconcileBootstrapPolicy: at every server start, the bootstrap RBAC objects are created when
 * missing and given back what they lack (rules, aggregation selectors, labels, annotations,
 * subjects) unless an administrator annotated them `rbac.authorization.kubernetes.io/autoupdate:
 * "false"`, as kube-apiserver's storage_rbac post-start hook does.
 */
import { isStatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { Logger } from '../../lib/log.js';
import type { ApiCore } from '../core.js';
import { deleteObject } from '../delete.js';
import { objectKey } from '../object_store.js';
import type { Scope } from '../scope.js';
import { createObject, guaranteedUpdate } from '../writes.js';
import { clusterRoleBindings, clusterRoles, roleBindings, roles } from './bootstrap_policy.js';
import { isProtected, reconcileBinding, reconcileRole } from './reconcile_objects.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** RECONCILER is the identity of the reconciliation's writes (bootstrap.ts's SYSTEM_USER, which imports this file). */
const RECONCILER = { name: 'system:apiserver', groups: ['system:masters'] };

function rbacScope(core: ApiCore, plural: string, namespace: string): Scope {
  const served = core.registry.lookup(RBAC_GROUP, 'v1', plural);
  if (!served) throw new Error(`resource ${plural}.${RBAC_GROUP}/v1 is not registered`);
  return { served, namespace, subresource: '', user: RECONCILER, dryRun: false, fieldValidation: 'Ignore', warnings: [] };
}

/** Tally counts what one reconciliation did. */
interface Tally {
  created: number;
  updated: number;
  protected: number;
}

type Plan = { action: 'none' } | { action: 'update'; obj: KubeObject } | { action: 'recreate'; obj: KubeObject };

function rolePlan(existing: KubeObject, expected: KubeObject): Plan {
  const obj = reconcileRole(existing, expected);
  return obj ? { action: 'update', obj } : { action: 'none' };
}

async function createQuietly(core: ApiCore, scope: Scope, obj: KubeObject): Promise<void> {
  try {
    await createObject(core, scope, obj as Record<string, unknown>);
  } catch (e) {
    // Another server sharing the datastore created it first.
    if (!isStatusError(e) || e.code !== 409) throw e;
  }
}

/** reconcileOne brings one stored object up to its expected form. */
async function reconcileOne(core: ApiCore, plural: string, expected: KubeObject, plan: (existing: KubeObject, expected: KubeObject) => Plan, tally: Tally, logger: Logger): Promise<void> {
  const namespace = expected.metadata.namespace ?? '';
  const name = expected.metadata.name ?? '';
  const scope = rbacScope(core, plural, namespace);
  const t = scope.served.type;
  const existing = (await core.fresh(t)).get(objectKey(t, namespace, name))?.obj;
  const what = `${plural}.${RBAC_GROUP}/${name}${namespace ? ` in ${namespace}` : ''}`;
  if (!existing) {
    await createQuietly(core, scope, expected);
    tally.created++;
    logger.debug(`created ${what}`);
    return;
  }
  const first = plan(existing, expected);
  if (first.action === 'none') return;
  if (isProtected(existing)) {
    tally.protected++;
    logger.info(`skipped reconcile-protected ${what}`);
    return;
  }
  if (first.action === 'recreate') {
    // A roleRef cannot change: the binding is replaced.
    await deleteObject(core, scope, name, {});
    await createQuietly(core, scope, first.obj);
  } else {
    await guaranteedUpdate(core, scope, name, (cur) => {
      const p = plan(cur, expected);
      return p.action === 'update' ? p.obj : cur;
    });
  }
  tally.updated++;
  logger.info(`reconciled ${what}`);
}

/**
 * reconcileBootstrapPolicy creates the missing bootstrap ClusterRoles, ClusterRoleBindings, Roles
 * and RoleBindings and reconciles the existing ones (union: extra permissions stay). The
 * namespaces kube-system and kube-public must exist.
 */
export async function reconcileBootstrapPolicy(core: ApiCore, logger: Logger): Promise<void> {
  const tally: Tally = { created: 0, updated: 0, protected: 0 };
  const sets: [string, Record<string, unknown>[], (existing: KubeObject, expected: KubeObject) => Plan][] = [
    ['clusterroles', clusterRoles(), rolePlan],
    ['clusterrolebindings', clusterRoleBindings(), reconcileBinding],
    ['roles', roles(), rolePlan],
    ['rolebindings', roleBindings(), reconcileBinding],
  ];
  for (const [plural, objects, plan] of sets) {
    for (const obj of objects) await reconcileOne(core, plural, obj as KubeObject, plan, tally, logger);
  }
  logger.info('bootstrap RBAC policy in place', { ...tally });
}
