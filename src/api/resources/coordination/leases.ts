/** Lease (coordination.k8s.io/v1): validation and printing as kube-apiserver v1.32 does them. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { field, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import type { KubeObject } from '../../types.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../apps/workload_columns.js';

/** validateLease is ValidateLeaseSpec: leaseDurationSeconds > 0, leaseTransitions ≥ 0, preferredHolder needs a strategy. */
export function validateLease(obj: KubeObject): FieldError[] {
  const spec = field(obj, 'spec');
  const errs: FieldError[] = [];
  const duration = field(spec, 'leaseDurationSeconds');
  if (typeof duration === 'number' && duration <= 0) errs.push(fieldErr.invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
  const transitions = field(spec, 'leaseTransitions');
  if (typeof transitions === 'number' && transitions < 0) errs.push(fieldErr.invalid('spec.leaseTransitions', transitions, 'must be greater than or equal to 0'));
  const strategy = str(spec, 'strategy');
  if (strategy !== undefined && strategy !== 'OldestEmulationVersion') errs.push(fieldErr.notSupported('spec.strategy', strategy, ['OldestEmulationVersion']));
  const preferred = str(spec, 'preferredHolder') ?? '';
  if (preferred !== '' && (strategy ?? '') === '') errs.push(fieldErr.forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  return errs;
}

/** leases is the coordination.k8s.io/v1 Lease resource (node heartbeats, leader election). */
export const leases: ResourceType = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  shortNames: [],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: false,
  subresources: [],
  defaults: () => undefined,
  validate: validateLease,
  columns: [NAME_COLUMN, column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.'), AGE_COLUMN],
  row: (obj, now) => [obj.metadata.name ?? '', str(obj, 'spec', 'holderIdentity') ?? '', age(obj.metadata.creationTimestamp, now)],
};
