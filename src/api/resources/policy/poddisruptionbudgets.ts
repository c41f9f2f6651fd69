/** PodDisruptionBudget (policy/v1): validation and printing as kube-apiserver v1.32 does them. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { validateLabelSelector } from '../../labels/selector.js';
import { field, num, objAt } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import type { KubeObject } from '../../types.js';
import { intOrStringToString, validateNotMoreThan100Percent, validatePositiveIntOrPercent } from '../apps/int_or_percent.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../apps/workload_columns.js';
import { keepStatus, resetStatus } from '../apps/workload_validation.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/** validatePodDisruptionBudget is ValidatePodDisruptionBudgetSpec: minAvailable xor maxUnavailable (int or ≤100%), a valid selector. */
export function validatePodDisruptionBudget(obj: KubeObject): FieldError[] {
  const spec = objAt(obj, 'spec') ?? {};
  const errs: FieldError[] = [];
  const isSet = (v: unknown) => v !== undefined && v !== null;
  if (isSet(spec.minAvailable) && isSet(spec.maxUnavailable)) errs.push(fieldErr.invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  for (const key of ['minAvailable', 'maxUnavailable']) {
    if (!isSet(spec[key])) continue;
    errs.push(...validatePositiveIntOrPercent(spec[key], `spec.${key}`), ...validateNotMoreThan100Percent(spec[key], `spec.${key}`));
  }
  if (isSet(spec.selector)) errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (isSet(policy) && !(typeof policy === 'string' && EVICTION_POLICIES.includes(policy))) {
    errs.push(fieldErr.notSupported('spec.unhealthyPodEvictionPolicy', policy, EVICTION_POLICIES));
  }
  return errs;
}

/** pdbRow is printPodDisruptionBudget: min available, max unavailable ("N/A" when unset), allowed disruptions, age. */
export function pdbRow(obj: KubeObject, now: number): unknown[] {
  const cell = (key: string) => {
    const v = field(obj, 'spec', key);
    return v === undefined || v === null ? 'N/A' : intOrStringToString(v);
  };
  return [obj.metadata.name ?? '', cell('minAvailable'), cell('maxUnavailable'), num(obj, 'status', 'disruptionsAllowed') ?? 0, age(obj.metadata.creationTimestamp, now)];
}

/** poddisruptionbudgets is the policy/v1 PodDisruptionBudget resource (short name `pdb`). */
export const poddisruptionbudgets: ResourceType = {
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  namespaced: true,
  shortNames: ['pdb'],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: true,
  tracksGeneration: true,
  subresources: [],
  defaults: () => undefined,
  validate: validatePodDisruptionBudget,
  prepareForCreate: resetStatus,
  prepareForUpdate: keepStatus,
  columns: [
    NAME_COLUMN,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    AGE_COLUMN,
  ],
  row: pdbRow,
};
