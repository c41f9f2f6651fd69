/** ReplicationController (v1): the ReplicaSet's predecessor, with a plain label map as selector. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { labelSelectorFromObject, validateLabels } from '../../labels/selector.js';
import { ensureObj, field, num, objAt, setDefault } from '../../object.js';
import type { ResourceType, ScaleAccess } from '../../resource.js';
import { age } from '../../table/format.js';
import { isObject, type KubeObject } from '../../types.js';
import { validateNonNegative } from '../apps/int_or_percent.js';
import { AGE_COLUMN, column, CONTAINERS_COLUMN, containerCells, IMAGES_COLUMN, NAME_COLUMN } from '../apps/workload_columns.js';
import { keepStatus, resetStatus, sortedLabels, validateAlwaysRestart } from '../apps/workload_validation.js';
import { defaultPodTemplateSpec, validatePodTemplateSpec } from './pod_spec.js';

/** rcSelectorString renders the selector map as labels.FormatLabels does (sorted k=v, "" when empty). */
function rcSelectorString(sel: unknown): string {
  if (!isObject(sel) || Object.keys(sel).length === 0) return '';
  try {
    return labelSelectorFromObject({ matchLabels: sel }).toString();
  } catch {
    return '<invalid>';
  }
}

/** defaultReplicationController is SetDefaults_ReplicationController: selector and labels from the template's labels, replicas 1. */
export function defaultReplicationController(obj: KubeObject): void {
  const spec = ensureObj(obj, 'spec');
  const labels = objAt(spec, 'template', 'metadata', 'labels');
  if (labels) {
    if (Object.keys(objAt(spec, 'selector') ?? {}).length === 0) spec.selector = { ...labels };
    if (Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...(labels as Record<string, string>) };
  }
  setDefault(spec, 'replicas', 1);
  if (isObject(spec.template)) defaultPodTemplateSpec(spec.template);
}

/** validateReplicationController is ValidateReplicationController (the selector stays mutable, as upstream). */
export function validateReplicationController(obj: KubeObject): FieldError[] {
  const spec = objAt(obj, 'spec') ?? {};
  const errs = [...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds')];
  const selector = objAt(spec, 'selector');
  if (!selector || Object.keys(selector).length === 0) errs.push(fieldErr.required('spec.selector'));
  else errs.push(...validateLabels(selector, 'spec.selector'));
  errs.push(...validateNonNegative(spec.replicas, 'spec.replicas'));
  const tpl = spec.template;
  if (!isObject(tpl)) {
    errs.push(fieldErr.required('spec.template'));
    return errs;
  }
  if (selector && Object.keys(selector).length > 0) {
    const labels = sortedLabels(tpl) ?? {};
    const matches = Object.entries(selector).every(([k, v]) => labels[k] === v);
    if (!matches) errs.push(fieldErr.invalid('spec.template.metadata.labels', sortedLabels(tpl), 'selector does not match template labels'));
  }
  errs.push(...validatePodTemplateSpec(tpl, 'spec.template'));
  errs.push(...validateAlwaysRestart(tpl, 'spec.template'));
  if (field(tpl, 'spec', 'activeDeadlineSeconds') !== undefined) errs.push(fieldErr.forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
  return errs;
}

/** rcScale is the scale subresource: spec.replicas, status.replicas and the selector as a label string. */
const rcScale: ScaleAccess = {
  specReplicas: (obj) => num(obj, 'spec', 'replicas') ?? 1,
  statusReplicas: (obj) => num(obj, 'status', 'replicas') ?? 0,
  selector: (obj) => rcSelectorString(field(obj, 'spec', 'selector')),
  setReplicas: (obj, replicas) => {
    ensureObj(obj, 'spec').replicas = replicas;
  },
};

/** replicationControllerRow is printReplicationController: name, desired, current, ready, age, then the wide cells. */
function replicationControllerRow(obj: KubeObject, now: number): unknown[] {
  const [names, images] = containerCells(field(obj, 'spec', 'template', 'spec'));
  return [
    obj.metadata.name ?? '',
    num(obj, 'spec', 'replicas') ?? 0,
    num(obj, 'status', 'replicas') ?? 0,
    num(obj, 'status', 'readyReplicas') ?? 0,
    age(obj.metadata.creationTimestamp, now),
    names,
    images,
    rcSelectorString(field(obj, 'spec', 'selector')) || '<none>',
  ];
}

/** replicationcontrollers is the v1 ReplicationController resource (short name `rc`, category `all`, `scale`). */
export const replicationcontrollers: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  singular: 'replicationcontroller',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  nameRule: 'subdomain',
  hasStatus: true,
  tracksGeneration: true,
  subresources: ['scale'],
  scale: rcScale,
  defaults: defaultReplicationController,
  validate: (obj) => validateReplicationController(obj),
  prepareForCreate: resetStatus,
  prepareForUpdate: keepStatus,
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller'),
    column('Current', 'integer', 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller'),
    column('Ready', 'integer', 'The number of ready replicas for this replication controller.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column('Selector', 'string', 'Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', 1),
  ],
  row: replicationControllerRow,
  fieldLabels: (obj) => ({ 'status.replicas': String(num(obj, 'status', 'replicas') ?? 0) }),
};
