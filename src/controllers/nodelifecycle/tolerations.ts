import type { KubeObject } from '../../api/types.js';
import { isObject } from '../../api/types.js';
import { arr } from '../../api/object.js';
import type { Taint } from './taints.js';

/** Toleration is a pod toleration. */
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** podTolerations returns a pod's spec.tolerations. */
export function podTolerations(pod: KubeObject): Toleration[] {
  return arr(pod, 'spec', 'tolerations').filter(isObject).map((t) => t as Toleration);
}

/** tolerates tells whether a toleration matches a taint (empty effect: all effects; Exists with empty key: all keys). */
export function tolerates(tol: Toleration, taint: Taint): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if ((tol.operator ?? 'Equal') === 'Exists') return !tol.key || tol.key === taint.key;
  return tol.key === taint.key && (tol.value ?? '') === (taint.value ?? '');
}

/**
 * evictionTime returns when a pod must go because of a node's NoExecute taints: the time of the
 * earliest taint's timeAdded (or `since(taint)` when unset) plus the smallest tolerationSeconds
 * among the tolerations matching it; `now`-or-earlier when some taint is not tolerated at all; and
 * undefined when every taint is tolerated forever.
 */
export function evictionTime(pod: KubeObject, taints: Taint[], since: (t: Taint) => number): number | undefined {
  const tolerations = podTolerations(pod);
  let earliest: number | undefined;
  for (const taint of taints) {
    const matching = tolerations.filter((t) => tolerates(t, taint));
    if (matching.length === 0) return -Infinity;
    const seconds = matching.map((t) => t.tolerationSeconds).filter((s): s is number => typeof s === 'number');
    if (seconds.length === 0) continue;
    const start = taint.timeAdded ? Date.parse(taint.timeAdded) : since(taint);
    const at = (Number.isNaN(start) ? since(taint) : start) + Math.max(0, Math.min(...seconds)) * 1000;
    earliest = earliest === undefined ? at : Math.min(earliest, at);
  }
  return earliest;
}
