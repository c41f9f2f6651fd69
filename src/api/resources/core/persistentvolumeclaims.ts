import { fieldErr, type FieldError } from '../../field_errors.js';
import { validateLabelSelector } from '../../labels/selector.js';
import { arr, deepCopy, ensureObj, field, objAt, setDefault, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { isObject, type KubeObject } from '../../types.js';
import { sameJSON } from './core_syntax.js';
import { AGE_COLUMN, NAME_COLUMN, ageOf, column, nameOf } from './core_table.js';
import {
  accessModesString,
  STORAGE_CLASS_ANNOTATION,
  quantityCell,
  storageClassOf,
  validateAccessModes,
  validateClassName,
  validatePositiveQuantity,
  validateVolumeMode,
} from './core_volumes.js';

function validatePVC(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const modes = arr(obj, 'spec', 'accessModes');
  if (modes.length === 0) errs.push(fieldErr.required('spec.accessModes', 'at least 1 access mode is required'));
  const selector = field(obj, 'spec', 'selector');
  if (selector != null) errs.push(...validateLabelSelector(selector, 'spec.selector'));
  errs.push(...validateAccessModes(modes, 'spec.accessModes'));
  // Upstream spells this path `spec.resources[storage]`.
  const requests = objAt(obj, 'spec', 'resources', 'requests') ?? {};
  if (!('storage' in requests)) errs.push(fieldErr.required('spec.resources[storage]'));
  else errs.push(...validatePositiveQuantity(requests.storage, 'spec.resources[storage]'));
  errs.push(...validateClassName(obj));
  errs.push(...validateVolumeMode(obj));
  return errs;
}

/** validatePVCUpdate: the spec is immutable except resources.requests, and volumeName while the claim is unbound. */
function validatePVCUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = deepCopy(objAt(obj, 'spec') ?? {});
  const oldSpec = deepCopy(objAt(old, 'spec') ?? {});
  const requests = field(spec, 'resources', 'requests');
  if (isObject(oldSpec.resources)) oldSpec.resources.requests = requests;
  else if (requests !== undefined) oldSpec.resources = { ...(isObject(spec.resources) ? spec.resources : {}), requests };
  if (!str(old, 'spec', 'volumeName')) {
    oldSpec.volumeName = spec.volumeName;
    // An unbound claim without a class may get one later (retroactive default StorageClass).
    const classless = oldSpec.storageClassName === undefined || oldSpec.storageClassName === null;
    if (classless && old.metadata.annotations?.[STORAGE_CLASS_ANNOTATION] === undefined) oldSpec.storageClassName = spec.storageClassName;
  }
  if (sameJSON(spec, oldSpec)) return [];
  return [fieldErr.forbidden('spec', 'spec is immutable after creation except resources.requests for bound claims')];
}

/**
 * persistentvolumeclaims (v1 PersistentVolumeClaim, `pvc`): volumeMode defaults to Filesystem and
 * status.phase to Pending; access modes and a positive `storage` request are required.
 */
export const persistentvolumeclaims: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  namespaced: true,
  shortNames: ['pvc'],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: true,
  tracksGeneration: false,
  subresources: [],
  defaults(obj) {
    setDefault(ensureObj(obj, 'spec'), 'volumeMode', 'Filesystem');
    setDefault(ensureObj(obj, 'status'), 'phase', 'Pending');
  },
  validate(obj, old) {
    return old ? [...validatePVCUpdate(obj, old), ...validatePVC(obj)] : validatePVC(obj);
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending' };
  },
  columns: [
    NAME_COLUMN,
    column('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    column('StorageClass', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'),
    AGE_COLUMN,
    column('VolumeMode', 'volumeMode defines what type of volume is required by the claim.', { priority: 1 }),
  ],
  row(obj, now) {
    const phase = obj.metadata.deletionTimestamp ? 'Terminating' : (str(obj, 'status', 'phase') ?? '');
    const volumeName = str(obj, 'spec', 'volumeName') ?? '';
    // Capacity and access modes are those of the bound volume, shown only once bound.
    const capacity = volumeName ? quantityCell(field(obj, 'status', 'capacity', 'storage')) : '';
    const modes = volumeName ? accessModesString(arr(obj, 'status', 'accessModes')) : '';
    return [
      nameOf(obj),
      phase,
      volumeName,
      capacity,
      modes,
      storageClassOf(obj),
      str(obj, 'spec', 'volumeAttributesClassName') ?? '<unset>',
      ageOf(obj, now),
      str(obj, 'spec', 'volumeMode') ?? '<unset>',
    ];
  },
};
