/** Status codes of the scheduling framework, as upstream's framework.Code. */
export type Code = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error' | 'Skip';

/**
 * Status is what a plugin returns: Success, or a failure code with human-readable reasons
 * ("Insufficient cpu"). Unschedulable failures may be fixed by preemption; unresolvable ones not.
 */
export interface Status {
  readonly code: Code;
  readonly reasons: readonly string[];
}

/** SUCCESS is the shared success Status; plugins return it instead of allocating. */
export const SUCCESS: Status = Object.freeze({ code: 'Success', reasons: Object.freeze([]) as readonly string[] });

/** SKIP is returned by PreFilter/PreScore when the plugin has nothing to do for this pod. */
export const SKIP: Status = Object.freeze({ code: 'Skip', reasons: Object.freeze([]) as readonly string[] });

/** isSuccess tells whether a Status is a success. */
export function isSuccess(s: Status): boolean {
  return s.code === 'Success';
}

/** unschedulable returns a failure that removing pods (preemption) might resolve. */
export function unschedulable(...reasons: string[]): Status {
  return Object.freeze({ code: 'Unschedulable', reasons });
}

/** unresolvable returns a failure that no preemption can resolve (taints, affinity, node name). */
export function unresolvable(...reasons: string[]): Status {
  return Object.freeze({ code: 'UnschedulableAndUnresolvable', reasons });
}

/** asError wraps an unexpected failure as an Error Status. */
export function asError(err: unknown): Status {
  return { code: 'Error', reasons: [err instanceof Error ? err.message : String(err)] };
}
