/** Informer event handlers of the Deployment controller: they only enqueue Deployment keys. */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { field, str } from '../../api/object.js';
import { labelSelectorFromObject } from '../../api/labels/selector.js';
import { objectKeyOf, type EventHandlers } from '../../client/informer.js';
import { controllerRefOf, NAMESPACE_INDEX, type DeploymentDeps } from './deps.js';

/** DeploymentHandlers are the handlers for the Deployment, ReplicaSet and Pod informers. */
export interface DeploymentHandlers {
  deployments: EventHandlers;
  replicaSets: EventHandlers;
  pods: EventHandlers;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** deploymentHandlers returns handlers that enqueue the Deployments a change concerns. */
export function deploymentHandlers(d: DeploymentDeps, enqueue: (key: string) => void): DeploymentHandlers {
  const resolve = (namespace: string | undefined, ref: OwnerReference | undefined, kind: string, lister: DeploymentDeps['rsLister']): KubeObject | undefined => {
    if (!ref || ref.kind !== kind || !ref.apiVersion.startsWith('apps/')) return undefined;
    const obj = lister.get(`${namespace ?? ''}/${ref.name}`);
    return obj && obj.metadata.uid === ref.uid ? obj : undefined;
  };
  const owner = (rs: KubeObject): KubeObject | undefined => resolve(rs.metadata.namespace, controllerRefOf(rs), 'Deployment', d.deploymentLister);
  const enqueueMatching = (rs: KubeObject): void => {
    for (const dep of d.deploymentLister.byIndex(NAMESPACE_INDEX, rs.metadata.namespace ?? '')) {
      try {
        const sel = labelSelectorFromObject(field(dep, 'spec', 'selector'));
        if (!sel.empty && sel.matches(rs.metadata.labels)) enqueue(objectKeyOf(dep));
      } catch {
        // An invalid selector selects nothing.
      }
    }
  };
  const rsDeleted = (rs: KubeObject): void => {
    const dep = owner(rs);
    if (dep) enqueue(objectKeyOf(dep));
  };
  const rsAdded = (rs: KubeObject): void => {
    if (rs.metadata.deletionTimestamp) return rsDeleted(rs);
    if (controllerRefOf(rs)) return rsDeleted(rs);
    enqueueMatching(rs);
  };
  const rsUpdated = (old: KubeObject, cur: KubeObject): void => {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const refChanged = !sameJson(controllerRefOf(old), controllerRefOf(cur));
    if (refChanged) rsDeleted(old);
    if (controllerRefOf(cur)) return rsDeleted(cur);
    if (refChanged || !sameJson(old.metadata.labels, cur.metadata.labels)) enqueueMatching(cur);
  };
  // Recreate waits for the old pods to be gone: a pod deletion may be what it waits for.
  const podDeleted = (pod: KubeObject): void => {
    const rs = resolve(pod.metadata.namespace, controllerRefOf(pod), 'ReplicaSet', d.rsLister);
    const dep = rs && owner(rs);
    if (dep && str(dep, 'spec', 'strategy', 'type') === 'Recreate') enqueue(objectKeyOf(dep));
  };
  const enqueueDeployment = (dep: KubeObject): void => enqueue(objectKeyOf(dep));
  return {
    deployments: { onAdd: enqueueDeployment, onUpdate: (_old, cur) => enqueueDeployment(cur), onDelete: enqueueDeployment },
    replicaSets: { onAdd: rsAdded, onUpdate: rsUpdated, onDelete: rsDeleted },
    pods: { onDelete: podDeleted },
  };
}
