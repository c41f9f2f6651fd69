import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { KubeObject } from '../../../api/types.js';
import type { EventRecorder } from '../../../client/events.js';
import type { Clock } from '../../../lib/clock.js';
import type { Logger } from '../../../lib/log.js';
import type { CriClient } from '../../cri/types.js';
import type { RuntimeStats } from '../../stats/types.js';
import type { NodeImage, Runtime, RuntimePodStatus } from '../runtime.js';
import { Backoff } from './backoff.js';
import { collectContainerdStats } from './container_stats.js';
import type { NodeAllocatable } from './downward.js';
import type { ClusterObjectLookup } from './claim_source.js';
import type { ObjectLookup } from './env.js';
import { ImageManager } from './images.js';
import type { PodRef } from './names.js';
import { findSandbox, removeSandboxes } from './pod_sandbox.js';
import { PodWorker } from './pod_worker.js';
import { runHandler } from './probe_check.js';
import type { ProbeCheck } from './prober.js';
import { adoptContainers } from './restore.js';
import { Relist } from './relist.js';
import { parseResolvConf } from './sandbox_config.js';
import type { ServiceAccountTokenSource } from './token_manager.js';
import { PodVolumes } from './volumes.js';
import type { WorkerDeps } from './worker_deps.js';

/** ContainerdRuntimeOptions configure a ContainerdRuntime; cri, nodeName, dataDir, clock and logger are required. */
export interface ContainerdRuntimeOptions {
  cri: CriClient;
  nodeName: string;
  dataDir: string;
  clock: Clock;
  logger: Logger;
  /** podLogsDir is CRI's log directory root (default `<dataDir>/agent/pods/logs`). */
  podLogsDir?: string;
  /** clusterDNS are the cluster DNS servers for ClusterFirst pods (none: pods use the node's resolv.conf). */
  clusterDNS?: string[];
  clusterDomain?: string;
  /** nodeIP is the node's InternalIP (status.hostIP for env and downward API). */
  nodeIP?: string;
  /** serviceEnv returns the service link variables of a namespace (`enableServiceLinks: false`: only the `kubernetes` service's). */
  serviceEnv?: (namespace: string, enableServiceLinks: boolean) => Record<string, string>;
  getConfigMap?: ObjectLookup;
  getSecret?: ObjectLookup;
  /** getPersistentVolumeClaim and getPersistentVolume resolve claim-backed volumes (without them such volumes never mount). */
  getPersistentVolumeClaim?: ObjectLookup;
  getPersistentVolume?: ClusterObjectLookup;
  /** getNode reads this node's Node object, for the nodeAffinity of claim-backed volumes (without it the check is skipped). */
  getNode?: () => Promise<KubeObject | undefined>;
  /** serviceAccountToken issues projected tokens; without it token files are left out. */
  serviceAccountToken?: ServiceAccountTokenSource;
  recorder?: EventRecorder;
  /** cgroupParent is the node's cgroup parent (default `/skiff/<nodeName>`); pods go under `pod<uid>`. */
  cgroupParent?: string;
  /** cgroupRoot is where cgroup controllers are mounted (default /sys/fs/cgroup). */
  cgroupRoot?: string;
  /** resolvConf is the node's resolver file (default /etc/resolv.conf). */
  resolvConf?: string;
  /** allocatable is what unset limits mean to the downward API and oom_score_adj (default: the machine's cores and memory). */
  allocatable?: NodeAllocatable;
  /** runtimeVersion is what version() reports (createContainerdRuntime asks CRI). */
  runtimeVersion?: string;
  pollIntervalMs?: number;
  volumeRefreshMs?: number;
  /** check runs probe and hook handlers (default: real exec/HTTP/TCP checks); tests inject a fake. */
  check?: ProbeCheck;
}

