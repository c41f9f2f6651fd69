import type { KubeObject } from '../../../api/types.js';
import type { PodSandboxConfig } from '../../cri/types.js';
import type { ContainerRecord } from './container_record.js';
import type { MountSource } from './volumes.js';
import type { WorkerDeps } from './worker_deps.js';

/** PodContext is the state of one pod worker that container operations read and update. */
export interface PodContext {
  readonly deps: WorkerDeps;
  /** pod is the newest copy of the pod the agent handed over. */
  readonly pod: KubeObject;
  readonly sandboxId: string | undefined;
  readonly sandboxConfig: PodSandboxConfig | undefined;
  readonly podIP: string;
  readonly volumePaths: Map<string, MountSource>;
  /** etcHosts is the managed /etc/hosts file (undefined for host-network pods). */
  readonly etcHosts: string | undefined;
  readonly stopping: boolean;
  readonly records: Map<string, ContainerRecord>;
  /** serial runs fn after every other pass or kill of this pod has finished. */
  serial<T>(fn: () => Promise<T>): Promise<T>;
  /** kick asks for a pass soon; wakeAt asks for one at a time (ms epoch). */
  kick(): void;
  wakeAt(ms: number): void;
  /** changed tells the agent the pod's status may have changed. */
  changed(): void;
}
