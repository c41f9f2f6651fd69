import type { RequestInfo } from './request_info.js';
import type { UserInfo } from './auth.js';

/** LONG_RUNNING_SUBRESOURCES hold a connection for as long as the client wants (kube-apiserver's long-running check). */
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'log', 'portforward', 'proxy']);

/** isLongRunning tells requests that stay open by design: watches, exec, attach, logs, port-forward, proxy. */
export function isLongRunning(info: RequestInfo): boolean {
  return info.verb === 'watch' || info.verb === 'proxy' || LONG_RUNNING_SUBRESOURCES.has(info.subresource);
}

/** InflightLimits are kube-apiserver's --max-requests-inflight and --max-mutating-requests-inflight (0: no limit). */
export interface InflightLimits {
  readOnly: number;
  mutating: number;
}

const MUTATING = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/**
 * InflightLimiter counts the requests being served, read-only and mutating apart, as
 * kube-apiserver's max-in-flight filter does: past a limit a request is refused (429, Retry-After)
 * instead of queueing behind the flood. Long-running requests are not counted, and neither are
 * those of `system:masters`, so the admin's kubectl still gets through. For fairness between users
 * (what kube-apiserver's priority and fairness gives each flow), a user past a quarter of a limit's
 * seats is refused once half of them are taken: a single client's flood leaves half the seats to the
 * others.
 */
export class InflightLimiter {
  private readOnly = 0;
  private mutating = 0;
  private readonly perUser = new Map<string, number>();

  constructor(private readonly limits: InflightLimits) {}

  /** acquire takes a slot for the request: a release function, `null` when full, or `undefined` when the request is not counted. */
  acquire(info: RequestInfo, user: UserInfo): (() => void) | null | undefined {
    if (isLongRunning(info) || user.groups.includes('system:masters')) return undefined;
    const mutating = MUTATING.has(info.verb);
    const limit = mutating ? this.limits.mutating : this.limits.readOnly;
    if (limit <= 0) return undefined;
    if ((mutating ? this.mutating : this.readOnly) >= limit) return null;
    const key = `${mutating ? 'w' : 'r'}/${user.name}`;
    const held = this.perUser.get(key) ?? 0;
    const inUse = mutating ? this.mutating : this.readOnly;
    // Past its quarter, a user gets only seats of the spare half: others always keep half the limit.
    if (held >= Math.max(1, Math.ceil(limit / 4)) && inUse >= Math.floor(limit / 2)) return null;
    this.perUser.set(key, held + 1);
    if (mutating) this.mutating++;
    else this.readOnly++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (mutating) this.mutating--;
      else this.readOnly--;
      const n = (this.perUser.get(key) ?? 1) - 1;
      if (n > 0) this.perUser.set(key, n);
      else this.perUser.delete(key);
    };
  }
}
