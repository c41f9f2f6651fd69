import { fieldErrorMessage, fieldErr, type FieldError } from '../field_errors.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';

/** Operator is a label requirement operator, spelled as in apimachinery's selection package. */
export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

/** Requirement is one term of a label selector: a key, an operator and its values. */
export interface Requirement {
  key: string;
  op: Operator;
  /** values is sorted for in/notin (as upstream's string sets are). */
  values: string[];
}

/** newRequirement builds a Requirement, returning the field errors upstream's NewRequirement reports. */
export function newRequirement(key: string, op: Operator, values: string[]): Requirement | FieldError[] {
  const errs: FieldError[] = isQualifiedName(key).map((m) => fieldErr.invalid('key', key, m));
  const vals = op === 'in' || op === 'notin' ? [...new Set(values)].sort() : values;
  switch (op) {
    case 'in':
    case 'notin':
      if (vals.length === 0) errs.push(fieldErr.invalid('values', vals, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) errs.push(fieldErr.invalid('values', vals, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) errs.push(fieldErr.invalid('values', vals, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) errs.push(fieldErr.invalid('values', vals, "for 'Gt', 'Lt' operators, exactly one value is required"));
      else if (!/^[+-]?\d+$/.test(vals[0] ?? '')) {
        errs.push(fieldErr.invalid('values[0]', vals[0], "for 'Gt', 'Lt' operators, the value must be an integer"));
      }
      break;
  }
  vals.forEach((v, i) => {
    for (const m of isValidLabelValue(v)) errs.push(fieldErr.invalid(`values[${i}][${key}]`, v, m));
  });
  return errs.length ? errs : { key, op, values: vals };
}

/** aggregateMessage joins field errors the way apimachinery's utilerrors.Aggregate prints them. */
export function aggregateMessage(errs: FieldError[]): string {
  const msgs = errs.map((e) => fieldErrorMessage(e));
  return msgs.length === 1 ? (msgs[0] ?? '') : `[${msgs.join(', ')}]`;
}

/** requirementMatches tells whether labels satisfy r (absent keys satisfy only !=, notin and !). */
export function requirementMatches(r: Requirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.op) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(value ?? '');
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value ?? '');
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^[+-]?\d+$/.test(value ?? '')) return false;
      const l = Number(value);
      const v = Number(r.values[0]);
      return r.op === 'gt' ? l > v : l < v;
    }
  }
}

/** requirementString prints r as upstream's Requirement.String does (`a=b`, `a in (x,y)`, `!a`, `a>1`). */
export function requirementString(r: Requirement): string {
  switch (r.op) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.op} (${r.values.join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0] ?? ''}`;
    case 'lt':
      return `${r.key}<${r.values[0] ?? ''}`;
    default:
      return `${r.key}${r.op}${r.values[0] ?? ''}`;
  }
}
