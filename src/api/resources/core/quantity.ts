/** resource.Quantity syntax: a signed decimal number with a binary (Ki…Ei), decimal (n…E) or exponent (e3) suffix. */

/** QUANTITY_PATTERN is the syntax kube-apiserver quotes when a quantity does not parse. */
export const QUANTITY_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

const binarySuffixes: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** parseQuantity returns the numeric value of a Quantity (a JSON number or a string like "100m", "1Gi", "2e3", "1.5"), or undefined when it does not parse. */
export function parseQuantity(s: string | number): number | undefined {
  if (typeof s === 'number') return Number.isFinite(s) ? s : undefined;
  const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/.exec(s.trim() === s ? s : '');
  if (!m) return undefined;
  const base = Number(m[1]);
  const suffix = m[2] ?? '';
  if (Number.isNaN(base)) return undefined;
  const bin = binarySuffixes[suffix];
  if (bin !== undefined) return base * bin;
  const exp = decimalSuffixes[suffix];
  if (exp !== undefined) return scale(base, exp);
  const e = /^[eE]([+-]?[0-9]+)$/.exec(suffix);
  if (e) return scale(base, Number(e[1]));
  return undefined;
}

/** scale multiplies by 10^exp, dividing for negative exponents to keep "100m" exactly 0.1. */
function scale(base: number, exp: number): number {
  return exp >= 0 ? base * 10 ** exp : base / 10 ** -exp;
}

/** isQuantity tells whether v is a valid Quantity (string or number). */
export function isQuantity(v: unknown): boolean {
  return (typeof v === 'string' || typeof v === 'number') && parseQuantity(v) !== undefined;
}

/** formatQuantity prints a value canonically: binary (1Gi, 512Mi) when asked and exact, otherwise decimal (500m, 2, 1500k → "1500k"). */
export function formatQuantity(value: number, binary = false): string {
  if (value === 0) return '0';
  if (binary && Number.isInteger(value)) {
    for (const [suffix, mult] of Object.entries(binarySuffixes).reverse()) {
      if (Math.abs(value) >= mult && value % mult === 0) return `${value / mult}${suffix}`;
    }
    if (Math.abs(value) < 1024) return String(value);
  }
  const units: [string, number][] = [['E', 18], ['P', 15], ['T', 12], ['G', 9], ['M', 6], ['k', 3], ['', 0], ['m', -3], ['u', -6], ['n', -9]];
  for (const [suffix, exp] of units) {
    const scaled = exp >= 0 ? value / 10 ** exp : value * 10 ** -exp;
    if (Math.abs(scaled) >= 1 && Math.abs(scaled - Math.round(scaled)) < 1e-9) return `${Math.round(scaled)}${suffix}`;
  }
  return `${Math.ceil(value * 1e9)}n`;
}
