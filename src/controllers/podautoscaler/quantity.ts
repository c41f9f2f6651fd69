/** Milli-unit arithmetic of resource.Quantity and Go duration/time parsing, as the HPA needs them. */
import { formatQuantity, parseQuantity } from '../../api/resources/core/quantity.js';

/** milliValue is Quantity.MilliValue(): the value in thousandths, rounded up; undefined when it does not parse. */
export function milliValue(q: unknown): number | undefined {
  if (typeof q !== 'string' && typeof q !== 'number') return undefined;
  const v = parseQuantity(q);
  if (v === undefined) return undefined;
  const milli = v * 1000;
  // Float noise (0.1 * 1000 = 100.00000000000001) must not round up.
  const near = Math.round(milli);
  return Math.abs(milli - near) < 1e-6 ? near : Math.ceil(milli);
}

/** milliQuantity is resource.NewMilliQuantity(v, DecimalSI).String(): `250m`, `2`, `104857600`. */
export function milliQuantity(milli: number): string {
  if (milli % 1000 === 0) return formatQuantity(milli / 1000);
  return `${milli}m`;
}

/** parseGoDuration reads a Go duration string (`10s`, `1m0s`, `1.5s`, `250ms`) into milliseconds; 0 when it does not parse. */
export function parseGoDuration(s: unknown): number {
  if (typeof s !== 'string' || s === '') return 0;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000001 };
  let total = 0;
  const re = /([0-9]*\.?[0-9]+)(h|ms|m|s|us|µs|ns)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * (units[m[2]!] ?? 0);
    consumed = re.lastIndex;
  }
  return consumed === s.length ? total : 0;
}

/** parseTime reads an RFC 3339 timestamp into milliseconds; undefined when absent or malformed. */
export function parseTime(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** rfc3339 prints a metav1.Time: whole seconds, UTC. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
