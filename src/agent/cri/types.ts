/**
 * Plain TypeScript shapes of the CRI v1 (runtime.v1) messages the agent uses, named after CRI's own
 * messages and fields (camelCase). Optional fields may be left out; the gRPC client fills proto3
 * defaults. Timestamps are nanoseconds since the epoch as bigint (CRI's int64 `*_at` fields).
 */

/** KeyValue is CRI's KeyValue (environment variables). */
export interface KeyValue {
  key: string;
  value: string;
}

/** PodSandboxMetadata names a sandbox: the pod's name, namespace and uid, plus a restart attempt. */
export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt?: number;
}

/** ContainerMetadata names a container inside its sandbox. */
export interface ContainerMetadata {
  name: string;
  attempt?: number;
}

/** Protocol of a port mapping. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** PortMapping is a container port published on the host (hostPort). */
export interface PortMapping {
  protocol?: Protocol;
  containerPort: number;
  hostPort?: number;
  hostIp?: string;
}

/** MountPropagation of a Mount. */
export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';

/** Mount is a host path bind-mounted into a container. */
export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  selinuxRelabel?: boolean;
  propagation?: MountPropagation;
}

/** NamespaceMode says whose namespace a pod or container uses: POD (own), CONTAINER, NODE (host), TARGET. */
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';

/** NamespaceOption selects the network, pid and ipc namespaces. */
export interface NamespaceOption {
  network?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
  targetId?: string;
}

/** Int64Value wraps an optional int64 (uid/gid) the way CRI does. */
export interface Int64Value {
  value: number;
}

/** Capability adds or drops Linux capabilities (names without CAP_, e.g. NET_ADMIN; "ALL"). */
export interface Capability {
  addCapabilities?: string[];
  dropCapabilities?: string[];
}

/** LinuxSandboxSecurityContext is the sandbox-level security settings. */
export interface LinuxSandboxSecurityContext {
  namespaceOptions?: NamespaceOption;
  runAsUser?: Int64Value;
  runAsGroup?: Int64Value;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  privileged?: boolean;
}

/** LinuxContainerSecurityContext is a container's security settings. */
export interface LinuxContainerSecurityContext {
  capabilities?: Capability;
  privileged?: boolean;
  namespaceOptions?: NamespaceOption;
  runAsUser?: Int64Value;
  runAsGroup?: Int64Value;
  runAsUsername?: string;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  noNewPrivs?: boolean;
  maskedPaths?: string[];
  readonlyPaths?: string[];
}

/** LinuxContainerResources are cgroup settings (cfs quota/period in µs, memory in bytes). */
export interface LinuxContainerResources {
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuShares?: number;
  memoryLimitInBytes?: number;
  oomScoreAdj?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
}

/** LinuxPodSandboxConfig is the Linux part of a sandbox config. */
export interface LinuxPodSandboxConfig {
  cgroupParent?: string;
  securityContext?: LinuxSandboxSecurityContext;
  sysctls?: Record<string, string>;
}

/** DNSConfig is the resolv.conf of a sandbox. */
export interface DNSConfig {
  servers?: string[];
  searches?: string[];
  options?: string[];
}

/** PodSandboxConfig describes a sandbox to create (RunPodSandbox). */
export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  /** logDirectory is the folder under which containers' logPath are resolved. */
  logDirectory?: string;
  dnsConfig?: DNSConfig;
  portMappings?: PortMapping[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  linux?: LinuxPodSandboxConfig;
}

/** ImageSpec names an image (a reference or an image id). */
export interface ImageSpec {
  image: string;
  annotations?: Record<string, string>;
}

/** Device maps a host device into a container. */
export interface Device {
  containerPath: string;
  hostPath: string;
  permissions?: string;
}

/** LinuxContainerConfig is the Linux part of a container config. */
export interface LinuxContainerConfig {
  resources?: LinuxContainerResources;
  securityContext?: LinuxContainerSecurityContext;
}

/** ContainerConfig describes a container to create in a sandbox (CreateContainer). */
export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command?: string[];
  args?: string[];
  workingDir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  devices?: Device[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** logPath is relative to the sandbox's logDirectory. */
  logPath?: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: LinuxContainerConfig;
}

/** PodSandboxState of a sandbox. */
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

/** ContainerState of a container. */
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

/** PodSandbox is one entry of ListPodSandbox. */
export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: bigint;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtimeHandler: string;
}

/** PodSandboxNetworkStatus is the sandbox's IP (and extra IPs for dual stack). */
export interface PodSandboxNetworkStatus {
  ip: string;
  additionalIps: string[];
}

/** PodSandboxStatus is the answer of PodSandboxStatus. */
export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: bigint;
  network: PodSandboxNetworkStatus | undefined;
  /** namespaceOptions as the sandbox was created (linux.namespaces.options). */
  namespaceOptions: NamespaceOption | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtimeHandler: string;
}

/** PodSandboxFilter narrows ListPodSandbox; all set fields must match. */
export interface PodSandboxFilter {
  id?: string;
  state?: PodSandboxState;
  labelSelector?: Record<string, string>;
}

/** Container is one entry of ListContainers. */
export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: ImageSpec;
  imageRef: string;
  state: ContainerState;
  createdAt: bigint;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** ContainerFilter narrows ListContainers; all set fields must match. */
export interface ContainerFilter {
  id?: string;
  state?: ContainerState;
  podSandboxId?: string;
  labelSelector?: Record<string, string>;
}

/** ContainerStatus is the answer of ContainerStatus; times are ns since the epoch (0 = not yet). */
export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  createdAt: bigint;
  startedAt: bigint;
  finishedAt: bigint;
  exitCode: number;
  image: ImageSpec;
  imageRef: string;
  /** reason is a short word, e.g. Completed, Error, OOMKilled. */
  reason: string;
  message: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  mounts: Mount[];
  /** logPath is the absolute path of the container's log file. */
  logPath: string;
}

