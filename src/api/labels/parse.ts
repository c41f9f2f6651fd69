import { errors } from '../errors.js';
import { aggregateMessage, newRequirement, type Operator, type Requirement } from './requirement.js';

/** Token kinds of the label selector language (apimachinery's labels lexer). */
type TokenKind = 'ident' | 'in' | 'notin' | '!' | '!=' | '(' | ')' | ',' | '=' | '==' | '>' | '<' | 'eof';

interface Token {
  kind: TokenKind;
  text: string;
}

const specials = new Set(['!', '=', '(', ')', ',', '>', '<']);
const twoCharSymbols = new Set(['!=', '==']);

/** lex splits a selector string into tokens; identifiers run until whitespace or a special symbol. */
function lex(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (specials.has(c)) {
      const two = s.slice(i, i + 2);
      const sym = twoCharSymbols.has(two) ? two : c;
      tokens.push({ kind: sym as TokenKind, text: sym });
      i += sym.length;
    } else {
      let j = i;
      while (j < s.length && !/\s/.test(s[j] ?? '') && !specials.has(s[j] ?? '')) j++;
      const text = s.slice(i, j);
      tokens.push({ kind: text === 'in' || text === 'notin' ? text : 'ident', text });
      i = j;
    }
  }
  tokens.push({ kind: 'eof', text: '' });
  return tokens;
}

/** Parser walks the token list; every syntax error throws a 400 BadRequest. */
class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[Math.min(this.pos, this.tokens.length - 1)] ?? { kind: 'eof', text: '' };
  }
  private next(): Token {
    const t = this.peek();
    this.pos++;
    return t;
  }
  /** fail throws; errors inside one requirement carry upstream's "unable to parse requirement: " prefix. */
  private fail(t: Token, expected: string, inRequirement = true): never {
    const prefix = inRequirement ? 'unable to parse requirement: ' : '';
    throw errors.badRequest(`${prefix}found '${t.text}', expected: ${expected}`);
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return reqs;
      if (t.kind !== 'ident' && t.kind !== '!') this.fail(t, "!, identifier, or 'end of string'", false);
      reqs.push(this.requirement());
      const after = this.next();
      if (after.kind === 'eof') return reqs;
      if (after.kind !== ',') this.fail(after, "',' or 'end of string'", false);
      const follow = this.peek();
      if (follow.kind !== 'ident' && follow.kind !== '!') this.fail(follow, "identifier after ','", false);
    }
  }

  private requirement(): Requirement {
    let negated = false;
    if (this.peek().kind === '!') {
      this.next();
      negated = true;
    }
    const keyTok = this.next();
    if (keyTok.kind !== 'ident') this.fail(keyTok, 'identifier');
    const key = keyTok.text;
    const follow = this.peek().kind;
    if (negated) return this.build(key, '!', []);
    if (follow === 'eof' || follow === ',') return this.build(key, 'exists', []);
    const opTok = this.next();
    const ops: Partial<Record<TokenKind, Operator>> = { '=': '=', '==': '==', '!=': '!=', in: 'in', notin: 'notin', '>': 'gt', '<': 'lt' };
    const op = ops[opTok.kind];
    if (!op) this.fail(opTok, '[!= < = == > in notin]');
    const values = op === 'in' || op === 'notin' ? this.valueSet() : [this.exactValue()];
    return this.build(key, op, values);
  }

  private exactValue(): string {
    const t = this.peek();
    if (t.kind === 'eof' || t.kind === ',') return '';
    this.next();
    if (t.kind !== 'ident' && t.kind !== 'in' && t.kind !== 'notin') this.fail(t, 'identifier');
    return t.text;
  }

  /** valueSet reads `(a,b,…)`; an empty slot (`()` or a trailing comma) is the empty value, as upstream. */
  private valueSet(): string[] {
    const open = this.next();
    if (open.kind !== '(') this.fail(open, "'('");
    const values: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind === ')') {
        values.push('');
        return values;
      }
      if (t.kind !== 'ident' && t.kind !== 'in' && t.kind !== 'notin') this.fail(t, "',', or identifier");
      values.push(t.text);
      const sep = this.next();
      if (sep.kind === ')') return values;
      if (sep.kind !== ',') this.fail(sep, "',' or ')'");
      if (this.peek().kind === ')') {
        this.next();
        values.push('');
        return values;
      }
    }
  }

  private build(key: string, op: Operator, values: string[]): Requirement {
    const r = newRequirement(key, op, values);
    if (Array.isArray(r)) throw errors.badRequest(`unable to parse requirement: ${aggregateMessage(r)}`);
    return r;
  }
}

/** parseRequirements parses a label selector string into requirements sorted by key; throws 400 on bad syntax. */
export function parseRequirements(s: string): Requirement[] {
  const reqs = new Parser(lex(s)).parse();
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
