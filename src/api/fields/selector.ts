/** Field selectors (`?fieldSelector=`): `a=b`, `a==b`, `a!=b`, comma-joined, with apimachinery's escaping. */
import { errors } from '../errors.js';

/** FieldRequirement is one term; `==` is normalised to `=`. */
export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** FieldSelector matches a flat map of field labels; absent fields read as "" (as upstream's fields.Set). */
export interface FieldSelector {
  matches(fields: Record<string, string>): boolean;
  requirements: FieldRequirement[];
  empty: boolean;
  /** toString prints terms with values escaped, in parse order. */
  toString(): string;
}

/** escapeFieldValue escapes `\`, `,` and `=` with a backslash, as fields.EscapeValue does. */
export function escapeFieldValue(v: string): string {
  return v.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** unescapeFieldValue reverses escapeFieldValue; throws 400 on an invalid escape or an unescaped `,`/`=`. */
export function unescapeFieldValue(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i] ?? '';
    if (c === '\\') {
      const n = v[i + 1];
      if (n !== '\\' && n !== ',' && n !== '=') throw errors.badRequest(`invalid field selector: invalid escape sequence: ${v}`);
      out += n;
      i++;
    } else if (c === ',' || c === '=') {
      throw errors.badRequest(`invalid field selector: unescaped character '${c}' in value: ${v}`);
    } else {
      out += c;
    }
  }
  return out;
}

/** splitTerms splits on commas not preceded by an escaping backslash. */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** splitTerm finds the first operator, trying `!=`, `==`, `=` at each position (upstream's order). */
function splitTerm(term: string): { lhs: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '=']) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** fieldSelectorOf builds a selector from requirements (all must hold). */
export function fieldSelectorOf(requirements: FieldRequirement[]): FieldSelector {
  return {
    requirements,
    empty: requirements.length === 0,
    matches: (fields) => requirements.every((r) => ((fields[r.field] ?? '') === r.value) === (r.op === '=')),
    toString: () => requirements.map((r) => `${r.field}${r.op}${escapeFieldValue(r.value)}`).join(','),
  };
}

/** parseFieldSelector parses a field selector string ("" selects everything); throws a 400 StatusError on bad syntax. */
export function parseFieldSelector(s: string): FieldSelector {
  const reqs: FieldRequirement[] = [];
  if (s.trim() === '') return fieldSelectorOf(reqs);
  for (const term of splitTerms(s)) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (!parts) throw errors.badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
    reqs.push({ field: parts.lhs, op: parts.op === '!=' ? '!=' : '=', value: unescapeFieldValue(parts.rhs) });
  }
  return fieldSelectorOf(reqs);
}
