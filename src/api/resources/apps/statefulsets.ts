/** StatefulSet (apps/v1): defaults, validation and printing as kube-apiserver v1.32 does them. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, deepCopy, ensureObj, field, num, objAt, setDefault, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import { isObject, type KubeObject } from '../../types.js';
import { defaultPodTemplateSpec } from '../core/pod_spec.js';
import { intOrPercentValue, validateNonNegative, validateNotMoreThan100Percent, validatePositiveIntOrPercent } from './int_or_percent.js';
import { replicasScale } from './scale.js';
import { AGE_COLUMN, column, CONTAINERS_COLUMN, containerCells, IMAGES_COLUMN, NAME_COLUMN } from './workload_columns.js';
import { keepStatus, resetStatus, semanticEqual, validateControllerTemplate, validateRequiredSelector } from './workload_validation.js';

/** defaultStatefulSet applies SetDefaults_StatefulSet (with StatefulSetAutoDeletePVC on) and template defaults. */
export function defaultStatefulSet(obj: KubeObject): void {
  const spec = ensureObj(obj, 'spec');
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = ensureObj(spec, 'updateStrategy');
  if (strategy.type === undefined || strategy.type === '') {
    strategy.type = 'RollingUpdate';
    ensureObj(strategy, 'rollingUpdate');
  }
  if (strategy.type === 'RollingUpdate' && isObject(strategy.rollingUpdate)) setDefault(strategy.rollingUpdate, 'partition', 0);
  const retention = ensureObj(spec, 'persistentVolumeClaimRetentionPolicy');
  setDefault(retention, 'whenDeleted', 'Retain');
  setDefault(retention, 'whenScaled', 'Retain');
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplateSpec(ensureObj(spec, 'template'));
  for (const pvc of arr(spec, 'volumeClaimTemplates')) {
    if (!isObject(pvc)) continue;
    setDefault(ensureObj(pvc, 'spec'), 'volumeMode', 'Filesystem');
    setDefault(ensureObj(pvc, 'status'), 'phase', 'Pending');
  }
}

