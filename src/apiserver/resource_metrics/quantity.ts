// Quantities as metrics-server prints them: CPU from nanocores in canonical DecimalSI ("123456n",
// "2m", "1"), memory from bytes in canonical BinarySI ("12345Ki", "1Mi", "12345678").

const DECIMAL_SUFFIXES: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/**
 * decimalQuantity formats the integer value × 10^exponent (exponent a multiple of 3 in -9…18) the
 * way apimachinery canonicalises a DecimalSI Quantity: the largest suffix with an integer mantissa.
 */
export function decimalQuantity(value: number, exponent: number): string {
  let v = Math.trunc(value);
  if (v === 0) return '0';
  let e = exponent;
  while (e < 18 && v % 1000 === 0) {
    v /= 1000;
    e += 3;
  }
  return `${v}${DECIMAL_SUFFIXES[e] ?? `e${e}`}`;
}

/** cpuQuantity formats a CPU rate in nanocores (metrics-server's scale -9 DecimalSI). */
export function cpuQuantity(nanocores: number): string {
  return decimalQuantity(nanocores, -9);
}

/**
 * memoryQuantity formats bytes as a canonical BinarySI Quantity: below 1024 in decimal form (as
 * apimachinery does), else the largest power of 1024 that divides it, else the plain integer.
 */
export function memoryQuantity(bytes: number): string {
  let v = Math.trunc(bytes);
  if (v > -1024 && v < 1024) return decimalQuantity(v, 0);
  let i = 0;
  while (i < BINARY_SUFFIXES.length - 1 && v % 1024 === 0) {
    v /= 1024;
    i++;
  }
  return `${v}${BINARY_SUFFIXES[i]!}`;
}

const PARSE_SCALE: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** parseQuantity reads a Quantity string back into a number (NaN when it is not one); for Table cells. */
export function parseQuantity(q: string): number {
  const m = /^([+-]?\d+(?:\.\d+)?)(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(q);
  if (!m) return NaN;
  return Number(m[1]) * PARSE_SCALE[m[2] ?? '']!;
}

/**
 * goDuration formats milliseconds as Go's time.Duration String() does (what metav1.Duration
 * serialises): "15s", "15.004s", "1m5s", "1h0m0s", "0s".
 */
export function goDuration(ms: number): string {
  const total = Math.round(ms);
  if (total === 0) return '0s';
  const sign = total < 0 ? '-' : '';
  let rest = Math.abs(total);
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const frac = rest - s * 1000;
  const secs = frac ? `${s}.${String(frac).padStart(3, '0').replace(/0+$/, '')}s` : `${s}s`;
  if (h) return `${sign}${h}h${m}m${secs}`;
  if (m) return `${sign}${m}m${secs}`;
  return `${sign}${secs}`;
}
