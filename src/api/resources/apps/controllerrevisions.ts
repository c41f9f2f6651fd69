/** ControllerRevision (apps/v1): immutable snapshots of workload templates (DaemonSet, StatefulSet history). */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { parseApiVersion, type KubeObject } from '../../types.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import { validateNonNegative } from './int_or_percent.js';
import { AGE_COLUMN, column, NAME_COLUMN } from './workload_columns.js';
import { validateImmutable } from './workload_validation.js';

/** validateControllerRevision is ValidateControllerRevisionCreate / Update: data required, revision ≥ 0, data immutable. */
export function validateControllerRevision(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.data === undefined || obj.data === null) errs.push(fieldErr.required('data', 'data is mandatory'));
  errs.push(...validateNonNegative(obj.revision, 'revision'));
  if (old) errs.push(...validateImmutable(obj.data, old.data, 'data'));
  return errs;
}

/** controllerCell renders the controlling owner as `kind.group/name` in lower case, "<none>" without one. */
export function controllerCell(obj: KubeObject): string {
  const ref = (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref) return '<none>';
  const { group } = parseApiVersion(ref.apiVersion);
  const groupKind = group ? `${ref.kind}.${group}` : ref.kind;
  return groupKind ? `${groupKind.toLowerCase()}/${ref.name}` : ref.name;
}

/** controllerrevisions is the apps/v1 ControllerRevision resource. */
export const controllerrevisions: ResourceType = {
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  shortNames: [],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: false,
  subresources: [],
  defaults: () => undefined,
  validate: validateControllerRevision,
  columns: [
    NAME_COLUMN,
    column('Controller', 'string', 'Controller of the object'),
    column('Revision', 'string', 'Revision indicates the revision of the state represented by Data.'),
    AGE_COLUMN,
  ],
  row: (obj, now) => [obj.metadata.name ?? '', controllerCell(obj), typeof obj.revision === 'number' ? obj.revision : 0, age(obj.metadata.creationTimestamp, now)],
};