function readResolvConf(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * ContainerdRuntime runs pods as CRI sandboxes and containers, doing the kubelet's container work:
 * one PodWorker per pod keeps init containers, containers, probes, restarts (CrashLoopBackOff)
 * and volumes going; restorePod adopts what a previous agent left running. Status changes are
 * announced through the change handler so the agent re-syncs the pod.
 */
export class ContainerdRuntime implements Runtime {
  /** listImages reports containerd's images as the kubelet does in node status (tags and digests, size). */
  async listImages(): Promise<NodeImage[]> {
    const images = await this.opts.cri.listImages();
    return images.map((i) => ({ names: [...i.repoDigests, ...i.repoTags], sizeBytes: i.size })).filter((i) => i.names.length > 0);
  }

  private readonly workers = new Map<string, PodWorker>();
  private readonly deps: WorkerDeps;
  private onChange: ((pod: PodRef) => void) | undefined;
  private cidrUpdate: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ContainerdRuntimeOptions) {
    const clock = opts.clock;
    const logger = opts.logger;
    this.deps = {
      cri: opts.cri,
      clock,
      logger,
      recorder: opts.recorder,
      images: new ImageManager(opts.cri, clock, opts.recorder),
      crashBackoff: new Backoff(clock),
      sandbox: {
        nodeName: opts.nodeName,
        podLogsDir: opts.podLogsDir ?? join(opts.dataDir, 'agent', 'pods', 'logs'),
        cgroupParent: opts.cgroupParent ?? `/skiff/${opts.nodeName}`,
        clusterDNS: opts.clusterDNS ?? [],
        clusterDomain: opts.clusterDomain ?? 'cluster.local',
        hostDNS: parseResolvConf(readResolvConf(opts.resolvConf ?? '/etc/resolv.conf')),
      },
      dataDir: opts.dataDir,
      nodeName: opts.nodeName,
      nodeIP: opts.nodeIP ?? '',
      allocatable: opts.allocatable ?? { cpu: cpus().length, memory: totalmem() },
      getConfigMap: opts.getConfigMap ?? (() => Promise.resolve(undefined)),
      getSecret: opts.getSecret ?? (() => Promise.resolve(undefined)),
      getPersistentVolumeClaim: opts.getPersistentVolumeClaim ?? (() => Promise.resolve(undefined)),
      getPersistentVolume: opts.getPersistentVolume ?? (() => Promise.resolve(undefined)),
      getNode: opts.getNode,
      serviceEnv: opts.serviceEnv ?? (() => ({})),
      serviceAccountToken: opts.serviceAccountToken,
      check: opts.check ?? runHandler,
      pollIntervalMs: opts.pollIntervalMs ?? 1000,
      // Half the poll interval: a worker's poll sees a listing at most that old (exit detection <= 1.5 intervals).
      relist: new Relist(opts.cri, clock, (opts.pollIntervalMs ?? 1000) / 2),
      volumeRefreshMs: opts.volumeRefreshMs ?? 60_000,
      cgroupRoot: opts.cgroupRoot ?? '/sys/fs/cgroup',
      notify: (pod) => this.onChange?.(pod),
    };
  }

  version(): string {
    return this.opts.runtimeVersion ?? 'containerd://unknown';
  }

  /** setChangeHandler registers the function told about pods whose status changed. */
  setChangeHandler(fn: (pod: PodRef) => void): void {
    this.onChange = fn;
  }

  updatePodCIDR(cidr: string): void {
    this.cidrUpdate = this.opts.cri.updateRuntimeConfig(cidr).catch((e: Error) => this.opts.logger.error('cannot hand the pod CIDR to the runtime', { podCIDR: cidr, err: e.message }));
  }

  async startPod(pod: KubeObject): Promise<RuntimePodStatus> {
    const uid = pod.metadata.uid ?? '';
    const existing = this.workers.get(uid);
    if (existing) {
      existing.pod = pod;
      return existing.report();
    }
    await this.cidrUpdate;
    const w = new PodWorker(this.deps, pod);
    this.workers.set(uid, w);
    try {
      await w.serial(() => w.ensureSandbox());
    } catch (e) {
      this.workers.delete(uid);
      w.detach();
      throw e;
    }
    w.kick();
    return w.report();
  }

  async stopPod(pod: KubeObject, gracePeriodSeconds: number): Promise<RuntimePodStatus | undefined> {
    const uid = pod.metadata.uid ?? '';
    const w = this.workers.get(uid);
    if (!w) {
      // Not ours (or not adopted): clear whatever CRI still holds for this uid.
      const left = await findSandbox(this.deps, pod);
      await removeSandboxes(this.deps, left ? [left.id] : [], pod);
      await new PodVolumes(this.opts.dataDir, uid).teardown();
      return undefined;
    }
    w.pod = pod;
    try {
      return await w.stop(gracePeriodSeconds);
    } finally {
      if (this.workers.get(uid) === w) this.workers.delete(uid);
    }
  }

  podStatus(pod: KubeObject): Promise<RuntimePodStatus | undefined> {
    const w = this.workers.get(pod.metadata.uid ?? '');
    if (!w) return Promise.resolve(undefined);
    if (!w.stopping) w.pod = pod;
    return Promise.resolve(w.report());
  }

  async restorePod(pod: KubeObject): Promise<RuntimePodStatus | undefined> {
    const uid = pod.metadata.uid ?? '';
    const existing = this.workers.get(uid);
    if (existing) return existing.report();
    await this.cidrUpdate;
    const info = await findSandbox(this.deps, pod);
    if (!info) return undefined;
    const w = new PodWorker(this.deps, pod);
    await w.adoptSandbox(info);
    await adoptContainers(w);
    this.workers.set(uid, w);
    w.kick();
    return w.report();
  }

  /** stats reports CPU and memory of the node and of this runtime's running containers (container_stats.ts). */
  stats(): Promise<RuntimeStats> {
    const d = this.deps;
    return collectContainerdStats({ cri: d.cri, clock: d.clock, cgroupRoot: d.cgroupRoot, cgroupParent: d.sandbox.cgroupParent, workers: () => this.workers.values() });
  }

  /** shutdown stops every pod worker's loop and probes, leaving containers running for the next agent. */
  shutdown(): void {
    for (const w of this.workers.values()) w.detach();
    this.workers.clear();
  }

  /** whenIdle resolves once no pod worker has a pass or kill queued (tests drive it with a fake clock). */
  async whenIdle(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.idle()));
  }
}

/** createContainerdRuntime asks CRI for the runtime's name and version (`containerd://1.6.20`) and returns the runtime. */
export async function createContainerdRuntime(opts: ContainerdRuntimeOptions): Promise<ContainerdRuntime> {
  if (opts.runtimeVersion) return new ContainerdRuntime(opts);
  const v = await opts.cri.version().catch(() => undefined);
  return new ContainerdRuntime({ ...opts, runtimeVersion: v ? `${v.runtimeName}://${v.runtimeVersion}` : 'containerd://unknown' });
}
