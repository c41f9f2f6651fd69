import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isObject, type JsonObject } from '../../api/types.js';
import { fieldErrorMessage, type FieldError } from '../../api/field_errors.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../api/validation/names.js';
import { LATEST, parseLevel, parseVersion, type Policy } from './level.js';

/** PodSecurityConfiguration is pod-security.admission.config.k8s.io/v1 PodSecurityConfiguration, resolved. */
export interface PodSecurityConfiguration {
  /** defaults apply to namespaces whose labels leave a mode unset. */
  defaults: Policy;
  exemptions: { usernames: string[]; namespaces: string[]; runtimeClasses: string[] };
}

/** DEFAULT_CONFIGURATION is upstream's (and k3s's, with no file): everything privileged:latest, no exemptions. */
export const DEFAULT_CONFIGURATION: PodSecurityConfiguration = {
  defaults: {
    enforce: { level: 'privileged', version: LATEST },
    audit: { level: 'privileged', version: LATEST },
    warn: { level: 'privileged', version: LATEST },
  },
  exemptions: { usernames: [], namespaces: [], runtimeClasses: [] },
};

const CONFIG_GROUP = 'pod-security.admission.config.k8s.io';
const CONFIG_VERSIONS = ['v1', 'v1beta1', 'v1alpha1'];
const ADMISSION_API_VERSIONS = ['apiserver.config.k8s.io/v1', 'apiserver.config.k8s.io/v1alpha1', 'apiserver.k8s.io/v1alpha1'];

function strings(obj: JsonObject | undefined, key: string, path: string, errs: FieldError[]): string[] {
  const v = obj?.[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    errs.push({ type: 'FieldValueInvalid', field: path, badValue: v, detail: 'must be a list of strings' });
    return [];
  }
  return v as string[];
}

function checkList(items: string[], path: string, problems: (s: string) => string[], errs: FieldError[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const p = problems(item);
    if (item === '') errs.push({ type: 'FieldValueRequired', field: `${path}[${i}]` });
    else if (p.length) errs.push({ type: 'FieldValueInvalid', field: `${path}[${i}]`, badValue: item, detail: p.join(', ') });
    else if (seen.has(item)) errs.push({ type: 'FieldValueDuplicate', field: `${path}[${i}]`, badValue: item });
    seen.add(item);
  });
}

/**
 * parsePodSecurityConfiguration decodes and validates a PodSecurityConfiguration object (any of
 * v1, v1beta1, v1alpha1), defaulting unset levels to privileged and versions to latest; it throws
 * an Error listing every problem as upstream's validation words them.
 */
export function parsePodSecurityConfiguration(obj: unknown): PodSecurityConfiguration {
  if (obj === undefined || obj === null) return DEFAULT_CONFIGURATION;
  if (!isObject(obj)) throw new Error('PodSecurity configuration: expected an object');
  const apiVersion = String(obj.apiVersion ?? '');
  if (obj.kind !== 'PodSecurityConfiguration' || !CONFIG_VERSIONS.some((v) => apiVersion === `${CONFIG_GROUP}/${v}`)) {
    throw new Error(`PodSecurity configuration: want kind PodSecurityConfiguration of ${CONFIG_VERSIONS.map((v) => `${CONFIG_GROUP}/${v}`).join(', ')}; got kind ${JSON.stringify(obj.kind ?? '')} of ${JSON.stringify(apiVersion)}`);
  }
  const errs: FieldError[] = [];
  const defaults = isObject(obj.defaults) ? obj.defaults : undefined;
  const policy = structuredClone(DEFAULT_CONFIGURATION.defaults);
  for (const mode of ['enforce', 'audit', 'warn'] as const) {
    const level = defaults?.[mode];
    if (level !== undefined && level !== '') {
      const r = parseLevel(String(level));
      policy[mode].level = r.level;
      if (r.error) errs.push({ type: 'FieldValueInvalid', field: `defaults.${mode}`, badValue: level, detail: r.error });
    }
    const version = defaults?.[`${mode}-version`];
    if (version !== undefined && version !== '') {
      const r = parseVersion(String(version));
      policy[mode].version = r.version;
      if (r.error) errs.push({ type: 'FieldValueInvalid', field: `defaults.${mode}-version`, badValue: version, detail: r.error });
    }
  }
  const ex = isObject(obj.exemptions) ? obj.exemptions : undefined;
  const exemptions = {
    usernames: strings(ex, 'usernames', 'exemptions.usernames', errs),
    namespaces: strings(ex, 'namespaces', 'exemptions.namespaces', errs),
    runtimeClasses: strings(ex, 'runtimeClasses', 'exemptions.runtimeClasses', errs),
  };
  checkList(exemptions.namespaces, 'exemptions.namespaces', isDNS1123Label, errs);
  checkList(exemptions.runtimeClasses, 'exemptions.runtimeClasses', isDNS1123Subdomain, errs);
  checkList(exemptions.usernames, 'exemptions.usernames', () => [], errs);
  if (errs.length) throw new Error(`invalid PodSecurity configuration: ${errs.map((e) => fieldErrorMessage(e)).join(', ')}`);
  return { defaults: policy, exemptions };
}

/**
 * loadPodSecurityConfiguration reads the PodSecurity plugin's configuration from an
 * AdmissionConfiguration file (kube-apiserver's --admission-control-config-file, k3s's
 * --pod-security-admission-config-file): the PodSecurity entry's inline `configuration`, or the
 * file its `path` names (relative to the admission file). No entry means the defaults.
 */
export function loadPodSecurityConfiguration(file: string): PodSecurityConfiguration {
  const doc: unknown = parseYaml(readFileSync(file, 'utf8'));
  if (!isObject(doc) || doc.kind !== 'AdmissionConfiguration' || !ADMISSION_API_VERSIONS.includes(String(doc.apiVersion ?? ''))) {
    throw new Error(`${file}: want an AdmissionConfiguration (apiVersion ${ADMISSION_API_VERSIONS[0]}) with a PodSecurity plugin entry`);
  }
  const entry = (Array.isArray(doc.plugins) ? doc.plugins : []).find((p) => isObject(p) && p.name === 'PodSecurity');
  if (!isObject(entry)) return DEFAULT_CONFIGURATION;
  try {
    if (entry.configuration !== undefined) return parsePodSecurityConfiguration(entry.configuration);
    if (typeof entry.path === 'string' && entry.path) {
      return parsePodSecurityConfiguration(parseYaml(readFileSync(resolve(dirname(file), entry.path), 'utf8')));
    }
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  return DEFAULT_CONFIGURATION;
}
