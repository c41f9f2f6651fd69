import type { KubeObject } from '../../../api/types.js';
import { field } from '../../../api/object.js';
import { podQOSClass, type QOSClass } from '../../../api/resources/core/pods_qos.js';
import { parseQuantity } from '../../../api/resources/core/quantity.js';
import type { LinuxContainerResources } from '../../cri/types.js';

/** CPU_PERIOD_US is the CFS period the kubelet uses for cpu limits (100 ms). */
export const CPU_PERIOD_US = 100_000;
const MIN_SHARES = 2;
const MAX_SHARES = 262_144;
const MIN_QUOTA_US = 1000;
const GUARANTEED_OOM_SCORE_ADJ = -997;
const BEST_EFFORT_OOM_SCORE_ADJ = 1000;

function quantity(container: unknown, kind: 'requests' | 'limits', name: string): number | undefined {
  const v = field(container, 'resources', kind, name);
  return typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : undefined;
}

/** milliCPUToShares maps a cpu request in millicores to cgroup cpu.shares (1 core = 1024; at least 2). */
export function milliCPUToShares(milli: number): number {
  if (milli <= 0) return MIN_SHARES;
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, Math.floor((milli * 1024) / 1000)));
}

/** milliCPUToQuota maps a cpu limit to a CFS quota in µs for the period (0: no limit; at least 1 ms). */
export function milliCPUToQuota(milli: number, periodUs = CPU_PERIOD_US): number {
  if (milli <= 0) return 0;
  return Math.max(MIN_QUOTA_US, Math.floor((milli * periodUs) / 1000));
}

/**
 * oomScoreAdj follows the kubelet's QoS policy: Guaranteed -997, BestEffort 1000, Burstable
 * 1000 - 1000×memoryRequest/nodeMemory kept within 3..999.
 */
export function oomScoreAdj(qos: QOSClass, memoryRequest: number, nodeMemoryBytes: number): number {
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BEST_EFFORT_OOM_SCORE_ADJ;
  const adj = 1000 - Math.floor((1000 * memoryRequest) / Math.max(1, nodeMemoryBytes));
  if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adj === BEST_EFFORT_OOM_SCORE_ADJ) return adj - 1;
  return adj;
}

/**
 * containerResources maps a container's requests and limits to CRI cgroup settings: cpu_shares
 * from the cpu request (the limit when no request), cpu_quota/period from the cpu limit,
 * memory_limit_in_bytes from the memory limit, oom_score_adj from the pod's QoS class.
 */
export function containerResources(pod: KubeObject, container: unknown, nodeMemoryBytes: number): LinuxContainerResources {
  const cpuLimit = quantity(container, 'limits', 'cpu');
  const cpuRequest = quantity(container, 'requests', 'cpu') ?? cpuLimit ?? 0;
  const memLimit = quantity(container, 'limits', 'memory');
  const memRequest = quantity(container, 'requests', 'memory') ?? memLimit ?? 0;
  const out: LinuxContainerResources = {
    cpuShares: milliCPUToShares(Math.round(cpuRequest * 1000)),
    oomScoreAdj: oomScoreAdj(podQOSClass(pod['spec']), memRequest, nodeMemoryBytes),
  };
  if (cpuLimit !== undefined && cpuLimit > 0) {
    out.cpuPeriod = CPU_PERIOD_US;
    out.cpuQuota = milliCPUToQuota(Math.round(cpuLimit * 1000));
  }
  if (memLimit !== undefined && memLimit > 0) out.memoryLimitInBytes = Math.floor(memLimit);
  return out;
}
