import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, field, objAt } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { isQualifiedName } from '../../validation/names.js';
import { QUANTITY_PATTERN, parseQuantity } from './quantity.js';
import { AGE_COLUMN, NAME_COLUMN, ageOf, column, nameOf } from './core_table.js';
import { quantityCell } from './core_volumes.js';

/** Resource names a quota may limit without a domain prefix. */
const QUOTA_RESOURCES = new Set([
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'services.nodeports', 'services.loadbalancers', 'cpu', 'memory', 'ephemeral-storage', 'storage',
  'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
]);
/** Object counts: their quantities must be whole numbers. */
const INTEGER_RESOURCES = new Set(['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);
const SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating'];

function validateHardEntry(k: string, v: unknown, path: string): FieldError[] {
  const errs = isQualifiedName(k).map((m) => fieldErr.invalid(path, k, m));
  const standard = QUOTA_RESOURCES.has(k) || k.startsWith('hugepages-') || k.startsWith('requests.hugepages-');
  if (errs.length === 0 && !k.includes('/') && !standard) errs.push(fieldErr.invalid(path, k, 'must be a standard resource for quota'));
  const n = typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : undefined;
  if (n === undefined) return [...errs, fieldErr.invalid(path, v ?? '', `quantities must match the regular expression '${QUANTITY_PATTERN}'`)];
  if (n < 0) errs.push(fieldErr.invalid(path, String(v), 'must be greater than or equal to 0'));
  const integer = INTEGER_RESOURCES.has(k) || k.startsWith('count/');
  if (integer && !Number.isInteger(n)) errs.push(fieldErr.invalid(path, String(v), 'must be an integer'));
  return errs;
}

function validateQuota(obj: unknown): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(objAt(obj, 'spec', 'hard') ?? {})) errs.push(...validateHardEntry(k, v, `spec.hard[${k}]`));
  for (const part of ['hard', 'used']) {
    for (const [k, v] of Object.entries(objAt(obj, 'status', part) ?? {})) errs.push(...validateHardEntry(k, v, `status.${part}[${k}]`));
  }
  arr(obj, 'spec', 'scopes').forEach((s, i) => {
    if (typeof s !== 'string' || !SCOPES.includes(s)) errs.push(fieldErr.notSupported(`spec.scopes[${i}]`, s, SCOPES));
  });
  const scopes = arr(obj, 'spec', 'scopes');
  if (scopes.includes('Terminating') && scopes.includes('NotTerminating')) {
    errs.push(fieldErr.invalid('spec.scopes', scopes, 'conflicting scopes'));
  }
  if (scopes.includes('BestEffort') && scopes.includes('NotBestEffort')) {
    errs.push(fieldErr.invalid('spec.scopes', scopes, 'conflicting scopes'));
  }
  return errs;
}

/** quotaColumns renders REQUEST and LIMIT: `name: used/hard` per status.hard resource, sorted; `limits.*` go to LIMIT. */
function quotaColumns(obj: unknown): [string, string] {
  const hard = objAt(obj, 'status', 'hard') ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const k of Object.keys(hard).sort()) {
    const piece = `${k}: ${quantityCell(field(obj, 'status', 'used', k))}/${quantityCell(hard[k])}`;
    (k.split('.').length > 1 && k.split('.')[0] === 'limits' ? limits : requests).push(piece);
  }
  return [requests.join(', '), limits.join(', ')];
}

/**
 * resourcequotas (v1 ResourceQuota, `quota`): aggregate limits per namespace; status (hard, used) is
 * written by the quota controller through /status and starts empty.
 */
export const resourcequotas: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  namespaced: true,
  shortNames: ['quota'],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: true,
  tracksGeneration: false,
  subresources: [],
  defaults() {},
  validate(obj) {
    return validateQuota(obj);
  },
  prepareForCreate(obj) {
    obj.status = {};
  },
  columns: [
    NAME_COLUMN,
    column('Request', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column('Limit', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const [request, limit] = quotaColumns(obj);
    return [nameOf(obj), request, limit, ageOf(obj, now)];
  },
};

