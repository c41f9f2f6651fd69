import type {
  Container, ContainerMetadata, ContainerState, ContainerStatus, FilesystemUsage, Image, ImageSpec, Int64Value, Mount,
  MountPropagation, NamespaceMode, NamespaceOption, PodSandbox, PodSandboxMetadata, PodSandboxNetworkStatus, PodSandboxState,
  PodSandboxStatus,
} from './types.js';

/**
 * Readers turning decoded gRPC messages (camelCase objects; int64 as decimal strings; enums as
 * names; bytes as Buffer) into the typed shapes of ./types.ts. They never throw: absent or
 * mistyped fields read as proto3 defaults.
 */

/** Msg is a decoded message: a plain object of unknown fields. */
export type Msg = Record<string, unknown>;

/** asMsg narrows v to a message object, or undefined. */
export function asMsg(v: unknown): Msg | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v) ? (v as Msg) : undefined;
}

/** str reads a string field ('' by default). */
export function str(m: Msg | undefined, k: string): string {
  const v = m?.[k];
  return typeof v === 'string' ? v : '';
}

/** num reads a numeric field (int32, or int64/uint64 as string or number); 0 by default. */
export function num(m: Msg | undefined, k: string): number {
  const v = m?.[k];
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v !== '') return Number(v);
  return 0;
}

/** big reads an int64 field as bigint; 0n by default. */
export function big(m: Msg | undefined, k: string): bigint {
  const v = m?.[k];
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return 0n;
}

/** bool reads a bool field. */
export function bool(m: Msg | undefined, k: string): boolean {
  return m?.[k] === true;
}

/** bytes reads a bytes field as a Buffer (empty by default). */
export function bytes(m: Msg | undefined, k: string): Buffer {
  const v = m?.[k];
  return Buffer.isBuffer(v) ? v : v instanceof Uint8Array ? Buffer.from(v) : Buffer.alloc(0);
}

/** strs reads a repeated string field. */
export function strs(m: Msg | undefined, k: string): string[] {
  const v = m?.[k];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** msgs reads a repeated message field. */
export function msgs(m: Msg | undefined, k: string): Msg[] {
  const v = m?.[k];
  return Array.isArray(v) ? v.map(asMsg).filter((x): x is Msg => x !== undefined) : [];
}

/** strMap reads a map<string,string> field. */
export function strMap(m: Msg | undefined, k: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(asMsg(m?.[k]) ?? {})) if (typeof v === 'string') out[key] = v;
  return out;
}

function oneOf<T extends string>(v: string, allowed: readonly T[], dflt: T): T {
  return (allowed as readonly string[]).includes(v) ? (v as T) : dflt;
}

const sandboxStates = ['SANDBOX_READY', 'SANDBOX_NOTREADY'] as const;
const containerStates = ['CONTAINER_CREATED', 'CONTAINER_RUNNING', 'CONTAINER_EXITED', 'CONTAINER_UNKNOWN'] as const;
const nsModes = ['POD', 'CONTAINER', 'NODE', 'TARGET'] as const;
const propagations = ['PROPAGATION_PRIVATE', 'PROPAGATION_HOST_TO_CONTAINER', 'PROPAGATION_BIDIRECTIONAL'] as const;

function sandboxState(m: Msg): PodSandboxState {
  return oneOf(str(m, 'state'), sandboxStates, 'SANDBOX_NOTREADY');
}

function containerState(m: Msg): ContainerState {
  return oneOf(str(m, 'state'), containerStates, 'CONTAINER_UNKNOWN');
}

function sandboxMetadata(m: Msg | undefined): PodSandboxMetadata {
  return { name: str(m, 'name'), uid: str(m, 'uid'), namespace: str(m, 'namespace'), attempt: num(m, 'attempt') };
}

function containerMetadata(m: Msg | undefined): ContainerMetadata {
  return { name: str(m, 'name'), attempt: num(m, 'attempt') };
}

function imageSpec(m: Msg | undefined): ImageSpec {
  return { image: str(m, 'image'), annotations: strMap(m, 'annotations') };
}