function validateStrategy(spec: Record<string, unknown>): FieldError[] {
  const strategy = spec.updateStrategy;
  const type = str(strategy, 'type') ?? '';
  const ru = field(strategy, 'rollingUpdate');
  switch (type) {
    case '':
      return [fieldErr.required('spec.updateStrategy')];
    case 'OnDelete':
      return ru === undefined || ru === null ? [] : [fieldErr.invalid('spec.updateStrategy.rollingUpdate', ru, "only allowed for updateStrategy 'RollingUpdate'")];
    case 'RollingUpdate':
      return [...validateNonNegative(field(ru, 'partition'), 'spec.updateStrategy.rollingUpdate.partition'), ...validateMaxUnavailable(field(ru, 'maxUnavailable'))];
    default:
      return [fieldErr.invalid('spec.updateStrategy', strategy, "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

/** validateMaxUnavailable checks rollingUpdate.maxUnavailable (MaxUnavailableStatefulSet): a positive count or a percentage up to 100%. */
function validateMaxUnavailable(v: unknown): FieldError[] {
  if (v === undefined || v === null) return [];
  const path = 'spec.updateStrategy.rollingUpdate.maxUnavailable';
  const errs = [...validatePositiveIntOrPercent(v, path), ...validateNotMoreThan100Percent(v, path)];
  if (errs.length === 0 && intOrPercentValue(v) === 0) errs.push(fieldErr.invalid(path, v, 'must be greater than 0'));
  return errs;
}

/**
 * templateWithClaims is the template as the controller will stamp pods from it: every
 * volumeClaimTemplates entry becomes a persistentVolumeClaim volume, so container volumeMounts
 * may name a claim template (the Kubernetes documentation's MySQL StatefulSet does).
 */
function templateWithClaims(spec: Record<string, unknown>): unknown {
  const claims = arr(spec, 'volumeClaimTemplates').map((c) => str(c, 'metadata', 'name') ?? '').filter((n) => n !== '');
  if (claims.length === 0 || !isObject(spec.template)) return spec.template;
  const tpl = deepCopy(spec.template);
  const podSpec = ensureObj(tpl, 'spec');
  const volumes = arr(podSpec, 'volumes');
  const named = new Set(volumes.map((v) => str(v, 'name')));
  podSpec.volumes = [...volumes, ...claims.filter((n) => !named.has(n)).map((n) => ({ name: n, persistentVolumeClaim: { claimName: n } }))];
  return tpl;
}

function validateRetention(policy: unknown): FieldError[] {
  if (policy === undefined || policy === null) return [];
  const errs: FieldError[] = [];
  for (const key of ['whenDeleted', 'whenScaled']) {
    const v = str(policy, key) ?? '';
    if (v !== 'Retain' && v !== 'Delete') errs.push(fieldErr.notSupported(`spec.persistentVolumeClaimRetentionPolicy.${key}`, v, ['Retain', 'Delete']));
  }
  return errs;
}

/** validateStatefulSetSpec is ValidateStatefulSetSpec for spec. */
export function validateStatefulSetSpec(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const pmp = str(spec, 'podManagementPolicy') ?? '';
  if (pmp === '') errs.push(fieldErr.required('spec.podManagementPolicy'));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(fieldErr.invalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"));
  errs.push(...validateStrategy(spec), ...validateRetention(spec.persistentVolumeClaimRetentionPolicy));
  errs.push(...validateNonNegative(spec.replicas, 'spec.replicas'), ...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonNegative(field(spec, 'ordinals', 'start'), 'spec.ordinals.start'));
  const sel = validateRequiredSelector(spec.selector, 'spec.selector', 'statefulset', '');
  errs.push(...sel.errs);
  if (sel.matcher) errs.push(...validateControllerTemplate(templateWithClaims(spec), sel.matcher, 'spec.template', 'StatefulSet'));
  return errs;
}

/** Spec fields a StatefulSet update may change; the rest are forbidden to change. */
const MUTABLE_SPEC_FIELDS = ['replicas', 'ordinals', 'template', 'updateStrategy', 'minReadySeconds', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy'];

/** validateStatefulSet is ValidateStatefulSet / ValidateStatefulSetUpdate. */
export function validateStatefulSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = objAt(obj, 'spec') ?? {};
  const errs = validateStatefulSetSpec(spec);
  if (old) {
    const a = deepCopy(spec);
    const b = deepCopy(objAt(old, 'spec') ?? {});
    for (const k of MUTABLE_SPEC_FIELDS) {
      delete a[k];
      delete b[k];
    }
    if (!semanticEqual(a, b)) {
      errs.push(
        fieldErr.forbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
    }
  }
  return errs;
}

/** statefulSetRow is printStatefulSet: name, ready/desired, age, then the wide cells. */
export function statefulSetRow(obj: KubeObject, now: number): unknown[] {
  const [names, images] = containerCells(field(obj, 'spec', 'template', 'spec'));
  return [
    obj.metadata.name ?? '',
    `${num(obj, 'status', 'readyReplicas') ?? 0}/${num(obj, 'spec', 'replicas') ?? 0}`,
    age(obj.metadata.creationTimestamp, now),
    names,
    images,
  ];
}

/** statefulsets is the apps/v1 StatefulSet resource (short name `sts`, category `all`, `scale`). */
export const statefulsets: ResourceType = {
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  singular: 'statefulset',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  nameRule: 'subdomain',
  hasStatus: true,
  tracksGeneration: true,
  subresources: ['scale'],
  scale: replicasScale,
  defaults: defaultStatefulSet,
  validate: validateStatefulSet,
  prepareForCreate: resetStatus,
  prepareForUpdate: keepStatus,
  columns: [NAME_COLUMN, column('Ready', 'string', 'Number of the pod with ready state'), AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN],
  row: statefulSetRow,
};
