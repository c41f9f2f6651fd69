/** Deployment (apps/v1): defaults, validation and printing as kube-apiserver v1.32 does them. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { ensureObj, field, num, objAt, setDefault, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import type { KubeObject } from '../../types.js';
import { defaultPodTemplateSpec } from '../core/pod_spec.js';
import { intOrPercentValue, validateNonNegative, validateNotMoreThan100Percent, validatePositiveIntOrPercent } from './int_or_percent.js';
import { replicasScale } from './scale.js';
import { AGE_COLUMN, column, CONTAINERS_COLUMN, containerCells, IMAGES_COLUMN, NAME_COLUMN, SELECTOR_DESCRIPTION, selectorString } from './workload_columns.js';
import { keepStatus, resetStatus, validateControllerTemplate, validateImmutable, validateRequiredSelector } from './workload_validation.js';

/** defaultDeployment applies pkg/apis/apps/v1 SetDefaults_Deployment and the pod template defaults. */
export function defaultDeployment(obj: KubeObject): void {
  const spec = ensureObj(obj, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = ensureObj(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = ensureObj(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplateSpec(ensureObj(spec, 'template'));
}

/** validateDeploymentStrategy is ValidateDeploymentStrategy for spec.strategy. */
export function validateDeploymentStrategy(strategy: unknown, path: string): FieldError[] {
  const type = str(strategy, 'type') ?? '';
  const ru = field(strategy, 'rollingUpdate');
  if (type === 'Recreate') {
    return ru === undefined || ru === null ? [] : [fieldErr.forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")];
  }
  if (type !== 'RollingUpdate') return [fieldErr.notSupported(path, strategy, ['Recreate', 'RollingUpdate'])];
  if (ru === undefined || ru === null) return [fieldErr.required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
  const p = `${path}.rollingUpdate`;
  const maxUnavailable = field(ru, 'maxUnavailable');
  const maxSurge = field(ru, 'maxSurge');
  const errs = [...validatePositiveIntOrPercent(maxUnavailable, `${p}.maxUnavailable`), ...validatePositiveIntOrPercent(maxSurge, `${p}.maxSurge`)];
  if (intOrPercentValue(maxUnavailable) === 0 && intOrPercentValue(maxSurge) === 0) {
    errs.push(fieldErr.invalid(`${p}.maxUnavailable`, maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...validateNotMoreThan100Percent(maxUnavailable, `${p}.maxUnavailable`));
  return errs;
}

/** validateDeployment is ValidateDeployment / ValidateDeploymentUpdate (plus apps/v1's immutable selector). */
export function validateDeployment(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = objAt(obj, 'spec') ?? {};
  const errs = validateNonNegative(spec.replicas, 'spec.replicas');
  const sel = validateRequiredSelector(spec.selector, 'spec.selector', 'deployment');
  errs.push(...sel.errs);
  if (sel.matcher) errs.push(...validateControllerTemplate(spec.template, sel.matcher, 'spec.template', 'ReplicaSet'));
  errs.push(...validateDeploymentStrategy(spec.strategy, 'spec.strategy'));
  errs.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const pds = spec.progressDeadlineSeconds;
  if (typeof pds === 'number') {
    errs.push(...validateNonNegative(pds, 'spec.progressDeadlineSeconds'));
    if (pds <= (num(spec, 'minReadySeconds') ?? 0)) {
      errs.push(fieldErr.invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
    }
  }
  if (old) errs.push(...validateImmutable(spec.selector, field(old, 'spec', 'selector'), 'spec.selector'));
  return errs;
}

/** deploymentRow is printDeployment: name, ready/desired, up-to-date, available, age, then the wide cells. */
export function deploymentRow(obj: KubeObject, now: number): unknown[] {
  const [names, images] = containerCells(field(obj, 'spec', 'template', 'spec'));
  return [
    obj.metadata.name ?? '',
    `${num(obj, 'status', 'readyReplicas') ?? 0}/${num(obj, 'spec', 'replicas') ?? 0}`,
    num(obj, 'status', 'updatedReplicas') ?? 0,
    num(obj, 'status', 'availableReplicas') ?? 0,
    age(obj.metadata.creationTimestamp, now),
    names,
    images,
    selectorString(field(obj, 'spec', 'selector')),
  ];
}

/** deployments is the apps/v1 Deployment resource (short name `deploy`, category `all`, `scale` subresource). */
export const deployments: ResourceType = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  nameRule: 'subdomain',
  hasStatus: true,
  tracksGeneration: true,
  subresources: ['scale'],
  scale: replicasScale,
  defaults: defaultDeployment,
  validate: validateDeployment,
  prepareForCreate: resetStatus,
  prepareForUpdate: keepStatus,
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'integer', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'integer', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column('Selector', 'string', SELECTOR_DESCRIPTION, 1),
  ],
  row: deploymentRow,
};