/** ExecSyncResult is the outcome of ExecSync. */
export interface ExecSyncResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

/** ExecRequest asks for a streaming exec URL. */
export interface ExecRequest {
  containerId: string;
  cmd: string[];
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

/** AttachRequest asks for a streaming attach URL. */
export interface AttachRequest {
  containerId: string;
  stdin?: boolean;
  tty?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

/** VersionResponse is the runtime's name and versions. */
export interface VersionResponse {
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

/** RuntimeCondition is one condition of Status (RuntimeReady, NetworkReady). */
export interface RuntimeCondition {
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

/** RuntimeStatus is the answer of Status. */
export interface RuntimeStatus {
  conditions: RuntimeCondition[];
}

/** AuthConfig is registry credentials for PullImage. */
export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}

/** Image is one image the runtime holds. */
export interface Image {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  uid: Int64Value | undefined;
  username: string;
  pinned: boolean;
}

/** FilesystemUsage is one entry of ImageFsInfo. */
export interface FilesystemUsage {
  timestamp: bigint;
  mountpoint: string;
  usedBytes: number;
  inodesUsed: number;
}

/** CriCpuUsage is CRI's CpuUsage: timestamp in ns; values undefined when the runtime left them out. */
export interface CriCpuUsage {
  timestamp: bigint;
  usageCoreNanoSeconds: number | undefined;
  usageNanoCores: number | undefined;
}

/** CriMemoryUsage is CRI's MemoryUsage (bytes; undefined when left out). */
export interface CriMemoryUsage {
  timestamp: bigint;
  workingSetBytes: number | undefined;
  availableBytes: number | undefined;
  usageBytes: number | undefined;
  rssBytes: number | undefined;
  pageFaults: number | undefined;
  majorPageFaults: number | undefined;
}

/** CriContainerStats is one entry of ListContainerStats. */
export interface CriContainerStats {
  id: string;
  name: string;
  labels: Record<string, string>;
  cpu: CriCpuUsage | undefined;
  memory: CriMemoryUsage | undefined;
}

/** CallOptions bound one call; timeoutMs overrides the client's default. */
export interface CallOptions {
  timeoutMs?: number;
}

/**
 * CriClient is the kubelet's view of a CRI v1 runtime (RuntimeService + ImageService). Failures
 * reject with the errors of ./errors.ts (CriNotFoundError when the object is gone, …).
 * Stop/remove calls on objects that are already gone succeed, as CRI requires.
 */
export interface CriClient {
  version(opts?: CallOptions): Promise<VersionResponse>;
  status(opts?: CallOptions): Promise<RuntimeStatus>;
  /** runPodSandbox creates and starts a sandbox and returns its id. */
  runPodSandbox(config: PodSandboxConfig, runtimeHandler?: string, opts?: CallOptions): Promise<string>;
  stopPodSandbox(podSandboxId: string, opts?: CallOptions): Promise<void>;
  removePodSandbox(podSandboxId: string, opts?: CallOptions): Promise<void>;
  podSandboxStatus(podSandboxId: string, opts?: CallOptions): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: PodSandboxFilter, opts?: CallOptions): Promise<PodSandbox[]>;
  /** createContainer creates (not starts) a container in a sandbox and returns its id. */
  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig, opts?: CallOptions): Promise<string>;
  startContainer(containerId: string, opts?: CallOptions): Promise<void>;
  /** stopContainer sends SIGTERM (or the image's stop signal), then SIGKILL after timeoutSeconds. */
  stopContainer(containerId: string, timeoutSeconds: number, opts?: CallOptions): Promise<void>;
  removeContainer(containerId: string, opts?: CallOptions): Promise<void>;
  listContainers(filter?: ContainerFilter, opts?: CallOptions): Promise<Container[]>;
  containerStatus(containerId: string, opts?: CallOptions): Promise<ContainerStatus>;
  updateContainerResources(containerId: string, linux: LinuxContainerResources, opts?: CallOptions): Promise<void>;
  /** execSync runs cmd in the container; timeoutSeconds 0 means no limit. */
  execSync(containerId: string, cmd: string[], timeoutSeconds: number, opts?: CallOptions): Promise<ExecSyncResult>;
  /** exec, attach and portForward return the runtime's streaming-server URL for the request. */
  exec(req: ExecRequest, opts?: CallOptions): Promise<string>;
  attach(req: AttachRequest, opts?: CallOptions): Promise<string>;
  portForward(podSandboxId: string, ports: number[], opts?: CallOptions): Promise<string>;
  reopenContainerLog(containerId: string, opts?: CallOptions): Promise<void>;
  /** updateRuntimeConfig hands the node's pod CIDR to the runtime (for CNI config templating). */
  updateRuntimeConfig(podCidr: string, opts?: CallOptions): Promise<void>;

  listImages(filter?: ImageSpec, opts?: CallOptions): Promise<Image[]>;
  /** imageStatus answers undefined when the image is not present. */
  imageStatus(image: ImageSpec, opts?: CallOptions): Promise<Image | undefined>;
  /** pullImage pulls an image and returns its image ref (id). */
  pullImage(image: ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig, opts?: CallOptions): Promise<string>;
  removeImage(image: ImageSpec, opts?: CallOptions): Promise<void>;
  imageFsInfo(opts?: CallOptions): Promise<FilesystemUsage[]>;
  /** listContainerStats is CRI ListContainerStats for every container (optional: test fakes may leave it out). */
  listContainerStats?(opts?: CallOptions): Promise<CriContainerStats[]>;

  /** close releases the connection. */
  close(): void;
}
