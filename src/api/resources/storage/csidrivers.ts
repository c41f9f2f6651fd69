/** CSIDriver (storage.k8s.io/v1, cluster-scoped): defaults, validation and printing as kube-apiserver v1.32 does them. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, ensureObj, field, setDefault, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import type { KubeObject } from '../../types.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../apps/workload_columns.js';
import { validateImmutable } from '../apps/workload_validation.js';
import { validateCSIDriverName } from './csi_names.js';

const FS_GROUP_POLICIES = ['File', 'None', 'ReadWriteOnceWithFSType'];
const LIFECYCLE_MODES = ['Ephemeral', 'Persistent'];

/** validateCSIDriver is ValidateCSIDriver / ValidateCSIDriverUpdate (attachRequired, fsGroupPolicy and modes fixed). */
export function validateCSIDriver(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateCSIDriverName(obj.metadata.name ?? '', 'metadata.name');
  if (typeof field(obj, 'spec', 'attachRequired') !== 'boolean') errs.push(fieldErr.required('spec.attachRequired'));
  if (typeof field(obj, 'spec', 'podInfoOnMount') !== 'boolean') errs.push(fieldErr.required('spec.podInfoOnMount'));
  const policy = field(obj, 'spec', 'fsGroupPolicy');
  if (policy !== undefined && !(typeof policy === 'string' && FS_GROUP_POLICIES.includes(policy))) errs.push(fieldErr.notSupported('spec.fsGroupPolicy', policy, FS_GROUP_POLICIES));
  arr(obj, 'spec', 'volumeLifecycleModes').forEach((m, i) => {
    if (typeof m !== 'string' || !LIFECYCLE_MODES.includes(m)) errs.push(fieldErr.notSupported(`spec.volumeLifecycleModes[${i}]`, m, LIFECYCLE_MODES));
  });
  if (old) {
    for (const f of ['attachRequired', 'fsGroupPolicy', 'volumeLifecycleModes']) {
      errs.push(...validateImmutable(field(obj, 'spec', f), field(old, 'spec', f), `spec.${f}`));
    }
  }
  return errs;
}

function listCell(values: unknown[], empty: string): string {
  return values.length === 0 ? empty : values.map(String).join(',');
}

/** csidrivers is the cluster-scoped storage.k8s.io/v1 CSIDriver resource. */
export const csidrivers: ResourceType = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'CSIDriver',
  plural: 'csidrivers',
  singular: 'csidriver',
  namespaced: false,
  shortNames: [],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: false,
  subresources: [],
  defaults(obj) {
    const spec = ensureObj(obj, 'spec');
    setDefault(spec, 'attachRequired', true);
    setDefault(spec, 'podInfoOnMount', false);
    setDefault(spec, 'storageCapacity', false);
    setDefault(spec, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
    setDefault(spec, 'requiresRepublish', false);
    setDefault(spec, 'seLinuxMount', false);
    setDefault(spec, 'volumeLifecycleModes', ['Persistent']);
  },
  validate: validateCSIDriver,
  columns: [
    NAME_COLUMN,
    column('AttachRequired', 'boolean', 'Indicates this CSI volume driver requires an attach operation, and that Kubernetes should call attach and wait for any attach operation to complete before proceeding to mount.'),
    column('PodInfoOnMount', 'boolean', 'Indicates this CSI volume driver requires additional pod information (like podName, podUID, etc.) during mount operations.'),
    column('StorageCapacity', 'boolean', 'Indicates that the CSI volume driver wants pod scheduling to consider the storage capacity that the driver deployment will report by creating CSIStorageCapacity objects with capacity information.'),
    column('TokenRequests', 'string', 'Indicates the CSI driver needs pods\' service account tokens it is mounting volume for to do necessary authentication.'),
    column('RequiresRepublish', 'boolean', 'Indicates the CSI driver wants `NodePublishVolume` being periodically called to reflect any possible change in the mounted volume.'),
    column('Modes', 'string', 'Defines the supported volume lifecycle modes for this driver.'),
    AGE_COLUMN,
  ],
  row: (obj, now) => [
    obj.metadata.name ?? '',
    field(obj, 'spec', 'attachRequired') === true,
    field(obj, 'spec', 'podInfoOnMount') === true,
    field(obj, 'spec', 'storageCapacity') === true,
    listCell(arr(obj, 'spec', 'tokenRequests').map((t) => str(t, 'audience') ?? ''), '<unset>'),
    field(obj, 'spec', 'requiresRepublish') === true,
    listCell(arr(obj, 'spec', 'volumeLifecycleModes'), '<none>'),
    age(obj.metadata.creationTimestamp, now),
  ],
};
