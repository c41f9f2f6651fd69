/** IngressClass (networking.k8s.io/v1, cluster-scoped): defaults, validation and printing as kube-apiserver v1.32 does them. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { field, objAt, setDefault, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import { isObject, type KubeObject } from '../../types.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../validation/names.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../apps/workload_columns.js';
import { validateImmutable } from '../apps/workload_validation.js';
import { validateTypedLocalObjectReference } from './ingress_validation.js';

/** DEFAULT_INGRESS_CLASS_ANNOTATION marks the IngressClass used for Ingresses without ingressClassName (value "true"). */
export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/** isDefaultIngressClass tells whether an IngressClass carries the is-default-class annotation set to "true". */
export function isDefaultIngressClass(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true';
}

/** SKIFF_INGRESS_CONTROLLER is the spec.controller of the IngressClasses skiff's own ingress serves. */
export const SKIFF_INGRESS_CONTROLLER = 'skiff.io/ingress';
/** SKIFF_INGRESS_CLASS is the default IngressClass every cluster gets (and the legacy annotation value). */
export const SKIFF_INGRESS_CLASS = 'skiff';

/** LEGACY_INGRESS_CLASS_ANNOTATION is the class annotation older Ingresses use instead of spec.ingressClassName. */
export const LEGACY_INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/**
 * ingressHandledBy tells whether the controller named `controller` serves an Ingress: its class
 * (spec.ingressClassName, or the legacy annotation, which may also name the controller's default
 * class `defaultClassName`) is one of that controller's IngressClasses; an Ingress with no class
 * is served when one of those classes is the default, or when the cluster has no default class.
 */
export function ingressHandledBy(ingress: KubeObject, classes: KubeObject[], controller: string, defaultClassName: string): boolean {
  const ours = classes.filter((c) => str(c, 'spec', 'controller') === controller);
  const names = new Set(ours.map((c) => c.metadata.name ?? ''));
  const legacy = ingress.metadata.annotations?.[LEGACY_INGRESS_CLASS_ANNOTATION];
  if (legacy !== undefined) return names.has(legacy) || legacy === defaultClassName;
  const className = str(ingress, 'spec', 'ingressClassName');
  if (className !== undefined) return names.has(className);
  return ours.some(isDefaultIngressClass) || !classes.some(isDefaultIngressClass);
}

const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const httpPathRe = new RegExp(`^${HTTP_PATH_FMT}$`);

/** validateDomainPrefixedPath is IsDomainPrefixedPath (`acme.io/foo`), used for spec.controller. */
export function validateDomainPrefixedPath(value: string, path: string): FieldError[] {
  if (value === '') return [fieldErr.required(path)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || host === '' || rest === '') return [fieldErr.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = isDNS1123Subdomain(host).map((m) => fieldErr.invalid(path, host, m));
  if (!httpPathRe.test(rest)) errs.push(fieldErr.invalid(path, rest, `must be a valid HTTP path (regex used for validation is '${HTTP_PATH_FMT}')`));
  return errs;
}

function validateParameters(params: unknown, path: string): FieldError[] {
  if (params === undefined || params === null) return [];
  const errs = validateTypedLocalObjectReference(params, path);
  const scope = field(params, 'scope');
  if (scope === undefined || scope === null) return [...errs, fieldErr.required(`${path}.scope`)];
  const namespace = field(params, 'namespace');
  if (scope !== 'Cluster' && scope !== 'Namespace') errs.push(fieldErr.notSupported(`${path}.scope`, scope, ['Cluster', 'Namespace']));
  else if (scope === 'Namespace' && namespace === undefined) errs.push(fieldErr.required(`${path}.namespace`, "`parameters.scope` is set to 'Namespace'"));
  else if (scope === 'Namespace' && typeof namespace === 'string') errs.push(...isDNS1123Label(namespace).map((m) => fieldErr.invalid(`${path}.namespace`, namespace, m)));
  else if (scope === 'Cluster' && namespace !== undefined) errs.push(fieldErr.forbidden(`${path}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  return errs;
}

/** validateIngressClass is ValidateIngressClass / ValidateIngressClassUpdate (controller immutable). */
export function validateIngressClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const controller = str(obj, 'spec', 'controller') ?? '';
  const errs: FieldError[] = [];
  if (controller.length > 250) errs.push(fieldErr.tooLong('spec.controller', controller, 250));
  errs.push(...validateDomainPrefixedPath(controller, 'spec.controller'));
  errs.push(...validateParameters(field(obj, 'spec', 'parameters'), 'spec.parameters'));
  if (old) errs.push(...validateImmutable(field(obj, 'spec', 'controller'), field(old, 'spec', 'controller'), 'spec.controller'));
  return errs;
}

/** parametersCell renders spec.parameters as `Kind[.apiGroup]/name`, "<none>" when unset. */
export function parametersCell(obj: KubeObject): string {
  const p = objAt(obj, 'spec', 'parameters');
  if (!p) return '<none>';
  const group = str(p, 'apiGroup');
  return `${str(p, 'kind') ?? ''}${group !== undefined ? `.${group}` : ''}/${str(p, 'name') ?? ''}`;
}

/** ingressclasses is the cluster-scoped networking.k8s.io/v1 IngressClass resource. */
export const ingressclasses: ResourceType = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  plural: 'ingressclasses',
  singular: 'ingressclass',
  namespaced: false,
  shortNames: [],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: true,
  subresources: [],
  defaults: (obj) => {
    const params = field(obj, 'spec', 'parameters');
    if (isObject(params)) setDefault(params, 'scope', 'Cluster');
  },
  validate: validateIngressClass,
  columns: [
    NAME_COLUMN,
    column('Controller', 'string', 'Controller that is responsible for handling this class'),
    column('Parameters', 'string', 'A reference to a resource with additional parameters'),
    AGE_COLUMN,
  ],
  row: (obj, now) => [obj.metadata.name ?? '', str(obj, 'spec', 'controller') ?? '', parametersCell(obj), age(obj.metadata.creationTimestamp, now)],
};
