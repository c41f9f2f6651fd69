/** Label selectors: the string syntax of `?labelSelector=` and meta/v1 LabelSelector objects. */
import { errors, isStatusError } from '../errors.js';
import { isObject } from '../types.js';
import { parseRequirements } from './parse.js';
import { newRequirement, aggregateMessage, requirementMatches, requirementString, type Operator, type Requirement } from './requirement.js';

export { validateLabels, validateLabelSelector } from './validation.js';
export type { Requirement, Operator } from './requirement.js';

/** Selector decides whether a label set matches; `empty` is true only for the select-everything selector. */
export interface Selector {
  matches(labels: Record<string, string> | undefined): boolean;
  empty: boolean;
  /** toString prints the canonical form (`a=b,c in (d,e)`), "" for everything and nothing. */
  toString(): string;
  requirements: Requirement[];
}

function sortByKey(reqs: Requirement[]): Requirement[] {
  return [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** selectorOf wraps requirements (all must hold) as a Selector. */
export function selectorOf(reqs: Requirement[]): Selector {
  const sorted = sortByKey(reqs);
  return {
    requirements: sorted,
    empty: sorted.length === 0,
    matches: (labels) => sorted.every((r) => requirementMatches(r, labels)),
    toString: () => sorted.map(requirementString).join(','),
  };
}

/** everything returns the selector that matches every label set. */
export function everything(): Selector {
  return selectorOf([]);
}

/** nothing returns the selector that matches no label set (a null LabelSelector). */
export function nothing(): Selector {
  return { requirements: [], empty: false, matches: () => false, toString: () => '' };
}

/** parseSelector parses label selector syntax (`a=b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma-joined); throws a 400 StatusError on bad syntax. */
export function parseSelector(s: string): Selector {
  return selectorOf(parseRequirements(s));
}

const expressionOps: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

function mustRequirement(key: string, op: Operator, values: string[]): Requirement {
  const r = newRequirement(key, op, values);
  if (Array.isArray(r)) throw errors.badRequest(aggregateMessage(r));
  return r;
}

/**
 * labelSelectorFromObject converts a meta/v1 LabelSelector as metav1.LabelSelectorAsSelector does:
 * null/undefined selects nothing, `{}` everything; throws a 400 StatusError for invalid content.
 */
export function labelSelectorFromObject(sel: unknown): Selector {
  if (sel === null || sel === undefined) return nothing();
  if (!isObject(sel)) throw errors.badRequest('label selector must be an object');
  const reqs: Requirement[] = [];
  const ml = sel['matchLabels'];
  if (isObject(ml)) {
    for (const [k, v] of Object.entries(ml)) reqs.push(mustRequirement(k, '=', [typeof v === 'string' ? v : String(v)]));
  }
  const exprs = sel['matchExpressions'];
  for (const e of Array.isArray(exprs) ? exprs : []) {
    const opName = isObject(e) ? e['operator'] : undefined;
    const op = typeof opName === 'string' ? expressionOps[opName] : undefined;
    if (!isObject(e) || !op) throw errors.badRequest(`${JSON.stringify(opName ?? '')} is not a valid label selector operator`);
    const values = Array.isArray(e['values']) ? e['values'].map(String) : [];
    reqs.push(mustRequirement(typeof e['key'] === 'string' ? e['key'] : '', op, values));
  }
  return selectorOf(reqs);
}

/** labelSelectorToString prints a LabelSelector as metav1.FormatLabelSelector: `<none>` when empty or null, `<error>` when invalid. */
export function labelSelectorToString(sel: unknown): string {
  try {
    const s = labelSelectorFromObject(sel).toString();
    return s === '' ? '<none>' : s;
  } catch (e) {
    if (isStatusError(e)) return '<error>';
    throw e;
  }
}
