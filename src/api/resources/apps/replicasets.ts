/** ReplicaSet (apps/v1): defaults, validation and printing as kube-apiserver v1.32 does them. */
import type { FieldError } from '../../field_errors.js';
import { ensureObj, field, num, objAt, setDefault } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import type { KubeObject } from '../../types.js';
import { defaultPodTemplateSpec } from '../core/pod_spec.js';
import { validateNonNegative } from './int_or_percent.js';
import { replicasScale } from './scale.js';
import { AGE_COLUMN, column, CONTAINERS_COLUMN, containerCells, formatSelectorCell, IMAGES_COLUMN, NAME_COLUMN } from './workload_columns.js';
import { keepStatus, resetStatus, validateControllerTemplate, validateImmutable, validateRequiredSelector } from './workload_validation.js';

/** defaultReplicaSet applies SetDefaults_ReplicaSet (replicas 1) and the pod template defaults. */
export function defaultReplicaSet(obj: KubeObject): void {
  const spec = ensureObj(obj, 'spec');
  setDefault(spec, 'replicas', 1);
  defaultPodTemplateSpec(ensureObj(spec, 'template'));
}

/** validateReplicaSet is ValidateReplicaSet / ValidateReplicaSetUpdate (plus apps/v1's immutable selector). */
export function validateReplicaSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = objAt(obj, 'spec') ?? {};
  const errs = [...validateNonNegative(spec.replicas, 'spec.replicas'), ...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds')];
  // Upstream reuses the Deployment wording for ReplicaSets.
  const sel = validateRequiredSelector(spec.selector, 'spec.selector', 'deployment');
  errs.push(...sel.errs);
  if (sel.matcher) errs.push(...validateControllerTemplate(spec.template, sel.matcher, 'spec.template', 'ReplicaSet'));
  if (old) errs.push(...validateImmutable(spec.selector, field(old, 'spec', 'selector'), 'spec.selector'));
  return errs;
}

/** replicaSetRow is printReplicaSet: name, desired, current, ready, age, then the wide cells. */
export function replicaSetRow(obj: KubeObject, now: number): unknown[] {
  const [names, images] = containerCells(field(obj, 'spec', 'template', 'spec'));
  return [
    obj.metadata.name ?? '',
    num(obj, 'spec', 'replicas') ?? 0,
    num(obj, 'status', 'replicas') ?? 0,
    num(obj, 'status', 'readyReplicas') ?? 0,
    age(obj.metadata.creationTimestamp, now),
    names,
    images,
    formatSelectorCell(field(obj, 'spec', 'selector')),
  ];
}

/** replicasets is the apps/v1 ReplicaSet resource (short name `rs`, category `all`, `scale`, field label status.replicas). */
export const replicasets: ResourceType = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  nameRule: 'subdomain',
  hasStatus: true,
  tracksGeneration: true,
  subresources: ['scale'],
  scale: replicasScale,
  defaults: defaultReplicaSet,
  validate: validateReplicaSet,
  prepareForCreate: resetStatus,
  prepareForUpdate: keepStatus,
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller'),
    column('Current', 'integer', 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller'),
    column('Ready', 'integer', 'The number of ready replicas for this replica set.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column('Selector', 'string', 'Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', 1),
  ],
  row: replicaSetRow,
  fieldLabels: (obj) => ({ 'status.replicas': String(num(obj, 'status', 'replicas') ?? 0) }),
};
