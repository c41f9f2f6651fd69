/**
 * Normalization of a metric recommendation into the replica count to set, as upstream does it:
 * without `behavior`, the highest recommendation of the downscale stabilization window and a
 * scale-up limit of max(2 × current, 4); with `behavior`, per-direction stabilization windows and
 * the rate policies (Pods / Percent per period, selectPolicy Max / Min / Disabled) measured
 * against the scale events of each policy's period. The history lives in HpaHistory, per HPA key.
 */
import { arr, num, str } from '../../api/object.js';
import { isObject, type JsonObject } from '../../api/types.js';

/** Limit is a normalization outcome: the replicas and the reason/message of the condition it sets. */
export interface Limit {
  replicas: number;
  reason: string;
  message: string;
}

interface Recommendation {
  replicas: number;
  atMs: number;
}

interface ScaleEvent {
  change: number;
  atMs: number;
  outdated: boolean;
}

/** ScalingRules is a defaulted HPAScalingRules. */
export interface ScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: string;
  policies: { type: string; value: number; periodSeconds: number }[];
}

/** scalingRules reads a behavior direction; the window falls back to defaultWindowSeconds (the flag, for scale-down). */
export function scalingRules(rules: unknown, defaultWindowSeconds: number): ScalingRules {
  const r: JsonObject = isObject(rules) ? rules : {};
  return {
    stabilizationWindowSeconds: num(r, 'stabilizationWindowSeconds') ?? defaultWindowSeconds,
    selectPolicy: str(r, 'selectPolicy') ?? 'Max',
    policies: arr(r, 'policies').map((p) => ({ type: str(p, 'type') ?? '', value: num(p, 'value') ?? 0, periodSeconds: num(p, 'periodSeconds') ?? 0 })),
  };
}

const DESIRED_WITHIN_RANGE = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };

/** HpaHistory keeps the recommendations and scale events of one HPA (upstream's per-key maps). */
export class HpaHistory {
  private recommendations: Recommendation[] = [];
  private scaleUpEvents: ScaleEvent[] = [];
  private scaleDownEvents: ScaleEvent[] = [];

  /** recordInitial seeds the history with the current count the first time an HPA is seen. */
  recordInitial(replicas: number, nowMs: number): void {
    if (this.recommendations.length === 0) this.recommendations.push({ replicas, atMs: nowMs });
  }

  private record(replicas: number, nowMs: number, oldIndex: number | undefined): void {
    const rec = { replicas, atMs: nowMs };
    if (oldIndex !== undefined) this.recommendations[oldIndex] = rec;
    else this.recommendations.push(rec);
  }

  /** stabilize (no behavior) returns the highest recommendation of the window, recording this one. */
  stabilize(desired: number, windowMs: number, nowMs: number): number {
    const cutoff = nowMs - windowMs;
    let max = desired;
    let oldIndex: number | undefined;
    this.recommendations.forEach((r, i) => {
      if (r.atMs < cutoff) oldIndex = i;
      else if (r.replicas > max) max = r.replicas;
    });
    this.record(desired, nowMs, oldIndex);
    return max;
  }

