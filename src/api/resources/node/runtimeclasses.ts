/** RuntimeClass (node.k8s.io/v1, cluster-scoped): validation and printing as kube-apiserver 1.32 does them. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { field, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import { isObject, type KubeObject } from '../../types.js';
import { isDNS1123Label } from '../../validation/names.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../apps/workload_columns.js';
import { validateImmutable } from '../apps/workload_validation.js';
import { validateNodeSelector, validateTolerations } from '../core/pod_spec_scheduling.js';
import { parseQuantity } from '../core/quantity.js';

function validateOverhead(overhead: unknown): FieldError[] {
  const podFixed = field(overhead, 'podFixed');
  if (!isObject(podFixed)) return [];
  const errs: FieldError[] = [];
  for (const [name, q] of Object.entries(podFixed)) {
    const path = `overhead.podFixed[${name}]`;
    const v = typeof q === 'string' || typeof q === 'number' ? parseQuantity(q) : undefined;
    if (v === undefined) errs.push(fieldErr.invalid(path, q, 'must be a valid quantity'));
    else if (v < 0) errs.push(fieldErr.invalid(path, q, 'must be greater than or equal to 0'));
  }
  return errs;
}

/** validateRuntimeClass is ValidateRuntimeClass (+ update): handler is a DNS label and immutable. */
export function validateRuntimeClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const handler = str(obj, 'handler') ?? '';
  const errs: FieldError[] = handler === '' ? [fieldErr.required('handler')] : isDNS1123Label(handler).map((m) => fieldErr.invalid('handler', handler, m));
  errs.push(...validateOverhead(obj.overhead));
  const scheduling = obj.scheduling;
  if (isObject(scheduling)) {
    if (scheduling.nodeSelector !== undefined) errs.push(...validateNodeSelector(scheduling.nodeSelector, 'scheduling.nodeSelector'));
    if (scheduling.tolerations !== undefined) errs.push(...validateTolerations(scheduling.tolerations, 'scheduling.tolerations'));
  }
  if (old) errs.push(...validateImmutable(obj.handler, old.handler, 'handler'));
  return errs;
}

/** runtimeclasses (node.k8s.io/v1 RuntimeClass): names the CRI handler pods of this class run with. */
export const runtimeclasses: ResourceType = {
  group: 'node.k8s.io',
  version: 'v1',
  kind: 'RuntimeClass',
  plural: 'runtimeclasses',
  singular: 'runtimeclass',
  namespaced: false,
  shortNames: [],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: false,
  subresources: [],
  defaults() {},
  validate: validateRuntimeClass,
  columns: [NAME_COLUMN, column('Handler', 'string', 'Handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class.'), AGE_COLUMN],
  row(obj, now) {
    return [obj.metadata.name ?? '', str(obj, 'handler') ?? '', age(obj.metadata.creationTimestamp, now)];
  },
};
