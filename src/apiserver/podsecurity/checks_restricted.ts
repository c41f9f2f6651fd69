import type { JsonObject } from '../../api/types.js';
import {
  ALLOWED,
  child,
  containers,
  forbidden,
  isWindowsPod,
  joinQuote,
  pluralize,
  podSecurityContext,
  podVolumes,
  sortedUnique,
  stringOf,
  stringsOf,
  type Check,
  type CheckPodFn,
  type CheckResult,
  type PodMeta,
} from './check.js';
import { containerSetter } from './checks_baseline.js';
import { seccompProfileRestricted1_19, seccompProfileRestricted1_25 } from './checks_seccomp.js';
import { v1 } from './level.js';

/*
 * The restricted controls (evaluated on top of baseline), as kube-apiserver 1.32's
 * k8s.io/pod-security-admission/policy/check_*.go words and versions them.
 */

/** linuxOnly skips a check for Windows pods, as the v1.25 revisions of Linux-only checks do. */
function linuxOnly(check: CheckPodFn): CheckPodFn {
  return (meta, spec) => (isWindowsPod(spec) ? ALLOWED : check(meta, spec));
}

function allowPrivilegeEscalation(_meta: PodMeta, spec: JsonObject): CheckResult {
  const bad = containers(spec).filter((c) => c.securityContext?.allowPrivilegeEscalation !== false).map((c) => c.name);
  if (!bad.length) return ALLOWED;
  return forbidden('allowPrivilegeEscalation != false', `${containerSetter(bad)} must set securityContext.allowPrivilegeEscalation=false`);
}

function capabilitiesRestricted(_meta: PodMeta, spec: JsonObject): CheckResult {
  const missingDropAll: string[] = [];
  const adding: string[] = [];
  const caps: string[] = [];
  for (const c of containers(spec)) {
    const capabilities = child(c.securityContext, 'capabilities');
    if (!stringsOf(capabilities, 'drop').includes('ALL')) missingDropAll.push(c.name);
    const extra = stringsOf(capabilities, 'add').filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (extra.length) {
      adding.push(c.name);
      caps.push(...extra);
    }
  }
  const details: string[] = [];
  if (missingDropAll.length) details.push(`${containerSetter(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  if (adding.length) details.push(`${containerSetter(adding)} must not include ${joinQuote(sortedUnique(caps))} in securityContext.capabilities.add`);
  return details.length ? forbidden('unrestricted capabilities', details.join('; ')) : ALLOWED;
}

/** ALLOWED_VOLUME_SOURCES are the volume types restricted pods may use (1.32: no `image`). */
const ALLOWED_VOLUME_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/** RESTRICTED_VOLUME_SOURCES are the other volume types, in the order upstream looks for them. */
const RESTRICTED_VOLUME_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder',
  'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
];

function restrictedVolumes(_meta: PodMeta, spec: JsonObject): CheckResult {
  const bad: string[] = [];
  const types = new Set<string>();
  for (const v of podVolumes(spec)) {
    if (ALLOWED_VOLUME_SOURCES.some((k) => child(v, k))) continue;
    bad.push(stringOf(v, 'name'));
    types.add(RESTRICTED_VOLUME_SOURCES.find((k) => child(v, k)) ?? 'unknown');
  }
  if (!bad.length) return ALLOWED;
  return forbidden(
    'restricted volume types',
    `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', types.size)} ${joinQuote(sortedUnique(types))}`,
  );
}

function runAsNonRoot(_meta: PodMeta, spec: JsonObject): CheckResult {
  const setters: string[] = [];
  const podValue = podSecurityContext(spec)?.runAsNonRoot;
  if (podValue === false) setters.push('pod');
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  for (const c of containers(spec)) {
    const v = c.securityContext?.runAsNonRoot;
    if (typeof v === 'boolean') {
      if (!v) explicitlyBad.push(c.name);
    } else if (podValue !== true) {
      implicitlyBad.push(c.name);
    }
  }
  if (explicitlyBad.length) setters.push(containerSetter(explicitlyBad));
  if (setters.length) return forbidden('runAsNonRoot != true', `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false`);
  if (implicitlyBad.length) return forbidden('runAsNonRoot != true', `pod or ${containerSetter(implicitlyBad)} must set securityContext.runAsNonRoot=true`);
  return ALLOWED;
}

function runAsUser(_meta: PodMeta, spec: JsonObject): CheckResult {
  const setters: string[] = [];
  if (podSecurityContext(spec)?.runAsUser === 0) setters.push('pod');
  const bad = containers(spec).filter((c) => c.securityContext?.runAsUser === 0).map((c) => c.name);
  if (bad.length) setters.push(containerSetter(bad));
  return setters.length ? forbidden('runAsUser=0', `${setters.join(' and ')} must not set runAsUser=0`) : ALLOWED;
}

/** RESTRICTED_CHECKS are the restricted controls with their revisions and the baseline checks they replace. */
export const RESTRICTED_CHECKS: Check[] = [
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    versions: [
      { minimumVersion: v1(8), checkPod: allowPrivilegeEscalation },
      { minimumVersion: v1(25), checkPod: linuxOnly(allowPrivilegeEscalation) },
    ],
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    versions: [
      { minimumVersion: v1(22), checkPod: capabilitiesRestricted, overrides: ['capabilities_baseline'] },
      { minimumVersion: v1(25), checkPod: linuxOnly(capabilitiesRestricted), overrides: ['capabilities_baseline'] },
    ],
  },
  { id: 'restrictedVolumes', level: 'restricted', versions: [{ minimumVersion: v1(0), checkPod: restrictedVolumes, overrides: ['hostPathVolumes'] }] },
  { id: 'runAsNonRoot', level: 'restricted', versions: [{ minimumVersion: v1(0), checkPod: runAsNonRoot }] },
  { id: 'runAsUser', level: 'restricted', versions: [{ minimumVersion: v1(23), checkPod: runAsUser }] },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    versions: [
      { minimumVersion: v1(19), checkPod: seccompProfileRestricted1_19, overrides: ['seccompProfile_baseline'] },
      { minimumVersion: v1(25), checkPod: seccompProfileRestricted1_25, overrides: ['seccompProfile_baseline'] },
    ],
  },
];