function int64Value(m: Msg | undefined): Int64Value | undefined {
  return m === undefined ? undefined : { value: num(m, 'value') };
}

function namespaceOption(m: Msg | undefined): NamespaceOption | undefined {
  if (m === undefined) return undefined;
  const mode = (k: string): NamespaceMode => oneOf(str(m, k), nsModes, 'POD');
  return { network: mode('network'), pid: mode('pid'), ipc: mode('ipc'), targetId: str(m, 'targetId') };
}

function mount(m: Msg): Mount {
  const propagation: MountPropagation = oneOf(str(m, 'propagation'), propagations, 'PROPAGATION_PRIVATE');
  return { containerPath: str(m, 'containerPath'), hostPath: str(m, 'hostPath'), readonly: bool(m, 'readonly'), selinuxRelabel: bool(m, 'selinuxRelabel'), propagation };
}

/** decodePodSandbox reads a ListPodSandbox item. */
export function decodePodSandbox(m: Msg): PodSandbox {
  return {
    id: str(m, 'id'), metadata: sandboxMetadata(asMsg(m['metadata'])), state: sandboxState(m), createdAt: big(m, 'createdAt'),
    labels: strMap(m, 'labels'), annotations: strMap(m, 'annotations'), runtimeHandler: str(m, 'runtimeHandler'),
  };
}

/** decodePodSandboxStatus reads PodSandboxStatusResponse.status. */
export function decodePodSandboxStatus(m: Msg): PodSandboxStatus {
  const net = asMsg(m['network']);
  const network: PodSandboxNetworkStatus | undefined = net && {
    ip: str(net, 'ip'),
    additionalIps: msgs(net, 'additionalIps').map((p) => str(p, 'ip')),
  };
  const nsOpts = asMsg(asMsg(asMsg(m['linux'])?.['namespaces'])?.['options']);
  return {
    ...decodePodSandbox(m), network, namespaceOptions: namespaceOption(nsOpts),
  };
}

/** decodeContainer reads a ListContainers item. */
export function decodeContainer(m: Msg): Container {
  return {
    id: str(m, 'id'), podSandboxId: str(m, 'podSandboxId'), metadata: containerMetadata(asMsg(m['metadata'])),
    image: imageSpec(asMsg(m['image'])), imageRef: str(m, 'imageRef'), state: containerState(m), createdAt: big(m, 'createdAt'),
    labels: strMap(m, 'labels'), annotations: strMap(m, 'annotations'),
  };
}

/** decodeContainerStatus reads ContainerStatusResponse.status. */
export function decodeContainerStatus(m: Msg): ContainerStatus {
  return {
    id: str(m, 'id'), metadata: containerMetadata(asMsg(m['metadata'])), state: containerState(m),
    createdAt: big(m, 'createdAt'), startedAt: big(m, 'startedAt'), finishedAt: big(m, 'finishedAt'), exitCode: num(m, 'exitCode'),
    image: imageSpec(asMsg(m['image'])), imageRef: str(m, 'imageRef'), reason: str(m, 'reason'), message: str(m, 'message'),
    labels: strMap(m, 'labels'), annotations: strMap(m, 'annotations'), mounts: msgs(m, 'mounts').map(mount), logPath: str(m, 'logPath'),
  };
}

/** decodeImage reads an Image message. */
export function decodeImage(m: Msg): Image {
  return {
    id: str(m, 'id'), repoTags: strs(m, 'repoTags'), repoDigests: strs(m, 'repoDigests'), size: num(m, 'size'),
    uid: int64Value(asMsg(m['uid'])), username: str(m, 'username'), pinned: bool(m, 'pinned'),
  };
}

/** decodeFilesystemUsage reads an ImageFsInfo entry. */
export function decodeFilesystemUsage(m: Msg): FilesystemUsage {
  return {
    timestamp: big(m, 'timestamp'), mountpoint: str(asMsg(m['fsId']), 'mountpoint'),
    usedBytes: num(asMsg(m['usedBytes']), 'value'), inodesUsed: num(asMsg(m['inodesUsed']), 'value'),
  };
}
