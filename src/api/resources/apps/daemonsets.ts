/** DaemonSet (apps/v1): defaults, validation and printing as kube-apiserver v1.32 does them. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { ensureObj, field, num, objAt, setDefault, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age, mapToSelectorString } from '../../table/format.js';
import type { KubeObject } from '../../types.js';
import { defaultPodTemplateSpec, validatePodTemplateSpec } from '../core/pod_spec.js';
import { intOrPercentValue, validateNonNegative, validateNotMoreThan100Percent, validatePositiveIntOrPercent } from './int_or_percent.js';
import { AGE_COLUMN, column, CONTAINERS_COLUMN, containerCells, formatSelectorCell, IMAGES_COLUMN, NAME_COLUMN } from './workload_columns.js';
import { validateLabelSelector } from '../../labels/selector.js';
import { isEmptySelector, keepStatus, resetStatus, toMatcher, validateAlwaysRestart, validateImmutable, validateTemplateLabelsMatch } from './workload_validation.js';

/** defaultDaemonSet applies SetDefaults_DaemonSet (RollingUpdate maxUnavailable 1 / maxSurge 0, revisionHistoryLimit 10) and template defaults. */
export function defaultDaemonSet(obj: KubeObject): void {
  const spec = ensureObj(obj, 'spec');
  const strategy = ensureObj(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = ensureObj(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', 1);
    setDefault(ru, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplateSpec(ensureObj(spec, 'template'));
}

/** validateDaemonSetUpdateStrategy is ValidateDaemonSetUpdateStrategy for spec.updateStrategy. */
export function validateDaemonSetUpdateStrategy(strategy: unknown, path: string): FieldError[] {
  const type = str(strategy, 'type') ?? '';
  if (type === 'OnDelete') return [];
  if (type !== 'RollingUpdate') return [fieldErr.notSupported(path, strategy, ['RollingUpdate', 'OnDelete'])];
  const ru = field(strategy, 'rollingUpdate');
  const p = `${path}.rollingUpdate`;
  if (ru === undefined || ru === null) return [fieldErr.required(p)];
  const mu = field(ru, 'maxUnavailable');
  const ms = field(ru, 'maxSurge');
  const errs = [
    ...validatePositiveIntOrPercent(mu, `${p}.maxUnavailable`),
    ...validatePositiveIntOrPercent(ms, `${p}.maxSurge`),
    ...validateNotMoreThan100Percent(mu, `${p}.maxUnavailable`),
    ...validateNotMoreThan100Percent(ms, `${p}.maxSurge`),
  ];
  const hasUnavailable = intOrPercentValue(mu) !== 0;
  const hasSurge = intOrPercentValue(ms) !== 0;
  if (hasUnavailable && hasSurge) errs.push(fieldErr.invalid(`${p}.maxSurge`, ms, 'may not be set when maxUnavailable is non-zero'));
  if (!hasUnavailable && !hasSurge) errs.push(fieldErr.required(`${p}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  return errs;
}

/** validateDaemonSet is ValidateDaemonSet / ValidateDaemonSetUpdate (selector immutable in apps/v1). */
export function validateDaemonSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = objAt(obj, 'spec') ?? {};
  const sel = spec.selector;
  const errs = sel === undefined || sel === null ? [] : validateLabelSelector(sel, 'spec.selector');
  const matcher = toMatcher(sel);
  // A missing selector selects nothing, so it surfaces as the labels mismatch (as upstream).
  if (matcher) errs.push(...validateTemplateLabelsMatch(spec.template, matcher, 'spec.template'));
  if (sel !== undefined && sel !== null && isEmptySelector(sel)) errs.push(fieldErr.invalid('spec.selector', sel, 'empty selector is invalid for daemonset'));
  errs.push(...validatePodTemplateSpec(spec.template ?? {}, 'spec.template'));
  errs.push(...validateAlwaysRestart(spec.template, 'spec.template'));
  const ads = field(spec, 'template', 'spec', 'activeDeadlineSeconds');
  if (ads !== undefined) errs.push(fieldErr.invalid('spec.template.spec.activeDeadlineSeconds', ads, 'activeDeadlineSeconds in DaemonSet is not Supported'));
  errs.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonNegative(spec.templateGeneration, 'spec.templateGeneration'));
  errs.push(...validateDaemonSetUpdateStrategy(spec.updateStrategy, 'spec.updateStrategy'));
  errs.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (old) errs.push(...validateImmutable(sel, field(old, 'spec', 'selector'), 'spec.selector'));
  return errs;
}

/** daemonSetRow is printDaemonSet: desired, current, ready, up-to-date, available, node selector, age, wide cells. */
export function daemonSetRow(obj: KubeObject, now: number): unknown[] {
  const podSpec = field(obj, 'spec', 'template', 'spec');
  const [names, images] = containerCells(podSpec);
  const nodeSelector = objAt(podSpec, 'nodeSelector') as Record<string, string> | undefined;
  return [
    obj.metadata.name ?? '',
    num(obj, 'status', 'desiredNumberScheduled') ?? 0,
    num(obj, 'status', 'currentNumberScheduled') ?? 0,
    num(obj, 'status', 'numberReady') ?? 0,
    num(obj, 'status', 'updatedNumberScheduled') ?? 0,
    num(obj, 'status', 'numberAvailable') ?? 0,
    mapToSelectorString(nodeSelector),
    age(obj.metadata.creationTimestamp, now),
    names,
    images,
    formatSelectorCell(field(obj, 'spec', 'selector')),
  ];
}

/** daemonsets is the apps/v1 DaemonSet resource (short name `ds`, category `all`). */
export const daemonsets: ResourceType = {
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  nameRule: 'subdomain',
  hasStatus: true,
  tracksGeneration: true,
  subresources: [],
  defaults: defaultDaemonSet,
  validate: validateDaemonSet,
  prepareForCreate: resetStatus,
  prepareForUpdate: keepStatus,
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/'),
    column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/'),
    column('Ready', 'integer', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
    column('Node Selector', 'string', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column('Selector', 'string', "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", 1),
  ],
  row: daemonSetRow,
};
