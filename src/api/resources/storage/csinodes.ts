/** CSINode (storage.k8s.io/v1, cluster-scoped): one per node, the CSI drivers its kubelet registered. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, field, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import type { KubeObject } from '../../types.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../apps/workload_columns.js';
import { validateCSIDriverName } from './csi_names.js';

/** validateCSINode is ValidateCSINode: spec.drivers is required (may be empty), each driver named once with a nodeID. */
export function validateCSINode(obj: KubeObject): FieldError[] {
  if (!Array.isArray(field(obj, 'spec', 'drivers'))) return [fieldErr.required('spec.drivers')];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  arr(obj, 'spec', 'drivers').forEach((d, i) => {
    const path = `spec.drivers[${i}]`;
    const name = str(d, 'name') ?? '';
    errs.push(...validateCSIDriverName(name, `${path}.name`));
    if (seen.has(name)) errs.push(fieldErr.duplicate(`${path}.name`, name));
    seen.add(name);
    if (!str(d, 'nodeID')) errs.push(fieldErr.required(`${path}.nodeID`, 'nodeID must be provided'));
  });
  return errs;
}

/** csinodes is the cluster-scoped storage.k8s.io/v1 CSINode resource. */
export const csinodes: ResourceType = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'CSINode',
  plural: 'csinodes',
  singular: 'csinode',
  namespaced: false,
  shortNames: [],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: false,
  subresources: [],
  defaults: () => {},
  validate: validateCSINode,
  columns: [NAME_COLUMN, column('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node'), AGE_COLUMN],
  row: (obj, now) => [obj.metadata.name ?? '', arr(obj, 'spec', 'drivers').length, age(obj.metadata.creationTimestamp, now)],
};
