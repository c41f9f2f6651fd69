import { isObject, type JsonObject } from '../../api/types.js';
import type { Level, MinorVersion } from './level.js';

/**
 * CheckResult is one check's verdict on one pod: forbiddenReason is short ("host namespaces"),
 * forbiddenDetail names what is wrong ("hostNetwork=true"), as upstream's policy.CheckResult.
 */
export interface CheckResult {
  allowed: boolean;
  forbiddenReason?: string;
  forbiddenDetail?: string;
}

/** PodMeta is the metadata of a pod or pod template (labels and annotations are what checks read). */
export interface PodMeta {
  annotations: Record<string, string>;
}

/** CheckPodFn judges a pod's metadata and spec (both raw JSON, read defensively). */
export type CheckPodFn = (meta: PodMeta, spec: JsonObject) => CheckResult;

/** VersionedCheck is one revision of a check, applying from minimumVersion on. */
export interface VersionedCheck {
  minimumVersion: MinorVersion;
  checkPod: CheckPodFn;
}

/**
 * Check is one control of the Pod Security Standards. A restricted check may override baseline
 * checks (by id) at the versions where that revision applies: restricted evaluates it instead.
 */
export interface Check {
  id: string;
  level: Exclude<Level, 'privileged'>;
  versions: (VersionedCheck & { overrides?: string[] })[];
}

/** ALLOWED is the verdict of a check that found nothing wrong. */
export const ALLOWED: CheckResult = { allowed: true };

/** forbidden makes a failed check's verdict. */
export function forbidden(reason: string, detail: string): CheckResult {
  return { allowed: false, forbiddenReason: reason, forbiddenDetail: detail };
}

/** joinQuote quotes each item and joins them with commas: `"a", "b"`. */
export function joinQuote(items: readonly string[]): string {
  return items.length ? `"${items.join('", "')}"` : '';
}

/** pluralize picks the singular form for a count of one. */
export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** sortedUnique returns the distinct strings in sort order (Go's sets.String.List()). */
export function sortedUnique(items: Iterable<string>): string[] {
  return [...new Set(items)].sort();
}

/** Container is the part of a container, init container or ephemeral container the checks read. */
export interface Container {
  name: string;
  raw: JsonObject;
  securityContext: JsonObject | undefined;
}

function containersAt(spec: JsonObject, key: string): Container[] {
  const list = spec[key];
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((c) => ({
    name: typeof c.name === 'string' ? c.name : '',
    raw: c,
    securityContext: isObject(c.securityContext) ? c.securityContext : undefined,
  }));
}

/** containers lists init containers, then containers, then ephemeral containers, as upstream visits them. */
export function containers(spec: JsonObject): Container[] {
  return [...containersAt(spec, 'initContainers'), ...containersAt(spec, 'containers'), ...containersAt(spec, 'ephemeralContainers')];
}

/** podSecurityContext is spec.securityContext when it is an object. */
export function podSecurityContext(spec: JsonObject): JsonObject | undefined {
  return isObject(spec.securityContext) ? spec.securityContext : undefined;
}

/** child returns obj[key] when it is an object. */
export function child(obj: JsonObject | undefined, key: string): JsonObject | undefined {
  const v = obj?.[key];
  return isObject(v) ? v : undefined;
}

/** stringOf returns obj[key] as a string: '' when absent, other scalars as their text. */
export function stringOf(obj: JsonObject | undefined, key: string): string {
  const v = obj?.[key];
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** stringsOf returns obj[key] as a list of strings (non-strings rendered as text). */
export function stringsOf(obj: JsonObject | undefined, key: string): string[] {
  const v = obj?.[key];
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [];
}

/** isWindowsPod tells whether spec.os.name is windows (restricted's Linux-only checks skip those from v1.25). */
export function isWindowsPod(spec: JsonObject): boolean {
  return child(spec, 'os')?.name === 'windows';
}

/** podVolumes lists spec.volumes (objects only). */
export function podVolumes(spec: JsonObject): JsonObject[] {
  const v = spec.volumes;
  return Array.isArray(v) ? v.filter(isObject) : [];
}
