import { arr, str } from '../../api/object.js';

/** SelectorRequirement is one NodeSelectorRequirement (In, NotIn, Exists, DoesNotExist, Gt, Lt). */
export interface SelectorRequirement {
  key: string;
  operator: string;
  values: string[];
}

/** NodeSelectorTerm is a parsed core/v1 NodeSelectorTerm: all requirements must hold. */
export interface NodeSelectorTerm {
  matchExpressions: SelectorRequirement[];
  matchFields: SelectorRequirement[];
}

function requirements(list: unknown[]): SelectorRequirement[] {
  return list.map((r) => ({ key: str(r, 'key') ?? '', operator: str(r, 'operator') ?? '', values: arr(r, 'values').map(String) }));
}

/** parseTerm reads a NodeSelectorTerm object. */
export function parseTerm(term: unknown): NodeSelectorTerm {
  return { matchExpressions: requirements(arr(term, 'matchExpressions')), matchFields: requirements(arr(term, 'matchFields')) };
}

function integer(s: string): number | undefined {
  return /^-?[0-9]+$/.test(s) ? Number(s) : undefined;
}

function requirementMatches(r: SelectorRequirement, value: string | undefined): boolean {
  switch (r.operator) {
    case 'In':
      return value !== undefined && r.values.includes(value);
    case 'NotIn':
      return value === undefined || !r.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const have = value === undefined ? undefined : integer(value);
      const want = r.values.length === 1 ? integer(r.values[0] ?? '') : undefined;
      if (have === undefined || want === undefined) return false;
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/**
 * termMatches tells whether a node (labels, name) satisfies a term. As upstream, an empty term
 * matches nothing, and matchFields knows only metadata.name.
 */
export function termMatches(term: NodeSelectorTerm, labels: Record<string, string>, nodeName: string): boolean {
  if (term.matchExpressions.length === 0 && term.matchFields.length === 0) return false;
  for (const r of term.matchExpressions) if (!requirementMatches(r, labels[r.key])) return false;
  for (const r of term.matchFields) {
    if (r.key !== 'metadata.name' || !requirementMatches(r, nodeName)) return false;
  }
  return true;
}

/** termsMatch tells whether any term matches (terms are ORed). */
export function termsMatch(terms: readonly NodeSelectorTerm[], labels: Record<string, string>, nodeName: string): boolean {
  for (const t of terms) if (termMatches(t, labels, nodeName)) return true;
  return false;
}
