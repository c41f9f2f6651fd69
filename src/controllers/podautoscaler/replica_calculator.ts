/**
 * The replica calculator of kube-controller-manager 1.32: desired = ceil(ready pods × usage ratio),
 * unchanged within the tolerance; pods without metrics count as 100 % of their request (or the
 * target, if higher) on a scale-down and 0 on a scale-up; unready pods (and, for cpu, pods still
 * initializing) count as 0 on a scale-up and are left out otherwise; a re-computation that would
 * flip the scale direction keeps the current count.
 */
import { arr, field, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import type { PodMetricsInfo } from './deps.js';
import { milliValue, parseTime } from './quantity.js';

/** CalculatorSettings are the flags the calculation depends on. */
export interface CalculatorSettings {
  tolerance: number;
  cpuInitializationPeriodMs: number;
  initialReadinessDelayMs: number;
}

/** PodGroups sorts the selected pods by how their metrics count. */
export interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

function readyCondition(pod: KubeObject): { status: string; lastTransitionMs: number } | undefined {
  const c = arr(pod, 'status', 'conditions').find((x) => str(x, 'type') === 'Ready');
  if (!c) return undefined;
  return { status: str(c, 'status') ?? '', lastTransitionMs: parseTime(field(c, 'lastTransitionTime')) ?? 0 };
}

/** groupPods is upstream's groupPods: deleted and failed pods are ignored, pending ones unready, those without metrics missing. */
export function groupPods(pods: KubeObject[], metrics: PodMetricsInfo, resource: string, s: CalculatorSettings, nowMs: number): PodGroups {
  const g: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    const phase = str(pod, 'status', 'phase');
    if (pod.metadata.deletionTimestamp || phase === 'Failed') {
      g.ignored.add(name);
      continue;
    }
    if (phase === 'Pending') {
      g.unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      g.missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const cond = readyCondition(pod);
      const start = parseTime(field(pod, 'status', 'startTime'));
      let unready: boolean;
      if (!cond || start === undefined) unready = true;
      else if (start + s.cpuInitializationPeriodMs > nowMs) {
        // Still initializing: unready, or no full metric window since the last readiness change.
        unready = cond.status === 'False' || metric.timestampMs < cond.lastTransitionMs + metric.windowMs;
      } else {
        // Unready and never ready since it started.
        unready = cond.status === 'False' && start + s.initialReadinessDelayMs > cond.lastTransitionMs;
      }
      if (unready) {
        g.unready.add(name);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

/** podRequests sums each pod's requests of resource (regular and restartable init containers), or of one container. */
export function podRequests(pods: KubeObject[], container: string, resource: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    const containers = [...arr(pod, 'spec', 'containers'), ...arr(pod, 'spec', 'initContainers').filter((c) => str(c, 'restartPolicy') === 'Always')];
    let sum = 0;
    for (const c of containers) {
      if (container !== '' && str(c, 'name') !== container) continue;
      const v = milliValue(field(c, 'resources', 'requests', resource));
      if (v === undefined) throw new Error(`missing request for ${resource} in container ${str(c, 'name') ?? ''} of Pod ${pod.metadata.name ?? ''}`);
      sum += v;
    }
    out.set(pod.metadata.name ?? '', sum);
  }
  return out;
}

/** utilizationRatio is GetResourceUtilizationRatio: the integer utilization over the target, and the raw average. */
export function utilizationRatio(metrics: PodMetricsInfo, requests: Map<string, number>, target: number): { ratio: number; utilization: number; rawAverage: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [name, m] of metrics) {
    const req = requests.get(name);
    // Metrics of pods without a request entry are extraneous.
    if (req === undefined) continue;
    metricsTotal += m.value;
    requestsTotal += req;
    entries++;
  }
  if (requestsTotal === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / target, utilization, rawAverage: Math.trunc(metricsTotal / entries) };
}

/** usageRatio is GetMetricUsageRatio: the average usage over the target. */
export function usageRatio(metrics: PodMetricsInfo, target: number): { ratio: number; usage: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / target, usage };
}

function dropPods(metrics: PodMetricsInfo, names: Set<string>): void {
  for (const n of names) metrics.delete(n);
}

/** ResourceProposal is a calculator answer: the replica count and the usage figures for status. */
export interface ResourceProposal {
  replicas: number;
  utilization: number;
  rawAverage: number;
}

interface Adjust {
  currentReplicas: number;
  ratio: number;
  groups: PodGroups;
  metrics: PodMetricsInfo;
  tolerance: number;
  /** missingValue is what a pod without metrics counts as on a scale-down. */
  missingValue: (pod: string) => number;
  recompute: (metrics: PodMetricsInfo) => number;
}

/** adjustedReplicas is the shared tail of the two calculations: missing and unready pods, tolerance, direction guards. */
function adjustedReplicas(a: Adjust): number {
  const { currentReplicas, ratio, groups, metrics, tolerance } = a;
  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (Math.abs(1 - ratio) <= tolerance) return currentReplicas;
    return Math.ceil(ratio * groups.readyPodCount);
  }
  if (groups.missing.size > 0) {
    for (const pod of groups.missing) {
      if (ratio < 1) metrics.set(pod, { timestampMs: 0, windowMs: 0, value: a.missingValue(pod) });
      else if (ratio > 1) metrics.set(pod, { timestampMs: 0, windowMs: 0, value: 0 });
    }
  }
  if (scaleUpWithUnready) for (const pod of groups.unready) metrics.set(pod, { timestampMs: 0, windowMs: 0, value: 0 });
  const newRatio = a.recompute(metrics);
  if (Math.abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return currentReplicas;
  const replicas = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) return currentReplicas;
  return replicas;
}

