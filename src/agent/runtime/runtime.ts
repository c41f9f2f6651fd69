import type { JsonObject, KubeObject } from '../../api/types.js';
import type { RuntimeStats } from '../stats/types.js';

/**
 * RuntimePodStatus is what a runtime reports about one pod: its IP and the core/v1 ContainerStatus
 * objects (name, state, lastState, ready, restartCount, image, imageID, containerID, started) of
 * its init containers and containers, in spec order.
 */
export interface RuntimePodStatus {
  podIP: string;
  initContainerStatuses: JsonObject[];
  containerStatuses: JsonObject[];
  /** ephemeralContainerStatuses report the ephemeral containers started so far (absent when none). */
  ephemeralContainerStatuses?: JsonObject[];
}

/**
 * Runtime runs pods on one node; the kubelet part of the agent drives it and never looks inside.
 * The fake runtime (./fake.ts) runs nothing; the containerd runtime talks CRI.
 */
export interface Runtime {
  /** version is the runtime's name and version as nodes report it, e.g. `fake://1.0.0`. */
  version(): string;
  /** updatePodCIDR tells the runtime the node's pod CIDR (CRI UpdateRuntimeConfig); called before any startPod. */
  updatePodCIDR(cidr: string): void;
  /** startPod creates the pod's sandbox and starts its containers; it rejects when the pod cannot start. */
  startPod(pod: KubeObject): Promise<RuntimePodStatus>;
  /**
   * stopPod stops the pod's containers (SIGTERM, then SIGKILL after gracePeriodSeconds) and removes
   * its sandbox, releasing its IP. It returns the containers' final statuses (undefined when the
   * runtime did not know the pod). Stopping an unknown pod is not an error.
   */
  stopPod(pod: KubeObject, gracePeriodSeconds: number): Promise<RuntimePodStatus | undefined>;
  /** podStatus reports a pod the runtime is running, or undefined when it has no such pod. */
  podStatus(pod: KubeObject): Promise<RuntimePodStatus | undefined>;
  /**
   * restorePod is called after the agent restarts, for a pod the API says is running on this node:
   * the runtime finds it again (containerd: its sandbox) and reports it, or answers undefined when
   * the pod is gone. Runtimes whose state dies with the process (fake) take the API's word for it.
   */
  restorePod(pod: KubeObject): Promise<RuntimePodStatus | undefined>;
  /**
   * setChangeHandler (optional) registers fn, which the runtime calls whenever a pod's status
   * changes on its own (container exit or restart, probe result, image pull failure) so the agent
   * re-syncs that pod. Runtimes whose pods never change by themselves (fake) leave it out.
   */
  setChangeHandler?(fn: (pod: { namespace: string; name: string }) => void): void;
  /** listImages reports the images present on the node (node status `images`); runtimes without images omit it. */
  listImages?(): Promise<NodeImage[]>;
  /**
   * stats reports the node's and its running containers' CPU and memory usage (what the kubelet's
   * stats provider gives /stats/summary and /metrics/resource). Callers cache it (NodeStatsCollector):
   * it is meant to be called about once per housekeeping interval, not per request.
   */
  stats?(): Promise<RuntimeStats>;
}

/** NodeImage is one entry of a Node's status.images. */
export interface NodeImage {
  names: string[];
  sizeBytes: number;
}
