/** StorageClass (storage.k8s.io/v1, cluster-scoped, `sc`): defaults, validation and printing as kube-apiserver v1.32 does them. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { field, objAt, setDefault, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import type { KubeObject } from '../../types.js';
import { isQualifiedName } from '../../validation/names.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../apps/workload_columns.js';
import { semanticEqual, validateImmutable } from '../apps/workload_validation.js';

/** DEFAULT_STORAGE_CLASS_ANNOTATION marks the class claims without storageClassName get (value "true"). */
export const DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
/** BETA_DEFAULT_STORAGE_CLASS_ANNOTATION is the older spelling upstream still honours. */
export const BETA_DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

/** isDefaultStorageClass is IsDefaultAnnotation: either annotation set to "true". */
export function isDefaultStorageClass(obj: KubeObject): boolean {
  const a = obj.metadata.annotations ?? {};
  return a[DEFAULT_STORAGE_CLASS_ANNOTATION] === 'true' || a[BETA_DEFAULT_STORAGE_CLASS_ANNOTATION] === 'true';
}

/**
 * defaultStorageClassOf is GetDefaultClass: among the default classes, the newest (ties broken by
 * name), or undefined when none is marked default.
 */
export function defaultStorageClassOf(classes: KubeObject[]): KubeObject | undefined {
  const defaults = classes.filter(isDefaultStorageClass);
  defaults.sort((a, b) => {
    const ta = a.metadata.creationTimestamp ?? '';
    const tb = b.metadata.creationTimestamp ?? '';
    if (ta !== tb) return ta > tb ? -1 : 1;
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
  });
  return defaults[0];
}

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const MAX_PARAMETERS_SIZE = 256 * 1024;

function validateProvisioner(obj: KubeObject): FieldError[] {
  const p = str(obj, 'provisioner') ?? '';
  if (p === '') return [fieldErr.required('provisioner', '')];
  return isQualifiedName(p.toLowerCase()).map((m) => fieldErr.invalid('provisioner', p.toLowerCase(), m));
}

function validateParameters(obj: KubeObject): FieldError[] {
  const params = objAt(obj, 'parameters') ?? {};
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(params)) {
    if (k === '') errs.push(fieldErr.invalid('parameters', params, 'field can not be empty.'));
    size += k.length + String(v).length;
  }
  if (size > MAX_PARAMETERS_SIZE) errs.push(fieldErr.tooLong('parameters', '', MAX_PARAMETERS_SIZE));
  return errs;
}

/** validateStorageClass is ValidateStorageClass / ValidateStorageClassUpdate. */
export function validateStorageClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = [...validateProvisioner(obj), ...validateParameters(obj)];
  const policy = field(obj, 'reclaimPolicy');
  if (typeof policy !== 'string' || !RECLAIM_POLICIES.includes(policy)) errs.push(fieldErr.notSupported('reclaimPolicy', policy, RECLAIM_POLICIES));
  const mode = field(obj, 'volumeBindingMode');
  if (mode === undefined || mode === null) errs.push(fieldErr.required('volumeBindingMode'));
  else if (typeof mode !== 'string' || !BINDING_MODES.includes(mode)) errs.push(fieldErr.notSupported('volumeBindingMode', mode, BINDING_MODES));
  if (!old) return errs;
  if (!semanticEqual(field(obj, 'parameters') ?? {}, field(old, 'parameters') ?? {})) errs.push(fieldErr.forbidden('parameters', 'updates to parameters are forbidden.'));
  if (field(obj, 'provisioner') !== field(old, 'provisioner')) errs.push(fieldErr.forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (policy !== field(old, 'reclaimPolicy')) errs.push(fieldErr.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  errs.push(...validateImmutable(mode, field(old, 'volumeBindingMode'), 'volumeBindingMode'));
  return errs;
}

/** storageclasses is the cluster-scoped storage.k8s.io/v1 StorageClass resource. */
export const storageclasses: ResourceType = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  singular: 'storageclass',
  namespaced: false,
  shortNames: ['sc'],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: false,
  subresources: [],
  defaults(obj) {
    setDefault(obj, 'reclaimPolicy', 'Delete');
    setDefault(obj, 'volumeBindingMode', 'Immediate');
  },
  validate: validateStorageClass,
  columns: [
    NAME_COLUMN,
    column('Provisioner', 'string', 'Indicates the type of the provisioner.'),
    column('ReclaimPolicy', 'string', 'Indicates the type of the reclaim policy.'),
    column('VolumeBindingMode', 'string', 'Indicates the mode of the volume binding.'),
    column('AllowVolumeExpansion', 'string', 'Indicates whether the storage class allow volume expand.'),
    AGE_COLUMN,
  ],
  row: (obj, now) => [
    `${obj.metadata.name ?? ''}${isDefaultStorageClass(obj) ? ' (default)' : ''}`,
    str(obj, 'provisioner') ?? '',
    str(obj, 'reclaimPolicy') ?? 'Delete',
    str(obj, 'volumeBindingMode') ?? 'Immediate',
    String(obj.allowVolumeExpansion === true),
    age(obj.metadata.creationTimestamp, now),
  ],
};
