/**
 * Leader election on coordination.k8s.io/v1 Leases, as client-go's leaderelection package does it:
 * candidates try to take or renew one Lease every retry period; a holder's claim is honoured until
 * leaseDurationSeconds pass without the record changing (measured on the local clock, so clock
 * skew between candidates does not matter); a leader that cannot renew within renewDeadline gives
 * up; stopping releases the Lease by clearing holderIdentity.
 */
import { num, str } from '../api/object.js';
import { isObject, type KubeObject } from '../api/types.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import { sleep } from '../lib/sleep.js';
import { R, type Client } from './client.js';

/** LeaderElectionOptions configure runLeaderElection (durations as upstream: 15 s, 10 s, 2 s). */
export interface LeaderElectionOptions {
  client: Client;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  /** onStartedLeading runs when leadership is won; its signal aborts when leadership ends. */
  onStartedLeading(signal: AbortSignal): void;
  /** onStoppedLeading runs once when a won leadership ends (lost, or released on stop). */
  onStoppedLeading(): void;
}

/** microTime formats ms as a metav1.MicroTime string: `2024-01-02T03:04:05.123456Z`. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}

/** Elector holds what one candidate has observed of the Lease. */
class Elector {
  private observedSpec = '';
  private observedAt = 0;
  private observedLease: KubeObject | undefined;

  constructor(private readonly o: LeaderElectionOptions) {}

  private spec(holder: string, prev: Record<string, unknown> | undefined, now: number, durationSec: number): Record<string, unknown> {
    const mine = prev?.holderIdentity === holder && holder !== '';
    const transitions = num(prev, 'leaseTransitions') ?? 0;
    return {
      holderIdentity: holder,
      leaseDurationSeconds: durationSec,
      acquireTime: mine ? prev?.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: mine || prev === undefined ? transitions : transitions + 1,
    };
  }

  /** tryAcquireOrRenew takes or renews the Lease; false when someone else validly holds it or a write failed. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const leases = this.o.client.resource(R.leases);
    const now = this.o.clock.now();
    const duration = Math.max(1, Math.round(this.o.leaseDurationMs / 1000));
    let lease: KubeObject;
    try {
      lease = await leases.get(this.o.namespace, this.o.name);
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
      const created = await leases.create(this.o.namespace, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.o.name, namespace: this.o.namespace },
        spec: this.spec(this.o.identity, undefined, now, duration),
      });
      this.observe(created, now);
      return true;
    }
    const prev = isObject(lease.spec) ? lease.spec : {};
    const seen = JSON.stringify(prev);
    if (seen !== this.observedSpec) {
      this.observedSpec = seen;
      this.observedAt = now;
    }
    const holder = str(prev, 'holderIdentity') ?? '';
    const held = this.observedAt + (num(prev, 'leaseDurationSeconds') ?? 0) * 1000 > now;
    if (holder !== '' && holder !== this.o.identity && held) return false;
    const updated = await leases.update({ ...lease, spec: this.spec(this.o.identity, prev, now, duration) });
    this.observe(updated, now);
    return true;
  }

  private observe(lease: KubeObject, now: number): void {
    this.observedLease = lease;
    this.observedSpec = JSON.stringify(lease.spec ?? {});
    this.observedAt = now;
  }

  /** release clears holderIdentity if this candidate still holds the Lease it last wrote. */
  async release(): Promise<void> {
    const lease = this.observedLease;
    if (!lease || str(lease, 'spec', 'holderIdentity') !== this.o.identity) return;
    const now = this.o.clock.now();
    const prev = isObject(lease.spec) ? lease.spec : {};
    const spec = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: num(prev, 'leaseTransitions') ?? 0 };
    await this.o.client.resource(R.leases).update({ ...lease, spec });
  }
}

async function attempt(e: Elector, logger: Logger): Promise<boolean> {
  try {
    return await e.tryAcquireOrRenew();
  } catch (err) {
    logger.debug('lease acquire/renew failed', { err: (err as Error).message });
    return false;
  }
}

/**
 * runLeaderElection campaigns for the Lease until it is won, calls onStartedLeading, renews every
 * retry period, and returns when leadership ends (renewal failing for renewDeadline, or the signal
 * aborting, which releases the Lease) or when the signal aborts before winning. To campaign again
 * after losing, call it again.
 */
export async function runLeaderElection(o: LeaderElectionOptions): Promise<void> {
  const e = new Elector(o);
  const logger = o.logger.child('leader-election');
  while (!o.signal.aborted && !(await attempt(e, logger))) await sleep(o.clock, o.retryPeriodMs, o.signal);
  if (o.signal.aborted) return;
  logger.info('became leader', { lease: `${o.namespace}/${o.name}`, identity: o.identity });
  const leading = new AbortController();
  o.onStartedLeading(leading.signal);
  let lastRenew = o.clock.now();
  while (!o.signal.aborted) {
    await sleep(o.clock, o.retryPeriodMs, o.signal);
    if (o.signal.aborted) break;
    if (await attempt(e, logger)) lastRenew = o.clock.now();
    else if (o.clock.now() - lastRenew >= o.renewDeadlineMs) {
      logger.warn('failed to renew lease; leadership lost', { lease: `${o.namespace}/${o.name}` });
      break;
    }
  }
  leading.abort();
  if (o.signal.aborted) await e.release().catch((err: Error) => logger.debug('lease release failed', { err: err.message }));
  o.onStoppedLeading();
}
