/**
 * Conversion between the stored autoscaling/v2 HorizontalPodAutoscaler and autoscaling/v1, as
 * kube-apiserver 1.32's pkg/apis/autoscaling/v1 conversion does it. v1 carries one CPU
 * utilization target (`targetCPUUtilizationPercentage`) and its current value; everything else
 * v2 has travels in `autoscaling.alpha.kubernetes.io/*` annotations, so a v1 client that reads an
 * object and writes it back loses nothing. Reading v1 moves the annotations back into fields.
 */
import { deepCopy, field, objAt } from '../../object.js';
import type { VersionConverter } from '../../resource.js';
import { isObject, type JsonObject, type KubeObject } from '../../types.js';
import { behaviorFromGoJson, behaviorToGoJson, metricSpecFromV1, metricSpecToV1, metricStatusFromV1, metricStatusToV1 } from './hpa_convert_metrics.js';

/** The round-trip annotations (pkg/apis/autoscaling/annotations.go). */
export const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const METRIC_STATUSES_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const ROUND_TRIP_ANNOTATIONS = [METRIC_SPECS_ANNOTATION, METRIC_STATUSES_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION];

/** DEFAULT_CPU_UTILIZATION is the target v1 implies when no metric is given (autoscaling.DefaultCPUUtilization). */
export const DEFAULT_CPU_UTILIZATION = 80;

/** dropRoundTripAnnotations removes the annotations only conversion may write; an emptied map goes away. */
function dropRoundTripAnnotations(obj: KubeObject): void {
  const ann = obj.metadata.annotations;
  if (!ann || !ROUND_TRIP_ANNOTATIONS.some((k) => k in ann)) return;
  const rest = { ...ann };
  for (const k of ROUND_TRIP_ANNOTATIONS) delete rest[k];
  if (Object.keys(rest).length) obj.metadata.annotations = rest;
  else delete obj.metadata.annotations;
}

function annotate(obj: KubeObject, key: string, value: unknown): void {
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [key]: JSON.stringify(value) };
}

