import { mkdir, realpath } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import type { KubeObject } from '../../../api/types.js';
import { arr, field, num, objAt, str } from '../../../api/object.js';
import type { ContainerConfig, KeyValue, LinuxContainerSecurityContext, Mount, MountPropagation, NamespaceOption } from '../../cri/types.js';
import { expandCommand } from './env.js';
import { expandVars } from './expand.js';
import { ANNOTATION_RESTART_COUNT, containerLogPath, LABEL_CONTAINER_NAME, LABEL_NODE, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID } from './names.js';
import { containerResources } from './resources.js';
import { VolumeError } from './volume_sources.js';
import type { MountSource } from './volumes.js';

/** Paths the runtime masks and makes read-only in unprivileged containers, as the kubelet's default /proc mount does. */
const MASKED_PATHS = ['/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap'];
const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

const propagation: Record<string, MountPropagation> = { None: 'PROPAGATION_PRIVATE', HostToContainer: 'PROPAGATION_HOST_TO_CONTAINER', Bidirectional: 'PROPAGATION_BIDIRECTIONAL' };

/**
 * containerMounts turns volumeMounts into CRI mounts: the volume's host path (plus subPath or the
 * env-expanded subPathExpr, created when missing), readOnly (the mount's, or the volume's for
 * read-only claims) and propagation; plus the pod's managed /etc/hosts when given and the
 * container does not mount its own.
 */
export async function containerMounts(container: unknown, volumePaths: Map<string, MountSource>, env: KeyValue[], etcHosts: string | undefined): Promise<Mount[]> {
  const mounts: Mount[] = [];
  const vars = new Map(env.map((kv) => [kv.key, kv.value]));
  for (const vm of arr(container, 'volumeMounts')) {
    const name = str(vm, 'name') ?? '';
    const source = volumePaths.get(name);
    if (source === undefined) throw new VolumeError(`unable to find volume "${name}"`);
    const base = source.path;
    const expr = str(vm, 'subPathExpr');
    const sub = expr !== undefined ? expandVars(expr, (n) => vars.get(n)) : (str(vm, 'subPath') ?? '');
    if (sub.split('/').includes('..') || sub.startsWith('/')) throw new VolumeError(`invalid subpath "${sub}"`);
    let hostPath = base;
    if (sub) {
      hostPath = normalize(join(base, sub));
      // Checked before the folders are made too, so a symlink cannot have them made outside the volume.
      await checkWithin(base, hostPath);
      await mkdir(hostPath, { recursive: true, mode: 0o755 }).catch(() => undefined);
      await checkWithin(base, hostPath);
    }
    const m: Mount = { containerPath: str(vm, 'mountPath') ?? '', hostPath, readonly: source.readOnly || field(vm, 'readOnly') === true };
    const p = propagation[str(vm, 'mountPropagation') ?? 'None'];
    if (p) m.propagation = p;
    mounts.push(m);
  }
  if (etcHosts && !mounts.some((m) => m.containerPath === '/etc/hosts')) mounts.push({ containerPath: '/etc/hosts', hostPath: etcHosts, readonly: false });
  return mounts;
}

/** realExisting resolves the deepest existing folder of path through symlinks (path itself when none resolves). */
async function realExisting(path: string): Promise<string> {
  for (let p = path; ; p = dirname(p)) {
    const real = await realpath(p).catch(() => undefined);
    if (real !== undefined) return real;
    if (dirname(p) === p) return path;
  }
}

/** checkWithin refuses a subPath that a symlink inside the volume (written by an earlier pod) leads out of it. */
async function checkWithin(base: string, path: string): Promise<void> {
  const [root, real] = await Promise.all([realpath(base).catch(() => base), realExisting(path)]);
  if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep)) throw new VolumeError(`subpath "${path}" not within volume path "${base}"`);
}

