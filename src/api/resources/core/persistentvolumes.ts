import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, ensureObj, field, objAt, setDefault, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { isObject, type KubeObject } from '../../types.js';
import { validatePVSource, validatePVSourceUpdate } from './core_pv_sources.js';
import { AGE_COLUMN, NAME_COLUMN, ageOf, column, nameOf } from './core_table.js';
import {
  accessModesString,
  quantityCell,
  storageClassOf,
  validateAccessModes,
  validateClassName,
  validatePositiveQuantity,
  validateVolumeMode,
} from './core_volumes.js';

const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];

function validateCapacity(obj: KubeObject): FieldError[] {
  const capacity = objAt(obj, 'spec', 'capacity') ?? {};
  const keys = Object.keys(capacity);
  const errs: FieldError[] = [];
  if (keys.length === 0) errs.push(fieldErr.required('spec.capacity'));
  if (!('storage' in capacity) || keys.length > 1) errs.push(fieldErr.notSupported('spec.capacity', capacity, ['storage']));
  for (const k of keys) errs.push(...validatePositiveQuantity(capacity[k], `spec.capacity[${k}]`));
  return errs;
}

function validatePV(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const modes = arr(obj, 'spec', 'accessModes');
  if (modes.length === 0) errs.push(fieldErr.required('spec.accessModes'));
  errs.push(...validateAccessModes(modes, 'spec.accessModes'));
  errs.push(...validateCapacity(obj));
  errs.push(...validateClassName(obj));
  errs.push(...validateVolumeMode(obj));
  const policy = str(obj, 'spec', 'persistentVolumeReclaimPolicy') ?? '';
  if (policy && !RECLAIM_POLICIES.includes(policy)) errs.push(fieldErr.notSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
  errs.push(...validatePVSource(obj));
  return errs;
}

/**
 * persistentvolumes (v1 PersistentVolume, `pv`, cluster-scoped): reclaim policy defaults to Retain,
 * volumeMode to Filesystem, status.phase to Pending; exactly one volume source; capacity is `storage` only.
 */
export const persistentvolumes: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  namespaced: false,
  shortNames: ['pv'],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: true,
  tracksGeneration: false,
  subresources: [],
  defaults(obj) {
    const spec = ensureObj(obj, 'spec');
    setDefault(spec, 'persistentVolumeReclaimPolicy', 'Retain');
    setDefault(spec, 'volumeMode', 'Filesystem');
    if (isObject(spec.hostPath)) setDefault(spec.hostPath, 'type', '');
    setDefault(ensureObj(obj, 'status'), 'phase', 'Pending');
  },
  validate(obj, old) {
    const errs = validatePV(obj);
    if (old) errs.push(...validatePVSourceUpdate(obj, old));
    if (old && field(old, 'spec', 'volumeMode') !== field(obj, 'spec', 'volumeMode')) {
      errs.push(fieldErr.invalid('spec.volumeMode', field(obj, 'spec', 'volumeMode') ?? '', 'field is immutable'));
    }
    return errs;
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending' };
  },
  columns: [
    NAME_COLUMN,
    column('Capacity', 'capacity is the description of the persistent volume\'s resources and capacity.'),
    column('Access Modes', 'accessModes contains all ways the volume can be mounted.'),
    column('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    column('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    column('StorageClass', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'VolumeAttributesClass of the pv'),
    column('Reason', 'reason is a brief CamelCase string that describes any failure.'),
    AGE_COLUMN,
    column('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', { priority: 1 }),
  ],
  row(obj, now) {
    const claimRef = objAt(obj, 'spec', 'claimRef');
    const claim = claimRef ? `${str(claimRef, 'namespace') ?? ''}/${str(claimRef, 'name') ?? ''}` : '';
    const phase = obj.metadata.deletionTimestamp ? 'Terminating' : (str(obj, 'status', 'phase') ?? '');
    return [
      nameOf(obj),
      quantityCell(field(obj, 'spec', 'capacity', 'storage')),
      accessModesString(arr(obj, 'spec', 'accessModes')),
      str(obj, 'spec', 'persistentVolumeReclaimPolicy') ?? '',
      phase,
      claim,
      storageClassOf(obj),
      str(obj, 'spec', 'volumeAttributesClassName') ?? '<unset>',
      str(obj, 'status', 'reason') ?? '',
      ageOf(obj, now),
      str(obj, 'spec', 'volumeMode') ?? '<unset>',
    ];
  },
};
