import { arr, str } from '../../api/object.js';

/** Taint is a node taint (core/v1 Taint without timeAdded). */
export interface Taint {
  key: string;
  value: string;
  effect: string;
}

/** Toleration is a pod toleration; operator "" means Equal. */
export interface Toleration {
  key: string;
  operator: string;
  value: string;
  effect: string;
}

/** taintsOf reads spec.taints of a node. */
export function taintsOf(node: unknown): Taint[] {
  return arr(node, 'spec', 'taints').map((t) => ({ key: str(t, 'key') ?? '', value: str(t, 'value') ?? '', effect: str(t, 'effect') ?? '' }));
}

/** tolerationsOf reads spec.tolerations of a pod. */
export function tolerationsOf(spec: unknown): Toleration[] {
  return arr(spec, 'tolerations').map((t) => ({
    key: str(t, 'key') ?? '',
    operator: str(t, 'operator') ?? 'Equal',
    value: str(t, 'value') ?? '',
    effect: str(t, 'effect') ?? '',
  }));
}

/**
 * toleratesTaint is upstream's Toleration.ToleratesTaint: an empty effect tolerates every effect,
 * an empty key with Exists tolerates every key, Exists ignores the value, Equal compares it.
 */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect !== '' && t.effect !== taint.effect) return false;
  if (t.key !== '' && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.operator === 'Equal' || t.operator === '') && t.value === taint.value;
}

/** tolerates tells whether any toleration tolerates the taint. */
export function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** firstUntolerated returns the first taint with one of the effects that no toleration tolerates. */
export function firstUntolerated(taints: readonly Taint[], tolerations: readonly Toleration[], effects: readonly string[]): Taint | undefined {
  for (const taint of taints) {
    if (effects.includes(taint.effect) && !tolerates(tolerations, taint)) return taint;
  }
  return undefined;
}

/** Well-known taint keys (node lifecycle and cordon). */
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
