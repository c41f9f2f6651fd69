/**
 * Next run times of parsed cron schedules, in a time zone (IANA name via Intl; undefined is the
 * process's local zone, as kube-controller-manager uses its own when spec.timeZone is unset).
 */
import type { CronFields } from '../../api/resources/batch/cron_schedule.js';

/** WallTime is a moment as a clock on the wall of the zone shows it. */
interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  dow: number;
}

const DOW: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const MINUTE = 60_000;

/** Zone reads wall-clock fields of instants in one time zone. */
export class Zone {
  private readonly fmt: Intl.DateTimeFormat;

  /** constructor throws a RangeError for an unknown zone name. */
  constructor(readonly name: string | undefined) {
    const opts: Intl.DateTimeFormatOptions = { hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' };
    if (name !== undefined) opts.timeZone = name;
    this.fmt = new Intl.DateTimeFormat('en-US', opts);
  }

  /** wall returns the zone's wall-clock reading at ms. */
  wall(ms: number): WallTime {
    const parts: Record<string, string> = {};
    for (const p of this.fmt.formatToParts(ms)) parts[p.type] = p.value;
    const n = (k: string): number => Number(parts[k] ?? 0);
    return { year: n('year'), month: n('month'), day: n('day'), hour: n('hour') % 24, minute: n('minute'), second: n('second'), dow: DOW[parts.weekday ?? ''] ?? 0 };
  }

  /** format prints ms as RFC 3339 in this zone ("2024-01-02T03:04:00Z", or with a "+01:00" offset). */
  format(ms: number): string {
    const w = this.wall(ms);
    const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    const offset = Math.round((asUtc - Math.floor(ms / 1000) * 1000) / MINUTE);
    const p2 = (v: number): string => String(v).padStart(2, '0');
    const base = `${String(w.year).padStart(4, '0')}-${p2(w.month)}-${p2(w.day)}T${p2(w.hour)}:${p2(w.minute)}:${p2(w.second)}`;
    if (offset === 0) return `${base}Z`;
    const a = Math.abs(offset);
    return `${base}${offset < 0 ? '-' : '+'}${p2(Math.floor(a / 60))}:${p2(a % 60)}`;
  }
}

/** dayMatches is cron's day rule: if either day field is a star both must match, else either may. */
function dayMatches(f: CronFields, w: WallTime): boolean {
  const dom = f.daysOfMonth.has(w.day);
  const dow = f.daysOfWeek.has(w.dow);
  return f.domStar || f.dowStar ? dom && dow : dom || dow;
}

/**
 * nextAfter returns the first activation strictly after `after` (ms), or undefined when none
 * comes within about five years (such as February 30th). `@every` schedules are `after + every`
 * rounded to whole seconds, at least one second, as robfig/cron's ConstantDelaySchedule.
 */
export function nextAfter(f: CronFields, zone: Zone, after: number): number | undefined {
  if (f.everyMs !== undefined) return after - (after % 1000) + Math.max(1000, f.everyMs - (f.everyMs % 1000));
  let t = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  const limitYear = zone.wall(after).year + 5;
  for (let i = 0; i < 100_000; i++) {
    const w = zone.wall(t);
    if (w.year > limitYear) return undefined;
    const pastMidnight = w.hour * 60 + w.minute;
    if (!f.months.has(w.month) || !dayMatches(f, w)) t += (24 * 60 - pastMidnight) * MINUTE;
    else if (!f.hours.has(w.hour)) t += (60 - w.minute) * MINUTE;
    else if (!f.minutes.has(w.minute)) t += MINUTE;
    else return t;
  }
  return undefined;
}

/**
 * mostRecentBefore finds the latest activation in (earliest, now] and how many were missed
 * (counting stops past 100: upstream only reports "too many"). Past 100 it looks back from now in
 * widening windows instead of walking every missed time.
 */
export function mostRecentBefore(f: CronFields, zone: Zone, earliest: number, now: number): { time: number | undefined; missed: number } {
  let time: number | undefined;
  let missed = 0;
  for (let t = nextAfter(f, zone, earliest); t !== undefined && t <= now; t = nextAfter(f, zone, t)) {
    time = t;
    if (++missed > 100) break;
  }
  if (missed <= 100) return { time, missed };
  for (const window of [3_600_000, 86_400_000, 32 * 86_400_000, 366 * 86_400_000]) {
    let last: number | undefined;
    for (let t = nextAfter(f, zone, Math.max(earliest, now - window)); t !== undefined && t <= now; t = nextAfter(f, zone, t)) last = t;
    if (last !== undefined) return { time: last, missed };
  }
  return { time, missed };
}
