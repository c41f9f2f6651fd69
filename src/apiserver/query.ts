/** Query parameters decoded as kube-apiserver's parameter codec does. */
import { errors } from '../api/errors.js';
import { parseGoBool } from '../lib/go_bool.js';

/** queryBool parses a boolean query parameter as Go's strconv.ParseBool (absent or empty: false). */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null || v === '') return false;
  const b = parseGoBool(v);
  if (b === undefined) throw errors.badRequest(`invalid value for ${name}: ${v}`);
  return b;
}

/** queryInt parses an integer query parameter (absent or empty: undefined). */
export function queryInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw errors.badRequest(`invalid value for ${name}: ${v}`);
  return n;
}
