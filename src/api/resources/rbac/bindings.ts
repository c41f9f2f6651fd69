/** RoleBinding and ClusterRoleBinding (rbac.authorization.k8s.io/v1): defaults, validation and printing as kube-apiserver v1.32 does them. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, ensureObj, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import { isObject, type KubeObject } from '../../types.js';
import { isDNS1123Subdomain, isValidPathSegmentName } from '../../validation/names.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../apps/workload_columns.js';
import { RBAC_GROUP } from './roles.js';

const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'];

/** defaultBinding is SetDefaults_RoleBinding / _ClusterRoleBinding and SetDefaults_Subject: API groups filled in. */
export function defaultBinding(obj: KubeObject): void {
  const ref = ensureObj(obj, 'roleRef');
  if (!ref.apiGroup) ref.apiGroup = RBAC_GROUP;
  // A ServiceAccount's group is "" (which Go's omitempty leaves out), so only Users and Groups change.
  for (const s of arr(obj, 'subjects')) {
    if (isObject(s) && !s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = RBAC_GROUP;
  }
}

/** validateSubject is ValidateRoleBindingSubject; a ClusterRoleBinding's ServiceAccount needs a namespace. */
export function validateSubject(subject: unknown, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(subject, 'name') ?? '';
  const apiGroup = str(subject, 'apiGroup') ?? '';
  const kind = str(subject, 'kind') ?? '';
  if (name === '') errs.push(fieldErr.required(`${path}.name`));
  switch (kind) {
    case 'ServiceAccount':
      if (name !== '') for (const m of isDNS1123Subdomain(name)) errs.push(fieldErr.invalid(`${path}.name`, name, m));
      if (apiGroup !== '') errs.push(fieldErr.notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && !str(subject, 'namespace')) errs.push(fieldErr.required(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) errs.push(fieldErr.notSupported(`${path}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(fieldErr.notSupported(`${path}.kind`, kind, SUBJECT_KINDS));
  }
  return errs;
}

/** roleRefOf returns a binding's roleRef in field order (apiGroup, kind, name), as error messages show it. */
function roleRefOf(obj: KubeObject): { apiGroup: string; kind: string; name: string } {
  return { apiGroup: str(obj, 'roleRef', 'apiGroup') ?? '', kind: str(obj, 'roleRef', 'kind') ?? '', name: str(obj, 'roleRef', 'name') ?? '' };
}

/**
 * validateBinding is ValidateRoleBinding / ValidateClusterRoleBinding (+Update): the roleRef points
 * at a Role or ClusterRole of the RBAC group and never changes; every subject is valid.
 */
export function validateBinding(obj: KubeObject, namespaced: boolean, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const ref = roleRefOf(obj);
  if (ref.apiGroup !== RBAC_GROUP) errs.push(fieldErr.notSupported('roleRef.apiGroup', ref.apiGroup, [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind)) errs.push(fieldErr.notSupported('roleRef.kind', ref.kind, kinds));
  if (ref.name === '') errs.push(fieldErr.required('roleRef.name'));
  else for (const m of isValidPathSegmentName(ref.name)) errs.push(fieldErr.invalid('roleRef.name', ref.name, m));
  arr(obj, 'subjects').forEach((s, i) => errs.push(...validateSubject(s, namespaced, `subjects[${i}]`)));
  if (old) {
    const was = roleRefOf(old);
    if (was.apiGroup !== ref.apiGroup || was.kind !== ref.kind || was.name !== ref.name) {
      errs.push(fieldErr.invalid('roleRef', ref, 'cannot change roleRef'));
    }
  }
  return errs;
}

/** subjectCells returns the USERS, GROUPS and SERVICEACCOUNTS cells (rbac.SubjectsStrings, joined by ", "). */
export function subjectCells(obj: KubeObject): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of arr(obj, 'subjects')) {
    const name = str(s, 'name') ?? '';
    const kind = str(s, 'kind');
    if (kind === 'ServiceAccount') sas.push(`${str(s, 'namespace') ?? ''}/${name}`);
    else if (kind === 'User') users.push(name);
    else if (kind === 'Group') groups.push(name);
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingType(kind: 'RoleBinding' | 'ClusterRoleBinding', namespaced: boolean): ResourceType {
  const what = namespaced ? 'roleBinding' : 'clusterRoleBinding';
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
    defaults: defaultBinding,
    validate: (obj, old) => validateBinding(obj, namespaced, old),
    columns: [
      NAME_COLUMN,
      column('Role', 'string', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.'),
      AGE_COLUMN,
      column('Users', 'string', `Users in the ${what}`, 1),
      column('Groups', 'string', `Groups in the ${what}`, 1),
      column('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, 1),
    ],
    row: (obj, now) => {
      const ref = roleRefOf(obj);
      return [obj.metadata.name ?? '', `${ref.kind}/${ref.name}`, age(obj.metadata.creationTimestamp, now), ...subjectCells(obj)];
    },
  };
}

/** rolebindings is the namespaced rbac.authorization.k8s.io/v1 RoleBinding resource. */
export const rolebindings: ResourceType = bindingType('RoleBinding', true);

/** clusterrolebindings is the cluster-scoped rbac.authorization.k8s.io/v1 ClusterRoleBinding resource. */
export const clusterrolebindings: ResourceType = bindingType('ClusterRoleBinding', false);
