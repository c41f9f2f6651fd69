import type { KubeObject } from '../../../api/types.js';
import type { EventRecorder } from '../../../client/events.js';
import type { Clock } from '../../../lib/clock.js';
import type { Logger } from '../../../lib/log.js';
import type { CriClient } from '../../cri/types.js';
import type { Backoff } from './backoff.js';
import type { ClusterObjectLookup } from './claim_source.js';
import type { NodeAllocatable } from './downward.js';
import type { ObjectLookup } from './env.js';
import type { ImageManager } from './images.js';
import type { PodRef } from './names.js';
import type { ProbeCheck } from './prober.js';
import type { Relist } from './relist.js';
import type { SandboxSettings } from './sandbox_config.js';
import type { ServiceAccountTokenSource } from './token_manager.js';

/** WorkerDeps is what every pod worker of one ContainerdRuntime shares. */
export interface WorkerDeps {
  cri: CriClient;
  clock: Clock;
  logger: Logger;
  recorder: EventRecorder | undefined;
  images: ImageManager;
  /** crashBackoff is the per-container restart back-off (key `<uid>/<container>`). */
  crashBackoff: Backoff;
  sandbox: SandboxSettings;
  dataDir: string;
  nodeName: string;
  nodeIP: string;
  allocatable: NodeAllocatable;
  getConfigMap: ObjectLookup;
  getSecret: ObjectLookup;
  /** getPersistentVolumeClaim and getPersistentVolume read what claim-backed volumes are bound to. */
  getPersistentVolumeClaim: ObjectLookup;
  getPersistentVolume: ClusterObjectLookup;
  /** getNode reads this node's object (PV nodeAffinity checks). */
  getNode: (() => Promise<KubeObject | undefined>) | undefined;
  serviceEnv: (namespace: string, enableServiceLinks: boolean) => Record<string, string>;
  serviceAccountToken: ServiceAccountTokenSource | undefined;
  check: ProbeCheck;
  pollIntervalMs: number;
  /** relist is the listing every worker's poll reads first (one CRI list per half poll interval, not a status call per object). */
  relist: Relist;
  volumeRefreshMs: number;
  /** cgroupRoot is where cgroup controllers are mounted (pod cgroup folders are removed under it). */
  cgroupRoot: string;
  notify(pod: PodRef): void;
}

/** event records an event when the runtime has a recorder. */
export function event(deps: WorkerDeps, pod: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
  deps.recorder?.event(pod, type, reason, message);
}
