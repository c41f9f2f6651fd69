/**
 * Which pods a ReplicaSet deletes first when scaling down: upstream's ActivePodsWithRanks order
 * (with the LogarithmicScaleDown and PodDeletionCost features, both on by default in 1.32).
 */
import type { KubeObject } from '../../api/types.js';
import { arr, num, str } from '../../api/object.js';
import { isObject } from '../../api/types.js';
import { isPodActive, isPodReady, nodeNameOf, podReadyTime } from './pods.js';

const phaseOrdinal: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

function phaseRank(pod: KubeObject): number {
  return phaseOrdinal[str(pod, 'status', 'phase') ?? ''] ?? 0;
}

function deletionCost(pod: KubeObject): number {
  const v = pod.metadata.annotations?.[DELETION_COST];
  const n = v === undefined ? 0 : Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : 0;
}

/** maxRestarts returns the highest restart count of regular and of sidecar (restartable init) containers. */
function maxRestarts(pod: KubeObject): [number, number] {
  let regular = 0;
  for (const c of arr(pod, 'status', 'containerStatuses')) regular = Math.max(regular, num(c, 'restartCount') ?? 0);
  const sidecars = new Set(arr(pod, 'spec', 'initContainers').filter((c) => isObject(c) && c.restartPolicy === 'Always').map((c) => str(c, 'name')));
  let sidecar = 0;
  for (const c of arr(pod, 'status', 'initContainerStatuses')) {
    if (sidecars.has(str(c, 'name'))) sidecar = Math.max(sidecar, num(c, 'restartCount') ?? 0);
  }
  return [regular, sidecar];
}

/** logRank is floor(log2(age in ns)), -1 for a non-positive age (upstream's logarithmicRankDiff). */
function logRank(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/** compareTimes orders younger first in logarithmic buckets, then by uid; missing times first. */
function compareTimes(a: KubeObject, b: KubeObject, ta: number | undefined, tb: number | undefined, now: number): number {
  if (ta === undefined || tb === undefined) return ta === undefined ? (tb === undefined ? 0 : -1) : 1;
  const diff = logRank(ta, now) - logRank(tb, now);
  if (diff !== 0) return diff;
  const ua = a.metadata.uid ?? '';
  const ub = b.metadata.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function created(pod: KubeObject): number | undefined {
  const t = pod.metadata.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

/**
 * comparePodsForDeletion returns < 0 when pod a should be deleted before b: unscheduled before
 * scheduled, Pending < Unknown < Running, not ready before ready, lower deletion cost first, more
 * pods of the same owner on its node first (rank), ready for a shorter time first, more restarts
 * first, newer first.
 */
export function comparePodsForDeletion(a: KubeObject, b: KubeObject, rankA: number, rankB: number, now: number): number {
  const na = nodeNameOf(a);
  const nb = nodeNameOf(b);
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  if (phaseRank(a) !== phaseRank(b)) return phaseRank(a) - phaseRank(b);
  if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
  if (deletionCost(a) !== deletionCost(b)) return deletionCost(a) - deletionCost(b);
  if (rankA !== rankB) return rankB - rankA;
  if (isPodReady(a) && isPodReady(b)) {
    const ra = podReadyTime(a);
    const rb = podReadyTime(b);
    if (ra !== rb) {
      const c = compareTimes(a, b, ra, rb, now);
      if (c !== 0) return c;
    }
  }
  const [ra, sa] = maxRestarts(a);
  const [rb, sb] = maxRestarts(b);
  if (ra !== rb) return rb - ra;
  if (sa !== sb) return sb - sa;
  const ca = created(a);
  const cb = created(b);
  return ca === cb ? 0 : compareTimes(a, b, ca, cb, now);
}

/**
 * podsToDelete picks `diff` of `pods` to delete: all of them when diff covers them, else the
 * first in comparePodsForDeletion order, ranking each pod by how many active `related` pods
 * (pods of the same owner's ReplicaSets) share its node.
 */
export function podsToDelete(pods: KubeObject[], related: KubeObject[], diff: number, now: number): KubeObject[] {
  if (diff >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of related) if (isPodActive(p)) onNode.set(nodeNameOf(p), (onNode.get(nodeNameOf(p)) ?? 0) + 1);
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(nodeNameOf(pod)) ?? 0 }));
  ranked.sort((x, y) => comparePodsForDeletion(x.pod, y.pod, x.rank, y.rank, now));
  return ranked.slice(0, diff).map((r) => r.pod);
}
