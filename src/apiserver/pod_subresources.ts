import type { KubeObject } from '../api/types.js';
import { isObject } from '../api/types.js';
import { errors } from '../api/errors.js';
import { arr, str } from '../api/object.js';
import { labelSelectorFromObject } from '../api/labels/selector.js';
import type { ApiCore } from './core.js';
import type { DeleteOptions, Scope } from './scope.js';
import { guaranteedUpdate, qualified } from './writes.js';
import { deleteObject } from './delete.js';
import { rfc3339 } from './object_meta.js';
import { keyPrefix } from './object_store.js';

const success = (code: number): KubeObject => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code } as unknown as KubeObject);

/**
 * bindPod is POST pods/NAME/binding: it assigns the pod to the target node once (409 if it is
 * already bound) and marks it PodScheduled, as kube-apiserver's binding storage does.
 */
export async function bindPod(core: ApiCore, scope: Scope, name: string, body: unknown): Promise<KubeObject> {
  const target = isObject(body) && isObject(body.target) ? body.target : undefined;
  const node = target && typeof target.name === 'string' ? target.name : '';
  if (!node) {
    throw errors.invalid({ group: '', resource: 'bindings', kind: 'Binding' }, name, [{ type: 'FieldValueRequired', field: 'target.name', detail: '' }]);
  }
  const podScope: Scope = { ...scope, subresource: 'binding' };
  await guaranteedUpdate(core, podScope, name, (pod) => {
    const spec = isObject(pod.spec) ? pod.spec : (pod.spec = {});
    if (pod.metadata.deletionTimestamp) throw errors.conflict(qualified(scope.served.type), name, 'pod is being deleted, cannot be assigned to a host');
    if (spec.nodeName) throw errors.conflict(qualified(scope.served.type), name, `pod ${name} is already assigned to node "${String(spec.nodeName)}"`);
    spec.nodeName = node;
    const status = isObject(pod.status) ? pod.status : (pod.status = {});
    const conditions = arr(status, 'conditions').filter((c) => !(isObject(c) && c.type === 'PodScheduled'));
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(core.opts.clock.now()) });
    status.conditions = conditions;
    delete pod.metadata.resourceVersion;
    return pod;
  }, { system: true });
  return success(201);
}

/**
 * takeDisruption spends one of a PodDisruptionBudget's allowed disruptions (compare-and-swap on its
 * status, recording the pod in disruptedPods as kube-apiserver does), or refuses with 429 when none
 * is left, so concurrent evictions cannot both pass a budget of one.
 */
async function takeDisruption(core: ApiCore, scope: Scope, pdbName: string, podName: string): Promise<void> {
  const pdbScope: Scope = { ...scope, served: core.registry.lookup('policy', 'v1', 'poddisruptionbudgets')!, subresource: 'status' };
  await guaranteedUpdate(core, pdbScope, pdbName, (pdb) => {
    const status = isObject(pdb.status) ? pdb.status : (pdb.status = {});
    const allowed = typeof status.disruptionsAllowed === 'number' ? status.disruptionsAllowed : 0;
    if (allowed < 1) throw errors.tooManyRequests(`Cannot evict pod as it would violate the pod's disruption budget.`);
    status.disruptionsAllowed = allowed - 1;
    status.disruptedPods = { ...(isObject(status.disruptedPods) ? status.disruptedPods : {}), [podName]: rfc3339(core.opts.clock.now()) };
    delete pdb.metadata.resourceVersion; // a concurrent write re-reads and re-checks, never overspends
    return pdb;
  });
}

/**
 * evictPod is POST pods/NAME/eviction: the pod is deleted (gracefully) unless a
 * PodDisruptionBudget selecting it allows no disruption (429, as kube-apiserver answers).
 */
export async function evictPod(core: ApiCore, scope: Scope, name: string, body: unknown): Promise<KubeObject> {
  const podType = scope.served.type;
  const pod = (await core.getStored(podType, scope.namespace, name)).obj;
  const phase = str(pod, 'status', 'phase');
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const pdbType = core.registry.lookup('policy', 'v1', 'poddisruptionbudgets')?.type;
  if (pdbType && !terminal && !pod.metadata.deletionTimestamp) {
    const pdbs = (await core.fresh(pdbType)).list(keyPrefix(pdbType, scope.namespace)).map((x) => x.obj);
    for (const pdb of pdbs) {
      let sel;
      try {
        // In policy/v1 an empty selector selects every pod of the namespace.
        sel = labelSelectorFromObject(isObject(pdb.spec) ? pdb.spec.selector ?? {} : {});
      } catch {
        continue;
      }
      if (!sel.matches(pod.metadata.labels ?? {})) continue;
      await takeDisruption(core, scope, pdb.metadata.name ?? '', name);
    }
  }
  const opts: DeleteOptions = {};
  const d = isObject(body) && isObject(body.deleteOptions) ? body.deleteOptions : undefined;
  if (d && typeof d.gracePeriodSeconds === 'number') opts.gracePeriodSeconds = d.gracePeriodSeconds;
  await deleteObject(core, { ...scope, subresource: '' }, name, opts);
  return success(201);
}
