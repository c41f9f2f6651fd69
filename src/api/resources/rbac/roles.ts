/** Role and ClusterRole (rbac.authorization.k8s.io/v1): validation and printing as kube-apiserver v1.32 does them. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { labelSelectorFromObject, validateLabelSelector } from '../../labels/selector.js';
import { arr, field } from '../../object.js';
import type { ResourceType, TableColumn } from '../../resource.js';
import type { KubeObject } from '../../types.js';
import { column, NAME_COLUMN } from '../apps/workload_columns.js';

/** RBAC_GROUP is the API group of the RBAC objects (and of User and Group subjects). */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

const nonEmpty = (rule: unknown, key: string): boolean => arr(rule, key).length > 0;

/**
 * validatePolicyRule is ValidatePolicyRule: verbs are required; a non-resource rule names only
 * URLs (and only in a ClusterRole); a resource rule needs API groups and resources.
 */
export function validatePolicyRule(rule: unknown, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!nonEmpty(rule, 'verbs')) errs.push(fieldErr.required(`${path}.verbs`, 'verbs must contain at least one value'));
  if (nonEmpty(rule, 'nonResourceURLs')) {
    const urls = arr(rule, 'nonResourceURLs');
    if (namespaced) errs.push(fieldErr.invalid(`${path}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (nonEmpty(rule, 'apiGroups') || nonEmpty(rule, 'resources') || nonEmpty(rule, 'resourceNames')) {
      errs.push(fieldErr.invalid(`${path}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (!nonEmpty(rule, 'apiGroups')) errs.push(fieldErr.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (!nonEmpty(rule, 'resources')) errs.push(fieldErr.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

function validateRules(obj: KubeObject, namespaced: boolean): FieldError[] {
  return arr(obj, 'rules').flatMap((r, i) => validatePolicyRule(r, namespaced, `rules[${i}]`));
}

/** validateAggregationRule checks a ClusterRole's aggregationRule: at least one valid selector. */
function validateAggregationRule(rule: unknown): FieldError[] {
  if (rule === undefined || rule === null) return [];
  const selectors = arr(rule, 'clusterRoleSelectors');
  if (selectors.length === 0) {
    return [fieldErr.required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil')];
  }
  return selectors.flatMap((sel, i) => {
    const path = `aggregationRule.clusterRoleSelectors[${i}]`;
    const errs = validateLabelSelector(sel, path);
    if (errs.length === 0) {
      try {
        labelSelectorFromObject(sel);
      } catch {
        errs.push(fieldErr.invalid(path, sel, 'invalid label selector.'));
      }
    }
    return errs;
  });
}

/** CREATED_AT_COLUMN is the second column of Roles and ClusterRoles (printRole prints RFC 3339). */
const CREATED_AT_COLUMN: TableColumn = column(
  'Created At',
  'date',
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
);

const roleRow = (obj: KubeObject): unknown[] => [obj.metadata.name ?? '', obj.metadata.creationTimestamp ?? '0001-01-01T00:00:00Z'];

/** roleType builds the Role or ClusterRole resource: no status, no defaults, names are path segments. */
function roleType(kind: 'Role' | 'ClusterRole', namespaced: boolean, validate: ResourceType['validate']): ResourceType {
  return {
    group: RBAC_GROUP,
    version: 'v1',
    kind,
    plural: `${kind.toLowerCase()}s`,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: [],
    categories: [],
    nameRule: 'path',
    hasStatus: false,
    tracksGeneration: false,
    subresources: [],
    defaults: () => undefined,
    validate,
    columns: [NAME_COLUMN, CREATED_AT_COLUMN],
    row: roleRow,
  };
}

/** roles is the namespaced rbac.authorization.k8s.io/v1 Role resource. */
export const roles: ResourceType = roleType('Role', true, (obj) => validateRules(obj, true));

/** clusterroles is the cluster-scoped rbac.authorization.k8s.io/v1 ClusterRole resource. */
export const clusterroles: ResourceType = roleType('ClusterRole', false, (obj) => [
  ...validateRules(obj, false),
  ...validateAggregationRule(field(obj, 'aggregationRule')),
]);
