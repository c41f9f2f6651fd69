/** Pod predicates the ReplicaSet controller shares with upstream's controller_utils and podutil. */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { field, str } from '../../api/object.js';
import { isObject } from '../../api/types.js';

/** controllerRefOf returns the owner reference marked controller: true, if any. */
export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

/** isPodActive is controller.IsPodActive: not Succeeded, not Failed, not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = isObject(pod.status) ? pod.status.phase : undefined;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** podReadyCondition returns the pod's Ready condition object, if any. */
export function podReadyCondition(pod: KubeObject): Record<string, unknown> | undefined {
  // A plain loop: this runs for every pod of a ReplicaSet on every sync.
  const status = pod.status;
  const conditions = isObject(status) ? status.conditions : undefined;
  if (!Array.isArray(conditions)) return undefined;
  for (const c of conditions) if (isObject(c) && c.type === 'Ready') return c;
  return undefined;
}

/** isPodReady is podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** podReadyTime returns when the pod became Ready (ms), undefined if not ready or unknown. */
export function podReadyTime(pod: KubeObject): number | undefined {
  const c = podReadyCondition(pod);
  if (c?.status !== 'True') return undefined;
  const t = typeof c.lastTransitionTime === 'string' ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

/**
 * isPodAvailable is podutil.IsPodAvailable: ready, and ready for longer than minReadySeconds
 * (strictly: readySince + minReadySeconds must be before now).
 */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadyTime(pod);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

/** podKey is the expectations key of a pod: `namespace/name`. */
export function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** nodeNameOf returns spec.nodeName or "". */
export function nodeNameOf(pod: KubeObject): string {
  return str(pod, 'spec', 'nodeName') ?? '';
}

/** labelsMatchTemplate tells whether every template label is on the pod (fullyLabeledReplicas). */
export function labelsMatchTemplate(pod: KubeObject, templateLabels: unknown): boolean {
  return templateLabelsMatcher(templateLabels)(pod);
}

/** templateLabelsMatcher is labelsMatchTemplate with the template read once, for counting many pods. */
export function templateLabelsMatcher(templateLabels: unknown): (pod: KubeObject) => boolean {
  if (!isObject(templateLabels)) return () => true;
  const want = Object.entries(templateLabels);
  return (pod) => {
    const labels = pod.metadata.labels ?? {};
    for (const [k, v] of want) if (labels[k] !== v) return false;
    return true;
  };
}

/** templateLabels reads spec.template.metadata.labels of a workload. */
export function templateLabels(obj: KubeObject): unknown {
  return field(obj, 'spec', 'template', 'metadata', 'labels');
}