function selectedPods(pods: KubeObject[]): KubeObject[] {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  return pods;
}

/** resourceReplicas is GetResourceReplicas: a target utilization (percent of requests). */
export function resourceReplicas(currentReplicas: number, target: number, resource: string, container: string, podsIn: KubeObject[], metricsIn: PodMetricsInfo, s: CalculatorSettings, nowMs: number): ResourceProposal {
  const pods = selectedPods(podsIn);
  const metrics = new Map(metricsIn);
  const groups = groupPods(pods, metrics, resource, s, nowMs);
  dropPods(metrics, groups.ignored);
  dropPods(metrics, groups.unready);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const requests = podRequests(pods, container, resource);
  const first = utilizationRatio(metrics, requests, target);
  const fallback = Math.max(100, target);
  const replicas = adjustedReplicas({
    currentReplicas,
    ratio: first.ratio,
    groups,
    metrics,
    tolerance: s.tolerance,
    missingValue: (pod) => Math.trunc(((requests.get(pod) ?? 0) * fallback) / 100),
    recompute: (m) => utilizationRatio(m, requests, target).ratio,
  });
  return { replicas, utilization: first.utilization, rawAverage: first.rawAverage };
}

/** rawResourceReplicas is GetRawResourceReplicas: a target average value per pod (milli-units). */
export function rawResourceReplicas(currentReplicas: number, target: number, resource: string, podsIn: KubeObject[], metricsIn: PodMetricsInfo, s: CalculatorSettings, nowMs: number): { replicas: number; usage: number } {
  const pods = selectedPods(podsIn);
  const metrics = new Map(metricsIn);
  const groups = groupPods(pods, metrics, resource, s, nowMs);
  dropPods(metrics, groups.ignored);
  dropPods(metrics, groups.unready);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const first = usageRatio(metrics, target);
  const replicas = adjustedReplicas({
    currentReplicas,
    ratio: first.ratio,
    groups,
    metrics,
    tolerance: s.tolerance,
    // On a scale-down a pod without metrics counts as using exactly the target.
    missingValue: () => target,
    recompute: (m) => usageRatio(m, target).ratio,
  });
  return { replicas, usage: first.usage };
}
