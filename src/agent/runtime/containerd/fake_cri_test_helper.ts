import type { Clock } from '../../../lib/clock.js';
import { CriError, CriNotFoundError } from '../../cri/errors.js';
import type { Container, ContainerConfig, ContainerFilter, ContainerState, ContainerStatus, CriClient, ExecSyncResult, Image, ImageSpec, PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxState, PodSandboxStatus } from '../../cri/types.js';

/** FakeBehavior says how a fake container instance ends: exit code after runMs (Infinity: runs until stopped). */
export interface FakeBehavior {
  exitCode: number;
  runMs: number;
  reason?: string;
}

interface FakeSandbox {
  id: string;
  config: PodSandboxConfig;
  state: PodSandboxState;
  ip: string;
  createdAt: bigint;
}

interface FakeContainer {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  state: ContainerState;
  createdAt: bigint;
  startedAt: bigint;
  finishedAt: bigint;
  exitCode: number;
  reason: string;
  behavior: FakeBehavior;
}

const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;
const matches = (labels: Record<string, string>, sel: Record<string, string> | undefined): boolean => Object.entries(sel ?? {}).every(([k, v]) => labels[k] === v);

/**
 * FakeCri is an in-memory CriClient for tests: sandboxes get IPs 10.42.0.N, containers follow a
 * behavior (exit code after some time on the injected clock), images are present or fail to pull
 * on demand, and every mutating call is logged in `calls`.
 */
export class FakeCri implements CriClient {
  readonly sandboxes = new Map<string, FakeSandbox>();
  readonly containers = new Map<string, FakeContainer>();
  readonly images = new Set<string>();
  readonly pullFailures = new Map<string, string>();
  readonly calls: string[] = [];
  behavior: (name: string, attempt: number) => FakeBehavior = () => ({ exitCode: 0, runMs: Infinity });
  onExec: (containerId: string, cmd: string[]) => ExecSyncResult = () => ({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: 0 });
  private next = 1;

  constructor(private readonly clock: Clock) {}