  /** stabilizeWithBehavior bounds the recommendation by the lowest (up window) and highest (down window) recent ones. */
  stabilizeWithBehavior(current: number, desired: number, up: ScalingRules, down: ScalingRules, nowMs: number): Limit {
    const upCutoff = nowMs - up.stabilizationWindowSeconds * 1000;
    const downCutoff = nowMs - down.stabilizationWindowSeconds * 1000;
    let upRec = desired;
    let downRec = desired;
    let oldIndex: number | undefined;
    this.recommendations.forEach((r, i) => {
      if (r.atMs > upCutoff) upRec = Math.min(r.replicas, upRec);
      if (r.atMs > downCutoff) downRec = Math.max(r.replicas, downRec);
      if (r.atMs < upCutoff && r.atMs < downCutoff) oldIndex = i;
    });
    let replicas = current;
    if (replicas < upRec) replicas = upRec;
    if (replicas > downRec) replicas = downRec;
    this.record(desired, nowMs, oldIndex);
    return desired >= current
      ? { replicas, reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
      : { replicas, reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
  }

  /** rateLimited applies the behavior's policies to a stabilized recommendation. */
  rateLimited(current: number, desired: number, min: number, max: number, up: ScalingRules, down: ScalingRules, nowMs: number): Limit {
    if (desired > current) {
      let limit = scaleUpLimit(current, this.scaleUpEvents, this.scaleDownEvents, up, nowMs);
      // Until old scale-up events age out, do not go further up.
      if (limit < current) limit = current;
      const byRate = max > limit;
      const allowed = byRate ? limit : max;
      const why = byRate
        ? { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
        : { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
      if (desired > allowed) return { replicas: allowed, ...why };
    } else if (desired < current) {
      let limit = scaleDownLimit(current, this.scaleUpEvents, this.scaleDownEvents, down, nowMs);
      if (limit > current) limit = current;
      const byRate = min < limit;
      const allowed = byRate ? limit : min;
      const why = byRate
        ? { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' }
        : { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
      if (desired < allowed) return { replicas: allowed, ...why };
    }
    return { replicas: desired, ...DESIRED_WITHIN_RANGE };
  }

  /** storeScaleEvent remembers a rescale for the rate policies, reusing an event older than the longest period. */
  storeScaleEvent(prev: number, next: number, up: ScalingRules, down: ScalingRules, nowMs: number): void {
    const upward = next > prev;
    const events = upward ? this.scaleUpEvents : this.scaleDownEvents;
    const longest = Math.max(0, ...(upward ? up : down).policies.map((p) => p.periodSeconds));
    const cutoff = nowMs - longest * 1000;
    let oldIndex: number | undefined;
    events.forEach((e, i) => {
      if (e.atMs < cutoff) e.outdated = true;
      if (e.outdated) oldIndex = i;
    });
    const ev = { change: Math.abs(next - prev), atMs: nowMs, outdated: false };
    if (oldIndex !== undefined) events[oldIndex] = ev;
    else events.push(ev);
  }
}

function changeInPeriod(periodSeconds: number, events: ScaleEvent[], nowMs: number): number {
  const cutoff = nowMs - periodSeconds * 1000;
  return events.reduce((sum, e) => (e.atMs > cutoff ? sum + e.change : sum), 0);
}

/** scaleUpLimit is calculateScaleUpLimitWithScalingRules. */
export function scaleUpLimit(current: number, upEvents: ScaleEvent[], downEvents: ScaleEvent[], rules: ScalingRules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(p.periodSeconds, upEvents, nowMs) + changeInPeriod(p.periodSeconds, downEvents, nowMs);
    // Percent rounds up, or a small percentage could never add a pod.
    const proposed = p.type === 'Pods' ? start + p.value : p.type === 'Percent' ? Math.ceil(start * (1 + p.value / 100)) : 0;
    result = pick(result, proposed);
  }
  return result;
}

/** scaleDownLimit is calculateScaleDownLimitWithBehaviors. */
export function scaleDownLimit(current: number, upEvents: ScaleEvent[], downEvents: ScaleEvent[], rules: ScalingRules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(p.periodSeconds, upEvents, nowMs) + changeInPeriod(p.periodSeconds, downEvents, nowMs);
    const proposed = p.type === 'Pods' ? start - p.value : p.type === 'Percent' ? Math.trunc(start * (1 - p.value / 100)) : 0;
    result = pick(result, proposed);
  }
  return result;
}

/** withRules is convertDesiredReplicasWithRules (no behavior): min/max bounds and a scale-up limit of max(2 × current, 4). */
export function withRules(current: number, desired: number, min: number, max: number): Limit {
  const upLimit = Math.trunc(Math.max(2 * current, 4));
  const byRate = max > upLimit;
  const allowedMax = byRate ? upLimit : max;
  if (desired < min) return { replicas: min, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  if (desired > allowedMax) {
    return byRate
      ? { replicas: allowedMax, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
      : { replicas: allowedMax, reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
  }
  return { replicas: desired, ...DESIRED_WITHIN_RANGE };
}
