import type { JsonObject } from '../../api/types.js';
import type { CheckResult } from './check.js';
import { BASELINE_CHECKS } from './checks_baseline.js';
import { RESTRICTED_CHECKS } from './checks_restricted.js';

/** CheckCase is one row of a check's table: a pod spec (and annotations) and the verdict wanted. */
export interface CheckCase {
  name: string;
  spec: JsonObject;
  annotations?: Record<string, string>;
  /** minor is the policy version v1.<minor> to evaluate at (default 32). */
  minor?: number;
  /** want is [reason, detail] for a refusal, or undefined for allowed. */
  want?: [string, string];
}

/** runCheck evaluates the revision of check `id` that applies at v1.<minor>. */
export function runCheck(id: string, spec: JsonObject, annotations: Record<string, string> = {}, minor = 32): CheckResult {
  const check = [...BASELINE_CHECKS, ...RESTRICTED_CHECKS].find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id}`);
  const rev = [...check.versions].reverse().find((r) => r.minimumVersion.minor <= minor);
  if (!rev) return { allowed: true };
  return rev.checkPod({ annotations }, spec);
}

/** verdict renders a result as the table's `want`. */
export function verdict(r: CheckResult): [string, string] | undefined {
  return r.allowed ? undefined : [r.forbiddenReason ?? '', r.forbiddenDetail ?? ''];
}

/** c makes a container with a name and an optional securityContext. */
export function c(name: string, securityContext?: JsonObject, extra: JsonObject = {}): JsonObject {
  return securityContext === undefined ? { name, image: 'x', ...extra } : { name, image: 'x', securityContext, ...extra };
}
