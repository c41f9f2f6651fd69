/**
 * IntOrString fields that hold a count or a percentage (`maxSurge`, `maxUnavailable`,
 * `minAvailable`), parsed and validated as k8s.io/apimachinery/pkg/util/intstr and
 * pkg/apis/apps/validation do.
 */
import { fieldErr, type FieldError } from '../../field_errors.js';

const percentRe = /^[0-9]+%$/;

/** PERCENT_ERROR is validation.IsValidPercent's message for a malformed percent string. */
export const PERCENT_ERROR =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** isIntOrString tells whether v is an IntOrString value (a number or a string). */
export function isIntOrString(v: unknown): v is number | string {
  return typeof v === 'number' || typeof v === 'string';
}

/** percentValue returns N for a well-formed "N%" string, undefined for anything else. */
export function percentValue(v: unknown): number | undefined {
  if (typeof v !== 'string' || !percentRe.test(v)) return undefined;
  return Number.parseInt(v.slice(0, -1), 10);
}

/** intOrPercentValue returns the number a value stands for: N for "N%", the integer, or 0 (Go's IntValue of a non-numeric string). */
export function intOrPercentValue(v: unknown): number {
  const p = percentValue(v);
  if (p !== undefined) return p;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[+-]?\d+$/.test(v)) return Number.parseInt(v, 10);
  return 0;
}

/** intOrStringToString renders an IntOrString as intstr's String() does ("25%", "1"). */
export function intOrStringToString(v: unknown): string {
  return typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '';
}

/** validateNonNegative is ValidateNonnegativeField: a number below 0 is invalid. Non-numbers pass (the schema types them). */
export function validateNonNegative(v: unknown, path: string): FieldError[] {
  return typeof v === 'number' && v < 0 ? [fieldErr.invalid(path, v, 'must be greater than or equal to 0')] : [];
}

/** validatePositiveIntOrPercent is ValidatePositiveIntOrPercent: a non-negative integer or a "N%" string. */
export function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string') return percentRe.test(v) ? [] : [fieldErr.invalid(path, v, PERCENT_ERROR)];
  if (typeof v === 'number') return validateNonNegative(v, path);
  return [fieldErr.invalid(path, v, "must be an integer or percentage (e.g '5%')")];
}

/** validateNotMoreThan100Percent is IsNotMoreThan100Percent: percentages above 100% are invalid. */
export function validateNotMoreThan100Percent(v: unknown, path: string): FieldError[] {
  const p = percentValue(v);
  return p !== undefined && p > 100 ? [fieldErr.invalid(path, v, 'must not be greater than 100%')] : [];
}

/**
 * scaledValue is intstr.GetScaledValueFromIntOrPercent: an integer as is, a percentage of total
 * rounded up or down. Returns undefined for a malformed value.
 */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number | undefined {
  if (typeof v === 'number') return v;
  const p = percentValue(v);
  if (p === undefined) return undefined;
  const exact = (p * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}