/** securityContext merges the pod's and the container's security contexts (the container's wins) into CRI's. */
export function securityContext(pod: KubeObject, container: unknown, ns: NamespaceOption): LinuxContainerSecurityContext {
  const psc = objAt(pod, 'spec', 'securityContext');
  const csc = objAt(container, 'securityContext');
  const pick = (k: string): number | undefined => num(csc, k) ?? num(psc, k);
  const privileged = field(csc, 'privileged') === true;
  const sc: LinuxContainerSecurityContext = { namespaceOptions: ns, privileged };
  const user = pick('runAsUser');
  const group = pick('runAsGroup');
  if (user !== undefined) sc.runAsUser = { value: user };
  if (group !== undefined) sc.runAsGroup = { value: group };
  const groups = [...arr(psc, 'supplementalGroups'), num(psc, 'fsGroup')].filter((g): g is number => typeof g === 'number');
  if (groups.length) sc.supplementalGroups = groups;
  const add = arr(csc, 'capabilities', 'add').filter((c): c is string => typeof c === 'string');
  const drop = arr(csc, 'capabilities', 'drop').filter((c): c is string => typeof c === 'string');
  if (add.length || drop.length) sc.capabilities = { addCapabilities: add, dropCapabilities: drop };
  if (field(csc, 'readOnlyRootFilesystem') === true) sc.readonlyRootfs = true;
  if (field(csc, 'allowPrivilegeEscalation') === false) sc.noNewPrivs = true;
  if (!privileged && str(csc, 'procMount') !== 'Unmasked') {
    sc.maskedPaths = MASKED_PATHS;
    sc.readonlyPaths = READONLY_PATHS;
  }
  return sc;
}

/** ContainerInputs are what a container config is built from besides the pod and the container spec. */
export interface ContainerInputs {
  restartCount: number;
  env: KeyValue[];
  mounts: Mount[];
  namespaceOptions: NamespaceOption;
  nodeName: string;
  nodeMemoryBytes: number;
}

/** buildContainerConfig returns the CreateContainer config of one container instance (attempt = restartCount). */
export function buildContainerConfig(pod: KubeObject, container: unknown, in_: ContainerInputs): ContainerConfig {
  const name = str(container, 'name') ?? '';
  const meta = pod.metadata;
  const cfg: ContainerConfig = {
    metadata: { name, attempt: in_.restartCount },
    image: { image: str(container, 'image') ?? '' },
    command: expandCommand(arr(container, 'command'), in_.env),
    args: expandCommand(arr(container, 'args'), in_.env),
    envs: in_.env,
    mounts: in_.mounts,
    labels: { [LABEL_CONTAINER_NAME]: name, [LABEL_POD_NAME]: meta.name ?? '', [LABEL_POD_NAMESPACE]: meta.namespace ?? '', [LABEL_POD_UID]: meta.uid ?? '', [LABEL_NODE]: in_.nodeName },
    annotations: { [ANNOTATION_RESTART_COUNT]: String(in_.restartCount), 'io.kubernetes.pod.terminationGracePeriod': String(num(pod, 'spec', 'terminationGracePeriodSeconds') ?? 30) },
    logPath: containerLogPath(name, in_.restartCount),
    stdin: field(container, 'stdin') === true,
    stdinOnce: field(container, 'stdinOnce') === true,
    tty: field(container, 'tty') === true,
    linux: { resources: containerResources(pod, container, in_.nodeMemoryBytes), securityContext: securityContext(pod, container, in_.namespaceOptions) },
  };
  const wd = str(container, 'workingDir');
  if (wd) cfg.workingDir = wd;
  return cfg;
}

/** etcHostsContent is the kubelet-managed /etc/hosts of a pod: localhost lines, the pod's own name, hostAliases. */
export function etcHostsContent(pod: KubeObject, podIP: string, clusterDomain: string): string {
  const lines = ['# Kubernetes-managed hosts file.', '127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', 'fe00::0\tip6-localnet', 'fe00::0\tip6-mcastprefix', 'fe00::1\tip6-allnodes', 'fe00::2\tip6-allrouters'];
  const hostname = (str(pod, 'spec', 'hostname') ?? pod.metadata.name ?? '').slice(0, 63);
  const subdomain = str(pod, 'spec', 'subdomain');
  if (podIP) lines.push(subdomain ? `${podIP}\t${hostname}.${subdomain}.${pod.metadata.namespace ?? ''}.svc.${clusterDomain}\t${hostname}` : `${podIP}\t${hostname}`);
  const aliases = arr(pod, 'spec', 'hostAliases');
  if (aliases.length) {
    lines.push('', '# Entries added by HostAliases.');
    for (const a of aliases) lines.push(`${str(a, 'ip') ?? ''}\t${arr(a, 'hostnames').join('\t')}`);
  }
  return lines.join('\n') + '\n';
}
