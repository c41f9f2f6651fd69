/** NodeSelectorRequirement matching (core/v1 NodeSelectorTerm matchExpressions and matchFields), shared by the controllers that place pods. */
import { arr, str } from '../object.js';

/** nodeSelectorRequirementMatches: one requirement (In, NotIn, Exists, DoesNotExist, Gt, Lt) holds for a label or field value (undefined: absent). */
export function nodeSelectorRequirementMatches(req: unknown, value: string | undefined): boolean {
  const values = arr(req, 'values').map(String);
  switch (str(req, 'operator')) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const n = Number(value);
      const bound = Number(values[0]);
      if (value === undefined || !Number.isInteger(n) || !Number.isInteger(bound)) return false;
      return str(req, 'operator') === 'Gt' ? n > bound : n < bound;
    }
    default:
      return false;
  }
}
