import type { JsonObject } from '../../api/types.js';
import {
  ALLOWED,
  child,
  containers,
  forbidden,
  joinQuote,
  pluralize,
  podSecurityContext,
  podVolumes,
  sortedUnique,
  stringOf,
  stringsOf,
  type Check,
  type CheckResult,
  type PodMeta,
} from './check.js';
import { v1 } from './level.js';
import { seccompProfileBaseline1_0, seccompProfileBaseline1_19 } from './checks_seccomp.js';

/*
 * The baseline controls of the Pod Security Standards, as kube-apiserver 1.32's
 * k8s.io/pod-security-admission/policy/check_*.go words and versions them.
 */

/** containerSetter names the containers in a message: `container "a"` or `containers "a", "b"`. */
export function containerSetter(names: string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

/** goQuote renders a string as Go's %q does for ordinary text. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function appArmorAnnotationAllowed(v: string): boolean {
  return v === '' || v === 'runtime/default' || v.startsWith('localhost/');
}

function appArmorTypeAllowed(t: string): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

function appArmorProfile(meta: PodMeta, spec: JsonObject): CheckResult {
  const setters: string[] = [];
  const values = new Set<string>();
  const podProfile = child(podSecurityContext(spec), 'appArmorProfile');
  if (podProfile && !appArmorTypeAllowed(stringOf(podProfile, 'type'))) {
    setters.push('pod');
    values.add(stringOf(podProfile, 'type'));
  }
  const bad: string[] = [];
  for (const c of containers(spec)) {
    const profile = child(c.securityContext, 'appArmorProfile');
    if (profile && !appArmorTypeAllowed(stringOf(profile, 'type'))) {
      bad.push(c.name);
      values.add(stringOf(profile, 'type'));
    }
  }
  if (bad.length) setters.push(containerSetter(bad));
  const annotations = Object.entries(meta.annotations)
    .filter(([k, v]) => k.startsWith(APPARMOR_ANNOTATION_PREFIX) && !appArmorAnnotationAllowed(v))
    .map(([k, v]) => `${k}=${goQuote(v)}`)
    .sort();
  if (annotations.length) setters.push(pluralize('annotation', 'annotations', annotations.length));
  if (!setters.length) return ALLOWED;
  const all = [...sortedUnique(values), ...annotations];
  return forbidden(
    pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', all.length),
    `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(all)}`,
  );
}

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

function capabilitiesBaseline(_meta: PodMeta, spec: JsonObject): CheckResult {
  const bad: string[] = [];
  const caps: string[] = [];
  for (const c of containers(spec)) {
    const extra = stringsOf(child(c.securityContext, 'capabilities'), 'add').filter((cap) => !BASELINE_CAPABILITIES.has(cap));
    if (!extra.length) continue;
    bad.push(c.name);
    caps.push(...extra);
  }
  if (!bad.length) return ALLOWED;
  return forbidden('non-default capabilities', `${containerSetter(bad)} must not include ${joinQuote(sortedUnique(caps))} in securityContext.capabilities.add`);
}

function hostNamespaces(_meta: PodMeta, spec: JsonObject): CheckResult {
  const set = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => spec[k] === true).map((k) => `${k}=true`);
  return set.length ? forbidden('host namespaces', set.join(', ')) : ALLOWED;
}

function hostPathVolumes(_meta: PodMeta, spec: JsonObject): CheckResult {
  const names = podVolumes(spec).filter((v) => child(v, 'hostPath')).map((v) => stringOf(v, 'name'));
  if (!names.length) return ALLOWED;
  return forbidden('hostPath volumes', `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}`);
}

function hostPorts(_meta: PodMeta, spec: JsonObject): CheckResult {
  const bad: string[] = [];
  const ports: string[] = [];
  for (const c of containers(spec)) {
    const used = (Array.isArray(c.raw.ports) ? c.raw.ports : [])
      .map((p) => (typeof p === 'object' && p !== null ? (p as JsonObject).hostPort : undefined))
      .filter((hp) => hp !== undefined && hp !== null && hp !== 0);
    if (!used.length) continue;
    bad.push(c.name);
    ports.push(...used.map(String));
  }
  if (!bad.length) return ALLOWED;
  const list = [...new Set(ports)].sort();
  return forbidden(
    'hostPort',
    `${containerSetter(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`,
  );
}

function privileged(_meta: PodMeta, spec: JsonObject): CheckResult {
  const bad = containers(spec).filter((c) => c.securityContext?.privileged === true).map((c) => c.name);
  return bad.length ? forbidden('privileged', `${containerSetter(bad)} must not set securityContext.privileged=true`) : ALLOWED;
}

function procMount(_meta: PodMeta, spec: JsonObject): CheckResult {
  const bad: string[] = [];
  const types: string[] = [];
  for (const c of containers(spec)) {
    const pm = c.securityContext?.procMount;
    if (pm === undefined || pm === null || pm === 'Default') continue;
    bad.push(c.name);
    types.push(String(pm));
  }
  if (!bad.length) return ALLOWED;
  return forbidden('procMount', `${containerSetter(bad)} must not set securityContext.procMount to ${joinQuote(sortedUnique(types))}`);
}

const SELINUX_TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const SELINUX_TYPES_1_31 = [...SELINUX_TYPES_1_0, 'container_engine_t'];

function seLinuxOptions(allowedTypes: readonly string[]) {
  return (_meta: PodMeta, spec: JsonObject): CheckResult => {
    const badTypes = new Set<string>();
    let setUser = false;
    let setRole = false;
    const valid = (opts: JsonObject): boolean => {
      let ok = true;
      const t = stringOf(opts, 'type');
      if (!allowedTypes.includes(t)) {
        ok = false;
        badTypes.add(t);
      }
      if (stringOf(opts, 'user')) {
        ok = false;
        setUser = true;
      }
      if (stringOf(opts, 'role')) {
        ok = false;
        setRole = true;
      }
      return ok;
    };
    const setters: string[] = [];
    const podOpts = child(podSecurityContext(spec), 'seLinuxOptions');
    if (podOpts && !valid(podOpts)) setters.push('pod');
    const bad = containers(spec).filter((c) => {
      const opts = child(c.securityContext, 'seLinuxOptions');
      return opts !== undefined && !valid(opts);
    });
    if (bad.length) setters.push(containerSetter(bad.map((c) => c.name)));
    if (!setters.length) return ALLOWED;
    const data: string[] = [];
    if (badTypes.size) data.push(`${pluralize('type', 'types', badTypes.size)} ${joinQuote(sortedUnique(badTypes))}`);
    if (setUser) data.push('user may not be set');
    if (setRole) data.push('role may not be set');
    return forbidden('seLinuxOptions', `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`);
  };
}

const SYSCTLS_1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SYSCTLS_1_29 = [...SYSCTLS_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];

function sysctls(allowed: readonly string[]) {
  return (_meta: PodMeta, spec: JsonObject): CheckResult => {
    const list = podSecurityContext(spec)?.sysctls;
    const names = (Array.isArray(list) ? list : []).map((s) => stringOf(typeof s === 'object' && s !== null ? (s as JsonObject) : undefined, 'name'));
    const bad = names.filter((n) => !allowed.includes(n));
    return bad.length ? forbidden('forbidden sysctls', bad.join(', ')) : ALLOWED;
  };
}

function windowsHostProcess(_meta: PodMeta, spec: JsonObject): CheckResult {
  const hostProcess = (sc: JsonObject | undefined): boolean => child(sc, 'windowsOptions')?.hostProcess === true;
  const setters: string[] = [];
  if (hostProcess(podSecurityContext(spec))) setters.push('pod');
  const bad = containers(spec).filter((c) => hostProcess(c.securityContext)).map((c) => c.name);
  if (bad.length) setters.push(containerSetter(bad));
  if (!setters.length) return ALLOWED;
  return forbidden('hostProcess', `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`);
}

/** BASELINE_CHECKS are the baseline controls with their revisions by policy version. */
export const BASELINE_CHECKS: Check[] = [
  { id: 'appArmorProfile', level: 'baseline', versions: [{ minimumVersion: v1(0), checkPod: appArmorProfile }] },
  { id: 'capabilities_baseline', level: 'baseline', versions: [{ minimumVersion: v1(0), checkPod: capabilitiesBaseline }] },
  { id: 'hostNamespaces', level: 'baseline', versions: [{ minimumVersion: v1(0), checkPod: hostNamespaces }] },
  { id: 'hostPathVolumes', level: 'baseline', versions: [{ minimumVersion: v1(0), checkPod: hostPathVolumes }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ minimumVersion: v1(0), checkPod: hostPorts }] },
  { id: 'privileged', level: 'baseline', versions: [{ minimumVersion: v1(0), checkPod: privileged }] },
  { id: 'procMount', level: 'baseline', versions: [{ minimumVersion: v1(0), checkPod: procMount }] },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    versions: [
      { minimumVersion: v1(0), checkPod: seLinuxOptions(SELINUX_TYPES_1_0) },
      { minimumVersion: v1(31), checkPod: seLinuxOptions(SELINUX_TYPES_1_31) },
    ],
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    versions: [
      { minimumVersion: v1(0), checkPod: seccompProfileBaseline1_0 },
      { minimumVersion: v1(19), checkPod: seccompProfileBaseline1_19 },
    ],
  },
  {
    id: 'sysctls',
    level: 'baseline',
    versions: [
      { minimumVersion: v1(0), checkPod: sysctls(SYSCTLS_1_0) },
      { minimumVersion: v1(27), checkPod: sysctls(SYSCTLS_1_27) },
      { minimumVersion: v1(29), checkPod: sysctls(SYSCTLS_1_29) },
      { minimumVersion: v1(32), checkPod: sysctls(SYSCTLS_1_32) },
    ],
  },
  { id: 'windowsHostProcess', level: 'baseline', versions: [{ minimumVersion: v1(0), checkPod: windowsHostProcess }] },
];
