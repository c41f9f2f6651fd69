/** The core/v1 Node resource (cluster-scoped): defaults, validation, Table columns and field labels. */
import { isIP } from 'node:net';
import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, ensureObj, str } from '../../object.js';
import type { ResourceType, TableColumn } from '../../resource.js';
import { isObject, type KubeObject } from '../../types.js';
import { isQualifiedName, isValidLabelValue } from '../../validation/names.js';
import { validateTaintEffect } from './pod_spec_scheduling.js';
import { nodeRow } from './nodes_printer.js';
import { AGE_DESCRIPTION, NAME_DESCRIPTION } from './pods.js';

/** cidrFamily returns 4 or 6 for a valid CIDR ("10.42.0.0/24", "fd00::/64"), or 0. */
export function cidrFamily(cidr: string): 0 | 4 | 6 {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!m) return 0;
  const family = isIP(m[1] ?? '');
  const bits = Number(m[2]);
  if (family === 4 && bits <= 32 && !/(^|\.)0\d/.test(m[1] ?? '')) return 4;
  if (family === 6 && bits <= 128) return 6;
  return 0;
}

function validatePodCIDRs(spec: Record<string, unknown>): FieldError[] {
  const cidrs = arr(spec, 'podCIDRs');
  const errs: FieldError[] = [];
  const families: number[] = [];
  cidrs.forEach((c, i) => {
    const f = typeof c === 'string' ? cidrFamily(c) : 0;
    if (f === 0) errs.push(fieldErr.invalid(`spec.podCIDRs[${i}]`, c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
    families.push(f);
  });
  if (!errs.length && (cidrs.length > 2 || (cidrs.length === 2 && families[0] === families[1]))) {
    errs.push(fieldErr.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
  }
  return errs;
}

/** validateTaints checks node taints: qualified key, label-value value, required supported effect, unique key+effect. */
export function validateTaints(taints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  arr(taints).forEach((raw, i) => {
    const p = `${path}[${i}]`;
    const t = isObject(raw) ? raw : {};
    const key = typeof t['key'] === 'string' ? t['key'] : '';
    const value = typeof t['value'] === 'string' ? t['value'] : '';
    for (const m of isQualifiedName(key)) errs.push(fieldErr.invalid(`${p}.key`, key, m));
    const vm = isValidLabelValue(value);
    if (vm.length) errs.push(fieldErr.invalid(`${p}.value`, value, vm.join(';')));
    errs.push(...validateTaintEffect(t['effect'], false, `${p}.effect`));
    const id = `${String(t['effect'])}\u0000${key}`;
    if (seen.has(id)) errs.push({ ...fieldErr.duplicate(p, t), detail: 'taints must be unique by key and effect pair' });
    seen.add(id);
  });
  return errs;
}

function validateNodeUpdate(spec: unknown, oldSpec: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const oldCIDRs = arr(oldSpec, 'podCIDRs');
  const cidrs = arr(spec, 'podCIDRs');
  if (oldCIDRs.length > 0 && (oldCIDRs.length !== cidrs.length || oldCIDRs.some((c, i) => c !== cidrs[i]))) {
    errs.push(fieldErr.forbidden('spec.podCIDRs', 'may not change once set'));
  }
  const oldProvider = str(oldSpec, 'providerID') ?? '';
  if (oldProvider && oldProvider !== (str(spec, 'providerID') ?? '')) {
    errs.push(fieldErr.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

const col = (name: string, description: string, priority: 0 | 1 = 0, format = ''): TableColumn => ({ name, type: 'string', format, description, priority });

/** nodeColumns are the node printer's column definitions. */
export const nodeColumns: TableColumn[] = [
  col('Name', NAME_DESCRIPTION, 0, 'name'),
  col('Status', 'The status of the node'),
  col('Roles', 'The roles of the node'),
  col('Age', AGE_DESCRIPTION),
  col('Version', 'Kubelet Version reported by the node.'),
  col('Internal-IP', 'List of addresses reachable to the node.', 1),
  col('External-IP', 'List of addresses reachable to the node.', 1),
  col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
  col('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
  col('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
];

/** defaultNode syncs spec.podCIDR with spec.podCIDRs[0] (v1 carries both) and defaults status.allocatable to capacity. */
function defaultNode(obj: KubeObject): void {
  const spec = ensureObj(obj, 'spec');
  const cidr = spec['podCIDR'];
  const cidrs = arr(spec, 'podCIDRs');
  if (typeof cidr === 'string' && cidr !== '' && cidrs.length === 0) spec['podCIDRs'] = [cidr];
  else if (cidrs.length > 0 && !cidr) spec['podCIDR'] = cidrs[0];
  const status = obj['status'];
  if (isObject(status) && isObject(status['capacity']) && status['allocatable'] === undefined) {
    status['allocatable'] = structuredClone(status['capacity']);
  }
}

/** nodes is the core/v1 Node resource type. */
export const nodes: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: true,
  tracksGeneration: false,
  subresources: ['proxy'],
  defaults: defaultNode,
  validate(obj, old) {
    // ObjectMeta is validated generically by the API server.
    const spec = isObject(obj['spec']) ? obj['spec'] : {};
    const errs = [...validatePodCIDRs(spec), ...validateTaints(spec['taints'], 'spec.taints')];
    if (old) errs.push(...validateNodeUpdate(spec, old['spec']));
    return errs;
  },
  prepareForUpdate(obj, old) {
    obj['status'] = structuredClone(old['status']);
  },
  columns: nodeColumns,
  row: nodeRow,
  fieldLabels(obj) {
    return { 'spec.unschedulable': isObject(obj['spec']) && obj['spec']['unschedulable'] === true ? 'true' : 'false' };
  },
};