/** annotationJson decodes one annotation; a malformed one is ignored, as upstream only moves well-formed data. */
function annotationJson(obj: KubeObject, key: string): unknown {
  const raw = obj.metadata.annotations?.[key];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function isCpuUtilization(m: unknown): boolean {
  return field(m, 'type') === 'Resource' && field(m, 'resource', 'name') === 'cpu' && typeof field(m, 'resource', 'target', 'averageUtilization') === 'number';
}

function crossVersionRef(r: unknown): JsonObject {
  const out: JsonObject = { kind: field(r, 'kind') ?? '', name: field(r, 'name') ?? '' };
  if (typeof field(r, 'apiVersion') === 'string' && field(r, 'apiVersion') !== '') out.apiVersion = field(r, 'apiVersion');
  return out;
}

function copyIfSet(out: JsonObject, from: unknown, key: string): void {
  const v = field(from, key);
  if (v !== undefined && v !== null) out[key] = deepCopy(v);
}

function statusToV1(status: unknown): JsonObject {
  const out: JsonObject = {};
  copyIfSet(out, status, 'observedGeneration');
  copyIfSet(out, status, 'lastScaleTime');
  out.currentReplicas = field(status, 'currentReplicas') ?? 0;
  out.desiredReplicas = field(status, 'desiredReplicas') ?? 0;
  // No break upstream: the last CPU metric with a utilization wins.
  for (const m of Array.isArray(field(status, 'currentMetrics')) ? (field(status, 'currentMetrics') as unknown[]) : []) {
    const u = field(m, 'resource', 'current', 'averageUtilization');
    if (field(m, 'type') === 'Resource' && field(m, 'resource', 'name') === 'cpu' && typeof u === 'number') out.currentCPUUtilizationPercentage = u;
  }
  return out;
}

/** hpaV2ToV1 converts a stored autoscaling/v2 HorizontalPodAutoscaler into autoscaling/v1. */
export function hpaV2ToV1(obj: KubeObject): KubeObject {
  const out: KubeObject = { ...deepCopy(obj), apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler' };
  dropRoundTripAnnotations(out);
  const spec = objAt(obj, 'spec') ?? {};
  const metrics = Array.isArray(spec.metrics) ? (spec.metrics as unknown[]) : [];
  const v1Spec: JsonObject = { scaleTargetRef: crossVersionRef(spec.scaleTargetRef) };
  copyIfSet(v1Spec, spec, 'minReplicas');
  v1Spec.maxReplicas = spec.maxReplicas ?? 0;
  const cpu = metrics.find(isCpuUtilization);
  if (cpu) v1Spec.targetCPUUtilizationPercentage = field(cpu, 'resource', 'target', 'averageUtilization');
  out.spec = v1Spec;
  const status = obj.status;
  out.status = statusToV1(status);
  const others = metrics.filter((m) => !isCpuUtilization(m)).map(metricSpecToV1);
  if (others.length) annotate(out, METRIC_SPECS_ANNOTATION, others);
  const current = field(status, 'currentMetrics');
  // The statuses are kept even when they map to currentCPUUtilizationPercentage: they hold the raw value too.
  if (Array.isArray(current) && current.length) annotate(out, METRIC_STATUSES_ANNOTATION, current.map(metricStatusToV1));
  if (isObject(spec.behavior)) annotate(out, BEHAVIOR_ANNOTATION, behaviorToGoJson(spec.behavior));
  const conditions = field(status, 'conditions');
  if (Array.isArray(conditions) && conditions.length) annotate(out, CONDITIONS_ANNOTATION, conditions);
  return out;
}

function specFromV1(obj: KubeObject): JsonObject {
  const spec = objAt(obj, 'spec') ?? {};
  const out: JsonObject = { scaleTargetRef: crossVersionRef(spec.scaleTargetRef) };
  copyIfSet(out, spec, 'minReplicas');
  out.maxReplicas = spec.maxReplicas ?? 0;
  const metrics: unknown[] = [];
  const others = annotationJson(obj, METRIC_SPECS_ANNOTATION);
  if (Array.isArray(others)) metrics.push(...others.map(metricSpecFromV1));
  // The CPU target of the spec goes after the annotated metrics, as upstream appends it.
  const pct = spec.targetCPUUtilizationPercentage;
  if (typeof pct === 'number') metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: pct } } });
  // autoscaling/v1 formerly implied an 80 % CPU target in the controller; v2 states it.
  if (metrics.length === 0) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } });
  out.metrics = metrics;
  const behavior = behaviorFromGoJson(annotationJson(obj, BEHAVIOR_ANNOTATION));
  if (behavior) out.behavior = behavior;
  return out;
}

function statusFromV1(obj: KubeObject): JsonObject {
  const status = objAt(obj, 'status') ?? {};
  const out: JsonObject = {};
  copyIfSet(out, status, 'observedGeneration');
  copyIfSet(out, status, 'lastScaleTime');
  if (typeof status.currentReplicas === 'number' && status.currentReplicas !== 0) out.currentReplicas = status.currentReplicas;
  out.desiredReplicas = status.desiredReplicas ?? 0;
  const pct = status.currentCPUUtilizationPercentage;
  if (typeof pct === 'number') out.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: pct } } }];
  const current = annotationJson(obj, METRIC_STATUSES_ANNOTATION);
  // The annotated statuses carry more than the percentage: they replace it.
  if (Array.isArray(current)) out.currentMetrics = current.map(metricStatusFromV1);
  const conditions = annotationJson(obj, CONDITIONS_ANNOTATION);
  if (Array.isArray(conditions)) out.conditions = conditions;
  return out;
}

/** hpaV1ToV2 converts an autoscaling/v1 HorizontalPodAutoscaler into the stored autoscaling/v2 shape. */
export function hpaV1ToV2(obj: KubeObject): KubeObject {
  const out: KubeObject = { ...deepCopy(obj), apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' };
  out.spec = specFromV1(obj);
  out.status = statusFromV1(obj);
  dropRoundTripAnnotations(out);
  return out;
}

/** hpaV1Converter serves HorizontalPodAutoscaler as autoscaling/v1. */
export const hpaV1Converter: VersionConverter = { group: 'autoscaling', version: 'v1', toStored: hpaV1ToV2, fromStored: hpaV2ToV1, inOpenApi: true };
