/** PodSpec and PodTemplateSpec defaulting and validation, shared by Pods and every workload template. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { validateLabels } from '../../labels/validation.js';
import { arr } from '../../object.js';
import { isObject, type JsonObject } from '../../types.js';
import { validateAnnotations } from '../../validation/meta.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../validation/names.js';
import { validateAllContainers } from './pod_spec_containers.js';
import { validateEphemeralContainers } from './pod_spec_ephemeral.js';
import { validateAffinity, validateNodeSelector, validateTolerations } from './pod_spec_scheduling.js';
import { validateVolumes } from './pod_spec_volumes.js';

export { defaultPodSpec, defaultPodTemplateSpec, defaultContainer, defaultVolume, imageTag } from './pod_spec_defaults.js';
export { isValidPortName, isValidPortNum, SUPPORTED_PORT_PROTOCOLS } from './pod_spec_ports.js';
export { validateTolerations, validateTaintEffect, TAINT_EFFECTS } from './pod_spec_scheduling.js';
export { parseQuantity, formatQuantity } from './quantity.js';

/** RESTART_POLICIES are the pod restart policies in upstream's order. */
export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
/** DNS_POLICIES are the pod DNS policies in upstream's (sorted) order. */
export const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];

/** PodSpecOptions: isTemplate marks a workload template (no pod-only checks). */
export interface PodSpecOptions {
  isTemplate?: boolean;
}

function validateEnum(spec: JsonObject, key: string, valid: string[], path: string): FieldError[] {
  const v = spec[key];
  if (v === undefined || v === '') return [fieldErr.required(`${path}.${key}`)];
  return valid.includes(String(v)) ? [] : [fieldErr.notSupported(`${path}.${key}`, v, valid)];
}

function validateNames(spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const checks: [string, (v: string) => string[]][] = [
    ['serviceAccountName', isDNS1123Subdomain],
    ['nodeName', isDNS1123Subdomain],
    ['hostname', isDNS1123Label],
    ['subdomain', isDNS1123Label],
    ['priorityClassName', isDNS1123Subdomain],
  ];
  for (const [key, check] of checks) {
    const v = spec[key];
    if (typeof v === 'string' && v !== '') for (const m of check(v)) errs.push(fieldErr.invalid(`${path}.${key}`, v, m));
  }
  return errs;
}

function validateDNS(spec: JsonObject, path: string): FieldError[] {
  if (spec['dnsPolicy'] !== 'None') return [];
  const cfg = spec['dnsConfig'];
  if (!isObject(cfg)) return [fieldErr.required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None')];
  const ns = cfg['nameservers'];
  if (!Array.isArray(ns) || ns.length === 0) {
    return [fieldErr.required(`${path}.dnsConfig.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  return [];
}

function validateNumbers(spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ads = spec['activeDeadlineSeconds'];
  if (ads !== undefined && ads !== null && !(typeof ads === 'number' && ads >= 1 && ads <= 2147483647)) {
    errs.push(fieldErr.invalid(`${path}.activeDeadlineSeconds`, ads, 'must be between 1 and 2147483647, inclusive'));
  }
  return errs;
}

/** validatePodSpec validates a (defaulted) PodSpec at path; errors carry upstream's field paths and types. */
export function validatePodSpec(spec: unknown, path: string, _opts: PodSpecOptions = {}): FieldError[] {
  if (!isObject(spec)) return [fieldErr.required(`${path}.containers`)];
  const vols = validateVolumes(spec['volumes'], `${path}.volumes`);
  return [
    ...vols.errs,
    ...validateAllContainers(spec, path, vols.names),
    ...validateEphemeralContainers(spec, `${path}.ephemeralContainers`, vols.names),
    ...validateEnum(spec, 'restartPolicy', RESTART_POLICIES, path),
    ...validateEnum(spec, 'dnsPolicy', DNS_POLICIES, path),
    ...validateNodeSelector(spec['nodeSelector'], `${path}.nodeSelector`),
    ...validateNames(spec, path),
    ...validateNumbers(spec, path),
    ...validateAffinity(spec['affinity'], `${path}.affinity`),
    ...validateTolerations(spec['tolerations'], `${path}.tolerations`),
    ...validateDNS(spec, path),
  ];
}

/** validatePodTemplateSpec validates a template's metadata labels/annotations and its spec (at `${path}.metadata` / `${path}.spec`). */
export function validatePodTemplateSpec(tpl: unknown, path: string): FieldError[] {
  const t = isObject(tpl) ? tpl : {};
  const meta = isObject(t['metadata']) ? t['metadata'] : {};
  return [
    ...validateLabels(meta['labels'], `${path}.metadata.labels`),
    ...validateAnnotations(meta['annotations'], `${path}.metadata.annotations`),
    ...validatePodSpec(t['spec'], `${path}.spec`, { isTemplate: true }),
    ...(arr(t['spec'], 'ephemeralContainers').length ? [fieldErr.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template')] : []),
  ];
}
