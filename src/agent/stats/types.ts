/**
 * Resource usage as the kubelet's stats provider sees it (k8s.io/kubelet stats/v1alpha1, CPU and
 * memory only). Times are ms since the epoch; CPU is in core-nanoseconds (cumulative) and
 * nanocores (rate); memory in bytes.
 */

/** CpuUsage is one CPU sample: usageCoreNanoSeconds is cumulative since the object started. */
export interface CpuUsage {
  time: number;
  usageCoreNanoSeconds: number;
  /** usageNanoCores is the rate over the last sample window; the collector fills it when the source does not. */
  usageNanoCores?: number;
}

/** MemoryUsage is one memory sample (the kubelet's working set is usage minus inactive file pages). */
export interface MemoryUsage {
  time: number;
  workingSetBytes: number;
  usageBytes?: number;
  rssBytes?: number;
  availableBytes?: number;
  pageFaults?: number;
  majorPageFaults?: number;
}

/** ContainerUsage is one running container of a pod. */
export interface ContainerUsage {
  name: string;
  /** startTime is when the container started (ms). */
  startTime: number;
  /** id is the runtime's container id (cAdvisor's `name` label and the last part of its cgroup `id`). */
  id: string;
  /** image is the image the container runs (cAdvisor's `image` label). */
  image: string;
  /** memoryLimitBytes is the container's memory limit; 0 when unlimited. */
  memoryLimitBytes: number;
  cpu?: CpuUsage;
  memory?: MemoryUsage;
}

/** PodUsage is one pod with its running containers; cpu/memory are the pod's (its cgroup or the sum of its containers). */
export interface PodUsage {
  namespace: string;
  name: string;
  uid: string;
  startTime: number;
  containers: ContainerUsage[];
  /** cgroup is the pod's cgroup path (cAdvisor's `id`), e.g. `/kubepods/burstable/pod<uid>`. */
  cgroup?: string;
  cpu?: CpuUsage;
  memory?: MemoryUsage;
}

/** NodeUsage is the node as a whole (the machine for real nodes, simulated for fake ones). */
export interface NodeUsage {
  cpu?: CpuUsage;
  memory?: MemoryUsage;
}

/** RuntimeStats is what Runtime.stats() answers: the node and every pod with a running container. */
export interface RuntimeStats {
  node: NodeUsage;
  pods: PodUsage[];
}

/** NodeStatsSnapshot is one collection, as the endpoints render it. */
export interface NodeStatsSnapshot extends RuntimeStats {
  nodeName: string;
  /** nodeStartTime is when the node (agent) started, ms. */
  nodeStartTime: number;
  /** machine is what cAdvisor's machine_* metrics report. */
  machine: { cpuCores: number; memoryBytes: number };
  /** error is set when the runtime's stats failed (resource_scrape_error 1, empty pods). */
  error?: string;
}