  version() {
    return Promise.resolve({ version: '0.1.0', runtimeName: 'containerd', runtimeVersion: 'v1.6.20', runtimeApiVersion: 'v1' });
  }
  status() {
    return Promise.resolve({ conditions: [] });
  }
  runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = `sb${this.next++}`;
    this.calls.push(`runPodSandbox ${config.metadata.name} ${config.metadata.attempt ?? 0}`);
    this.sandboxes.set(id, { id, config, state: 'SANDBOX_READY', ip: `10.42.0.${this.next}`, createdAt: ns(this.clock.now()) });
    return Promise.resolve(id);
  }
  stopPodSandbox(id: string): Promise<void> {
    this.calls.push(`stopPodSandbox ${id}`);
    const sb = this.sandboxes.get(id);
    if (sb) sb.state = 'SANDBOX_NOTREADY';
    for (const c of this.containers.values()) if (c.sandboxId === id) this.exit(c, 137, 'Error');
    return Promise.resolve();
  }
  removePodSandbox(id: string): Promise<void> {
    this.calls.push(`removePodSandbox ${id}`);
    this.sandboxes.delete(id);
    for (const c of [...this.containers.values()]) if (c.sandboxId === id) this.containers.delete(c.id);
    return Promise.resolve();
  }
  podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const sb = this.sandboxes.get(id);
    if (!sb) return Promise.reject(new CriNotFoundError(`sandbox ${id} not found`, 'PodSandboxStatus', 5));
    const m = sb.config;
    return Promise.resolve({ id, metadata: m.metadata, state: sb.state, createdAt: sb.createdAt, network: { ip: sb.ip, additionalIps: [] }, namespaceOptions: undefined, labels: m.labels ?? {}, annotations: m.annotations ?? {}, runtimeHandler: '' });
  }
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const out = [...this.sandboxes.values()].filter((s) => matches(s.config.labels ?? {}, filter?.labelSelector));
    return Promise.resolve(out.map((s) => ({ id: s.id, metadata: s.config.metadata, state: s.state, createdAt: s.createdAt, labels: s.config.labels ?? {}, annotations: {}, runtimeHandler: '' })));
  }
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    if (!this.sandboxes.has(sandboxId)) return Promise.reject(new CriNotFoundError('no sandbox', 'CreateContainer', 5));
    const id = `c${this.next++}`;
    this.calls.push(`createContainer ${config.metadata.name} ${config.metadata.attempt ?? 0}`);
    const behavior = this.behavior(config.metadata.name, config.metadata.attempt ?? 0);
    this.containers.set(id, { id, sandboxId, config, state: 'CONTAINER_CREATED', createdAt: ns(this.clock.now()), startedAt: 0n, finishedAt: 0n, exitCode: 0, reason: '', behavior });
    return Promise.resolve(id);
  }
  startContainer(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return Promise.reject(new CriNotFoundError('no container', 'StartContainer', 5));
    this.calls.push(`startContainer ${c.config.metadata.name} ${c.config.metadata.attempt ?? 0}`);
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = ns(this.clock.now());
    return Promise.resolve();
  }
  stopContainer(id: string, timeout: number): Promise<void> {
    const c = this.containers.get(id);
    this.calls.push(`stopContainer ${c?.config.metadata.name ?? id} ${timeout}`);
    if (c) this.exit(c, timeout === 0 ? 137 : 143, 'Error');
    return Promise.resolve();
  }
  removeContainer(id: string): Promise<void> {
    this.calls.push(`removeContainer ${id}`);
    this.containers.delete(id);
    return Promise.resolve();
  }
  listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const out = [...this.containers.values()].filter((c) => (!filter?.podSandboxId || c.sandboxId === filter.podSandboxId) && matches(c.config.labels ?? {}, filter?.labelSelector));
    return Promise.resolve(out.map((c) => ({ id: c.id, podSandboxId: c.sandboxId, metadata: c.config.metadata, image: c.config.image, imageRef: `sha256:${c.config.image.image}`, state: this.tick(c).state, createdAt: c.createdAt, labels: c.config.labels ?? {}, annotations: c.config.annotations ?? {} })));
  }
  containerStatus(id: string): Promise<ContainerStatus> {
    const c = this.containers.get(id);
    if (!c) return Promise.reject(new CriNotFoundError(`container ${id} not found`, 'ContainerStatus', 5));
    this.tick(c);
    return Promise.resolve({ id, metadata: c.config.metadata, state: c.state, createdAt: c.createdAt, startedAt: c.startedAt, finishedAt: c.finishedAt, exitCode: c.exitCode, image: c.config.image, imageRef: `sha256:${c.config.image.image}`, reason: c.reason, message: '', labels: c.config.labels ?? {}, annotations: c.config.annotations ?? {}, mounts: c.config.mounts ?? [], logPath: c.config.logPath ?? '' });
  }
  updateContainerResources(): Promise<void> {
    return Promise.resolve();
  }
  execSync(id: string, cmd: string[]): Promise<ExecSyncResult> {
    this.calls.push(`execSync ${this.containers.get(id)?.config.metadata.name ?? id} ${cmd.join(' ')}`);
    return Promise.resolve(this.onExec(id, cmd));
  }
  exec(): Promise<string> {
    return Promise.resolve('');
  }
  attach(): Promise<string> {
    return Promise.resolve('');
  }
  portForward(): Promise<string> {
    return Promise.resolve('');
  }
  reopenContainerLog(): Promise<void> {
    return Promise.resolve();
  }
  updateRuntimeConfig(): Promise<void> {
    return Promise.resolve();
  }
  listImages(): Promise<Image[]> {
    return Promise.resolve([...this.images].map((i) => this.image(i)));
  }
  imageStatus(spec: ImageSpec): Promise<Image | undefined> {
    return Promise.resolve(this.images.has(spec.image) ? this.image(spec.image) : undefined);
  }
  pullImage(spec: ImageSpec): Promise<string> {
    this.calls.push(`pullImage ${spec.image}`);
    const err = this.pullFailures.get(spec.image);
    if (err !== undefined) return Promise.reject(new CriError(err, 'PullImage', 2));
    this.images.add(spec.image);
    return Promise.resolve(`sha256:${spec.image}`);
  }
  removeImage(): Promise<void> {
    return Promise.resolve();
  }
  imageFsInfo() {
    return Promise.resolve([]);
  }
  close(): void {}

  /** crash makes a running container exit now with code and reason (e.g. 137, OOMKilled). */
  crash(id: string, exitCode: number, reason: string): void {
    const c = this.containers.get(id);
    if (c) this.exit(c, exitCode, reason);
  }

  private image(i: string): Image {
    return { id: `sha256:${i}`, repoTags: [i], repoDigests: [], size: 1234, uid: undefined, username: '', pinned: false };
  }

  private tick(c: FakeContainer): FakeContainer {
    if (c.state === 'CONTAINER_RUNNING' && Number.isFinite(c.behavior.runMs)) {
      const end = Number(c.startedAt / 1_000_000n) + c.behavior.runMs;
      if (this.clock.now() >= end) {
        this.exit(c, c.behavior.exitCode, c.behavior.reason ?? (c.behavior.exitCode === 0 ? 'Completed' : 'Error'));
        c.finishedAt = ns(end);
      }
    }
    return c;
  }

  private exit(c: FakeContainer, exitCode: number, reason: string): void {
    if (c.state !== 'CONTAINER_RUNNING') return;
    c.state = 'CONTAINER_EXITED';
    c.exitCode = exitCode;
    c.reason = reason;
    c.finishedAt = ns(this.clock.now());
  }
}
