/**
 * computeReplicasForMetrics: one replica proposal per spec.metrics entry, the highest wins.
 * Resource and ContainerResource metrics come from the resource metrics API; Pods, Object and
 * External metrics need the custom/external metrics APIs, which skiff does not serve, so they
 * report FailedGet*Metric as upstream does when those APIs are absent.
 */
import { field, num, str } from '../../api/object.js';
import type { JsonObject, KubeObject } from '../../api/types.js';
import { setCondition, type HpaCondition } from './conditions.js';
import type { HpaDeps } from './deps.js';
import { milliQuantity, milliValue } from './quantity.js';
import { rawResourceReplicas, resourceReplicas } from './replica_calculator.js';

/** MetricsOutcome is the result over all metrics; replicas is -1 when nothing could be computed. */
export interface MetricsOutcome {
  replicas: number;
  metricName: string;
  statuses: JsonObject[];
  error?: Error;
}

interface Failure {
  reason: string;
  message: string;
}

/** MetricError is one metric's failure: message goes into the event and condition, prefix + message into the sync error. */
class MetricError extends Error {
  constructor(
    message: string,
    readonly reason: string,
    readonly prefix: string,
  ) {
    super(message);
  }
}

async function resourceProposal(deps: HpaDeps, hpa: KubeObject, spec: unknown, key: 'resource' | 'containerResource', specReplicas: number, selector: string, pods: KubeObject[]): Promise<{ replicas: number; name: string; status: JsonObject }> {
  const resource = str(spec, key, 'name') ?? '';
  const container = key === 'containerResource' ? str(spec, key, 'container') ?? '' : '';
  const ns = hpa.metadata.namespace ?? '';
  const s = deps.settings;
  const now = deps.clock.now();
  const statusOf = (current: JsonObject): JsonObject =>
    key === 'resource' ? { type: 'Resource', resource: { name: resource, current } } : { type: 'ContainerResource', containerResource: { name: resource, container, current } };
  const avgValue = milliValue(field(spec, key, 'target', 'averageValue'));
  const fetch = async (): Promise<Awaited<ReturnType<HpaDeps['metrics']['getResourceMetric']>>> => {
    try {
      return await deps.metrics.getResourceMetric(resource, ns, selector, container);
    } catch (e) {
      throw new Error(`unable to get metrics for resource ${resource}: ${(e as Error).message}`);
    }
  };
  if (avgValue !== undefined) {
    try {
      const { metrics } = await fetch();
      const r = rawResourceReplicas(specReplicas, avgValue, resource, pods, metrics, s, now);
      return { replicas: r.replicas, name: `${resource} resource`, status: statusOf({ averageValue: milliQuantity(r.usage) }) };
    } catch (e) {
      throw new Error(`failed to get ${resource} usage: ${(e as Error).message}`);
    }
  }
  const target = num(spec, key, 'target', 'averageUtilization');
  if (target === undefined) throw new Error('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
  try {
    const { metrics } = await fetch();
    const r = resourceReplicas(specReplicas, target, resource, container, pods, metrics, s, now);
    const name = key === 'resource' ? `${resource} resource utilization (percentage of request)` : `${resource} container resource utilization (percentage of request)`;
    return { replicas: r.replicas, name, status: statusOf({ averageValue: milliQuantity(r.rawAverage), averageUtilization: r.utilization }) };
  } catch (e) {
    throw new Error(`failed to get ${resource} utilization: ${(e as Error).message}`);
  }
}

async function metricProposal(deps: HpaDeps, hpa: KubeObject, spec: unknown, specReplicas: number, selector: string, pods: KubeObject[]): Promise<{ replicas: number; name: string; status: JsonObject }> {
  const type = str(spec, 'type') ?? '';
  const failing = async <T>(reason: string, prefix: string, p: () => Promise<T>): Promise<T> => {
    try {
      return await p();
    } catch (e) {
      throw new MetricError((e as Error).message, reason, prefix);
    }
  };
  switch (type) {
    case 'Resource':
      return failing('FailedGetResourceMetric', `failed to get ${str(spec, 'resource', 'name') ?? ''} resource metric value: `, () => resourceProposal(deps, hpa, spec, 'resource', specReplicas, selector, pods));
    case 'ContainerResource':
      return failing('FailedGetContainerResourceMetric', `failed to get ${str(spec, 'containerResource', 'container') ?? ''} container metric value: `, () => resourceProposal(deps, hpa, spec, 'containerResource', specReplicas, selector, pods));
    case 'Pods':
      throw new MetricError(`unable to get metric ${str(spec, 'pods', 'metric', 'name') ?? ''}: no custom metrics API (custom.metrics.k8s.io) registered`, 'FailedGetPodsMetric', 'failed to get pods metric value: ');
    case 'Object':
      throw new MetricError(`unable to get metric ${str(spec, 'object', 'metric', 'name') ?? ''}: no custom metrics API (custom.metrics.k8s.io) registered`, 'FailedGetObjectMetric', 'failed to get object metric value: ');
    case 'External': {
      const name = str(spec, 'external', 'metric', 'name') ?? '';
      throw new MetricError(`unable to get external metric ${hpa.metadata.namespace ?? ''}/${name}: no external metrics API (external.metrics.k8s.io) registered`, 'FailedGetExternalMetric', `failed to get ${name} external metric value: `);
    }
    default:
      throw new MetricError(`unknown metric source type "${type}"`, 'InvalidMetricSourceType', '');
  }
}

/**
 * computeReplicasForMetrics evaluates every metric. Failures emit their event; when all fail, or
 * some fail while the rest would scale down, the first failure sets ScalingActive False and the
 * outcome has replicas -1; otherwise ScalingActive is True/ValidMetricFound.
 */
export async function computeReplicasForMetrics(deps: HpaDeps, hpa: KubeObject, conditions: HpaCondition[], specReplicas: number, selector: string, pods: KubeObject[]): Promise<MetricsOutcome> {
  const specs = Array.isArray(field(hpa, 'spec', 'metrics')) ? (field(hpa, 'spec', 'metrics') as unknown[]) : [];
  const statuses: JsonObject[] = specs.map(() => ({ type: '' }));
  let replicas = 0;
  let metricName = '';
  let invalid = 0;
  let first: (Failure & { error: string }) | undefined;
  for (const [i, spec] of specs.entries()) {
    try {
      const p = await metricProposal(deps, hpa, spec, specReplicas, selector, pods);
      statuses[i] = p.status;
      if (replicas === 0 || p.replicas > replicas) {
        replicas = p.replicas;
        metricName = p.name;
      }
    } catch (e) {
      const reason = e instanceof MetricError ? e.reason : 'FailedGetResourceMetric';
      const prefix = e instanceof MetricError ? e.prefix : '';
      deps.recorder.event(hpa, 'Warning', reason, (e as Error).message);
      if (invalid === 0) first = { reason, message: `the HPA was unable to compute the replica count: ${(e as Error).message}`, error: `${prefix}${(e as Error).message}` };
      invalid++;
    }
  }
  const error = first ? new Error(`invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${first.error}`) : undefined;
  const now = deps.clock.now();
  if (invalid >= specs.length || (invalid > 0 && replicas < specReplicas)) {
    if (first) setCondition(conditions, 'ScalingActive', 'False', first.reason, first.message, now);
    return { replicas: -1, metricName: '', statuses, ...(error ? { error } : {}) };
  }
  setCondition(conditions, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metricName}`, now);
  return { replicas, metricName, statuses, ...(error ? { error } : {}) };
}
