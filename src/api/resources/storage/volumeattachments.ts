/** VolumeAttachment (storage.k8s.io/v1, cluster-scoped): the intent to attach a volume to a node, and whether it is. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { field, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import type { KubeObject } from '../../types.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../apps/workload_columns.js';
import { keepStatus, resetStatus, validateImmutable } from '../apps/workload_validation.js';
import { validateCSIDriverName } from './csi_names.js';

/** validateVolumeAttachment is ValidateVolumeAttachment / ValidateVolumeAttachmentUpdate (the spec is fixed). */
export function validateVolumeAttachment(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateCSIDriverName(str(obj, 'spec', 'attacher') ?? '', 'spec.attacher');
  if (!str(obj, 'spec', 'nodeName')) errs.push(fieldErr.required('spec.nodeName', 'node name is required'));
  const pv = field(obj, 'spec', 'source', 'persistentVolumeName');
  const inline = field(obj, 'spec', 'source', 'inlineVolumeSpec');
  if ((pv == null) === (inline == null)) errs.push(fieldErr.required('spec.source', 'must specify exactly one of inlineVolumeSpec and persistentVolumeName'));
  else if (pv === '') errs.push(fieldErr.required('spec.source.persistentVolumeName', 'must specify non empty persistentVolumeName'));
  if (old) errs.push(...validateImmutable(field(obj, 'spec'), field(old, 'spec'), 'spec'));
  return errs;
}

/** volumeattachments is the cluster-scoped storage.k8s.io/v1 VolumeAttachment resource (status written by the attacher). */
export const volumeattachments: ResourceType = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'VolumeAttachment',
  plural: 'volumeattachments',
  singular: 'volumeattachment',
  namespaced: false,
  shortNames: [],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: true,
  tracksGeneration: false,
  subresources: [],
  defaults: () => {},
  validate: validateVolumeAttachment,
  prepareForCreate: resetStatus,
  prepareForUpdate: keepStatus,
  columns: [
    NAME_COLUMN,
    column('Attacher', 'string', 'Attacher indicates the name of the volume driver that MUST handle this request.'),
    column('PV', 'string', 'Name of the persistent volume to attach.'),
    column('Node', 'string', 'The node that the volume should be attached to.'),
    column('Attached', 'boolean', 'Indicates the volume is successfully attached.'),
    AGE_COLUMN,
  ],
  row: (obj, now) => [
    obj.metadata.name ?? '',
    str(obj, 'spec', 'attacher') ?? '',
    str(obj, 'spec', 'source', 'persistentVolumeName') ?? '',
    str(obj, 'spec', 'nodeName') ?? '',
    field(obj, 'status', 'attached') === true,
    age(obj.metadata.creationTimestamp, now),
  ],
};
