import type { JsonObject } from '../../api/types.js';
import { ALLOWED, child, containers, forbidden, isWindowsPod, pluralize, podSecurityContext, sortedUnique, stringOf, joinQuote, type CheckResult, type PodMeta } from './check.js';

/*
 * Seccomp controls: baseline forbids unsafe profiles where set; restricted also requires one.
 * Policy versions before v1.19 read the alpha annotations instead of the securityContext field.
 */

const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function validAnnotation(v: string): boolean {
  return v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
}

function validType(t: string): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

function setterList(names: string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

/** seccompProfileBaseline1_0 checks the seccomp alpha annotations (policy v1.0 to v1.18). */
export function seccompProfileBaseline1_0(meta: PodMeta, spec: JsonObject): CheckResult {
  const bad: string[] = [];
  const podValue = meta.annotations[POD_ANNOTATION];
  if (podValue !== undefined && !validAnnotation(podValue)) bad.push(`${POD_ANNOTATION}=${JSON.stringify(podValue)}`);
  for (const c of containers(spec)) {
    const key = CONTAINER_ANNOTATION_PREFIX + c.name;
    const v = meta.annotations[key];
    if (v !== undefined && !validAnnotation(v)) bad.push(`${key}=${JSON.stringify(v)}`);
  }
  if (!bad.length) return ALLOWED;
  const list = sortedUnique(bad);
  return forbidden('seccompProfile', `forbidden ${pluralize('annotation', 'annotations', list.length)} ${list.join(', ')}`);
}

/** explicitSeccomp collects who sets seccompProfile.type to a value outside RuntimeDefault/Localhost. */
function explicitSeccomp(spec: JsonObject): { setters: string[]; values: string[]; podValid: boolean; unset: string[] } {
  const setters: string[] = [];
  const values: string[] = [];
  let podValid = false;
  const podProfile = child(podSecurityContext(spec), 'seccompProfile');
  if (podProfile) {
    if (validType(stringOf(podProfile, 'type'))) podValid = true;
    else {
      setters.push('pod');
      values.push(stringOf(podProfile, 'type'));
    }
  }
  const bad: string[] = [];
  const unset: string[] = [];
  for (const c of containers(spec)) {
    const profile = child(c.securityContext, 'seccompProfile');
    if (!profile) {
      unset.push(c.name);
    } else if (!validType(stringOf(profile, 'type'))) {
      bad.push(c.name);
      values.push(stringOf(profile, 'type'));
    }
  }
  if (bad.length) setters.push(setterList(bad));
  return { setters, values, podValid, unset };
}

function badTypeResult(setters: string[], values: string[]): CheckResult {
  return forbidden('seccompProfile', `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(values))}`);
}

/** seccompProfileBaseline1_19 forbids explicitly setting seccompProfile.type to anything but RuntimeDefault or Localhost. */
export function seccompProfileBaseline1_19(_meta: PodMeta, spec: JsonObject): CheckResult {
  const { setters, values } = explicitSeccomp(spec);
  return setters.length ? badTypeResult(setters, values) : ALLOWED;
}

/** seccompProfileRestricted1_19 also requires every container to get RuntimeDefault or Localhost (its own or the pod's). */
export function seccompProfileRestricted1_19(_meta: PodMeta, spec: JsonObject): CheckResult {
  const { setters, values, podValid, unset } = explicitSeccomp(spec);
  if (setters.length) return badTypeResult(setters, values);
  if (!podValid && unset.length) {
    return forbidden('seccompProfile', `pod or ${setterList(unset)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
  }
  return ALLOWED;
}

/** seccompProfileRestricted1_25 exempts Windows pods (whose API validation forbids seccomp). */
export function seccompProfileRestricted1_25(meta: PodMeta, spec: JsonObject): CheckResult {
  return isWindowsPod(spec) ? ALLOWED : seccompProfileRestricted1_19(meta, spec);
}
