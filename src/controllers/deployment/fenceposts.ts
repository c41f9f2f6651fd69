/** Spec readers and the rolling-update fenceposts (maxSurge / maxUnavailable) of a Deployment. */
import type { KubeObject } from '../../api/types.js';
import { field, num, str } from '../../api/object.js';

/** MAX_INT32 marks "unset" for revisionHistoryLimit and progressDeadlineSeconds upstream. */
export const MAX_INT32 = 2_147_483_647;

/** replicasOf reads spec.replicas (defaulted to 1). */
export function replicasOf(obj: KubeObject | undefined): number {
  return obj ? num(obj, 'spec', 'replicas') ?? 1 : 0;
}

/** isRollingUpdate tells whether the strategy is RollingUpdate (the default). */
export function isRollingUpdate(d: KubeObject): boolean {
  return (str(d, 'spec', 'strategy', 'type') ?? 'RollingUpdate') === 'RollingUpdate';
}

/** scaled is intstr.GetScaledValueFromIntOrPercent: an int, or a percentage of total rounded up or down. */
function scaled(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const m = /^(\d+)%$/.exec(v);
    if (m) return roundUp ? Math.ceil((Number(m[1]) * total) / 100) : Math.floor((Number(m[1]) * total) / 100);
    if (/^\d+$/.test(v)) return Number(v);
  }
  return 0;
}

/**
 * resolveFenceposts turns maxSurge (rounded up) and maxUnavailable (rounded down) into counts for
 * `desired` replicas; when both come out 0, maxUnavailable becomes 1 so a rollout can move.
 */
export function resolveFenceposts(maxSurge: unknown, maxUnavailable: unknown, desired: number): { surge: number; unavailable: number } {
  const surge = scaled(maxSurge ?? 0, desired, true);
  const unavailable = scaled(maxUnavailable ?? 0, desired, false);
  return surge === 0 && unavailable === 0 ? { surge, unavailable: 1 } : { surge, unavailable };
}

function fenceposts(d: KubeObject): { surge: number; unavailable: number } {
  return resolveFenceposts(field(d, 'spec', 'strategy', 'rollingUpdate', 'maxSurge'), field(d, 'spec', 'strategy', 'rollingUpdate', 'maxUnavailable'), replicasOf(d));
}

/** maxSurge is how many pods above spec.replicas a rolling update may run (0 for Recreate). */
export function maxSurge(d: KubeObject): number {
  return isRollingUpdate(d) ? fenceposts(d).surge : 0;
}

/** maxUnavailable is how many of spec.replicas may be unavailable (0 for Recreate), capped at replicas. */
export function maxUnavailable(d: KubeObject): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicas);
}

/** progressDeadlineSeconds returns the deadline, or undefined when the deployment has none. */
export function progressDeadlineSeconds(d: KubeObject): number | undefined {
  const v = num(d, 'spec', 'progressDeadlineSeconds');
  return v === undefined || v === MAX_INT32 ? undefined : v;
}

/** revisionHistoryLimit returns the limit, or undefined when unlimited. */
export function revisionHistoryLimit(d: KubeObject): number | undefined {
  const v = num(d, 'spec', 'revisionHistoryLimit');
  return v === undefined || v === MAX_INT32 ? undefined : v;
}
