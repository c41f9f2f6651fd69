/** Pod predicates the ReplicaSet controller shares with upstream's controller_utils and podutil. */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { arr, field, str } from '../../api/object.js';
import { isObject } from '../../api/types.js';

/** controllerRefOf returns the owner reference marked controller: true, if any. */
export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

/** isPodActive is controller.IsPodActive: not Succeeded, not Failed, not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = str(pod, 'status', 'phase');
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** podReadyCondition returns the pod's Ready condition object, if any. */
export function podReadyCondition(pod: KubeObject): Record<string, unknown> | undefined {
  const c = arr(pod, 'status', 'conditions').find((x) => isObject(x) && x.type === 'Ready');
  return isObject(c) ? c : undefined;
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
  if (!isObject(templateLabels)) return true;
  const labels = pod.metadata.labels ?? {};
  return Object.entries(templateLabels).every(([k, v]) => labels[k] === v);
}

/** templateLabels reads spec.template.metadata.labels of a workload. */
export function templateLabels(obj: KubeObject): unknown {
  return field(obj, 'spec', 'template', 'metadata', 'labels');
}
