/** PriorityClass (scheduling.k8s.io/v1, cluster-scoped): defaults, validation and printing as kube-apiserver v1.32 does them. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { num, setDefault, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import type { KubeObject } from '../../types.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../apps/workload_columns.js';
import { validateImmutable } from '../apps/workload_validation.js';

/** HIGHEST_USER_DEFINABLE_PRIORITY is the largest value a non-system PriorityClass may have. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;

/** SYSTEM_PRIORITY_CLASSES are the built-in classes and their values (names with the `system-` prefix are reserved). */
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-node-critical': 2_000_001_000,
  'system-cluster-critical': 2_000_000_000,
};

const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

/** knownSystemClassError returns why a `system-` class is not one of the built-ins, or undefined when it is. */
function knownSystemClassError(name: string, value: number, globalDefault: boolean): string | undefined {
  const expected = SYSTEM_PRIORITY_CLASSES[name];
  if (expected === undefined) return `${name} is not a known system priority class`;
  if (expected !== value) return `value of ${name} PriorityClass must be ${expected}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

/** validatePriorityClass is ValidatePriorityClass / ValidatePriorityClassUpdate (value and preemptionPolicy fixed after create). */
export function validatePriorityClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const name = obj.metadata.name ?? '';
  const value = num(obj, 'value') ?? 0;
  const errs: FieldError[] = [];
  if (name.startsWith('system-')) {
    const why = knownSystemClassError(name, value, obj.globalDefault === true);
    if (why) errs.push(fieldErr.forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${why}`));
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(fieldErr.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  const policy = obj.preemptionPolicy;
  if (policy !== undefined && policy !== null && !(typeof policy === 'string' && PREEMPTION_POLICIES.includes(policy))) {
    errs.push(fieldErr.notSupported('preemptionPolicy', policy, PREEMPTION_POLICIES));
  }
  if (old) {
    if (obj.value !== old.value) errs.push(fieldErr.forbidden('value', 'may not be changed in an update.'));
    errs.push(...validateImmutable(obj.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
  }
  return errs;
}

/** priorityclasses is the cluster-scoped scheduling.k8s.io/v1 PriorityClass resource (short name `pc`). */
export const priorityclasses: ResourceType = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  plural: 'priorityclasses',
  singular: 'priorityclass',
  namespaced: false,
  shortNames: ['pc'],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: false,
  subresources: [],
  defaults: (obj) => setDefault(obj, 'preemptionPolicy', 'PreemptLowerPriority'),
  validate: validatePriorityClass,
  columns: [
    NAME_COLUMN,
    column('Value', 'integer', 'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.'),
    column('Global-Default', 'boolean', 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.'),
    AGE_COLUMN,
    column('PreemptionPolicy', 'string', 'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.'),
  ],
  row: (obj, now) => [obj.metadata.name ?? '', num(obj, 'value') ?? 0, obj.globalDefault === true, age(obj.metadata.creationTimestamp, now), str(obj, 'preemptionPolicy') ?? ''],
};
