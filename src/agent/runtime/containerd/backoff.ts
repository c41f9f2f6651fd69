import type { Clock } from '../../../lib/clock.js';

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

/**
 * Backoff tracks per-key exponential back-off the way the kubelet's flowcontrol.Backoff does:
 * next() starts at initialMs and doubles up to maxMs; an entry not updated for 2×maxMs before the
 * event starts over (a container that ran 10 minutes is "stable" again). Times are ms epoch.
 */
export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly initialMs = 10_000,
    private readonly maxMs = 300_000,
  ) {}

  /** get returns the key's current back-off in ms (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** next moves the key to its next back-off step; eventTime is when the failure happened. */
  next(key: string, eventTime: number): void {
    const e = this.entries.get(key);
    const backoffMs = !e || this.expired(eventTime, e) ? this.initialMs : Math.min(e.backoffMs * 2, this.maxMs);
    this.entries.set(key, { backoffMs, lastUpdate: this.clock.now() });
  }

  /** isInBackOffSince tells whether less than the current back-off has passed since eventTime. */
  isInBackOffSince(key: string, eventTime: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) return false;
    return this.clock.now() - eventTime < e.backoffMs;
  }

  /** isInBackOffSinceUpdate tells whether less than the current back-off has passed since the last next(). */
  isInBackOffSinceUpdate(key: string, eventTime: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) return false;
    return eventTime - e.lastUpdate < e.backoffMs;
  }

  /** lastUpdate returns when next() last ran for the key (undefined when never). */
  lastUpdate(key: string): number | undefined {
    return this.entries.get(key)?.lastUpdate;
  }

  /** reset forgets a key. */
  reset(key: string): void {
    this.entries.delete(key);
  }

  /** resetPrefix forgets every key starting with prefix (a pod's keys when it goes away). */
  resetPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  private expired(eventTime: number, e: Entry): boolean {
    return eventTime - e.lastUpdate > this.maxMs * 2;
  }
}

/** goDuration prints ms the way Go prints a time.Duration: 10s, 1m20s, 5m0s, 1h0m0s, 250ms, 1.5s. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalSec = ms / 1000;
  const h = Math.floor(totalSec / 3600);
  const m = Math.floor((totalSec - h * 3600) / 60);
  const s = Math.round((totalSec - h * 3600 - m * 60) * 1000) / 1000;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
