/**
 * reconcileAutoscaler: one HPA sync as kube-controller-manager 1.32's HorizontalController does
 * it — read the target's scale, compute the metric proposal, normalize it (min/max, rate limits,
 * stabilization), rescale, and write the status (currentReplicas, desiredReplicas, currentMetrics,
 * lastScaleTime, conditions) only when it changed.
 */
import { deepCopy, field, num, objAt, str } from '../../api/object.js';
import { parseSelector, type Selector } from '../../api/labels/selector.js';
import type { JsonObject, KubeObject } from '../../api/types.js';
import { setCondition, type HpaCondition } from './conditions.js';
import type { HpaDeps, ScaleTargetRef } from './deps.js';
import { computeReplicasForMetrics } from './metrics_replicas.js';
import { HpaHistory, scalingRules, withRules, type Limit } from './normalize.js';
import { rfc3339 } from './quantity.js';

/** HpaState is what the controller remembers between syncs, per HPA key: the scaling history and the target's pod selector. */
export interface HpaState {
  histories: Map<string, HpaHistory>;
  selectors: Map<string, Selector>;
}

/** newHpaState returns an empty state. */
export function newHpaState(): HpaState {
  return { histories: new Map(), selectors: new Map() };
}

/** forgetHpa drops a deleted HPA's state. */
export function forgetHpa(state: HpaState, key: string): void {
  state.histories.delete(key);
  state.selectors.delete(key);
}

function historyOf(state: HpaState, key: string): HpaHistory {
  let h = state.histories.get(key);
  if (!h) state.histories.set(key, (h = new HpaHistory()));
  return h;
}

/** canonical is a key-order independent JSON form, so an unchanged status is never rewritten. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

interface Work {
  deps: HpaDeps;
  hpa: KubeObject;
  conditions: HpaCondition[];
  oldStatus: string;
}

async function writeStatus(w: Work, status: JsonObject): Promise<void> {
  status.conditions = w.conditions;
  if (canonical(status) === w.oldStatus) return;
  const next = { ...w.hpa, status };
  try {
    await w.deps.updateStatus(next);
  } catch (e) {
    w.deps.recorder.event(w.hpa, 'Warning', 'FailedUpdateStatus', (e as Error).message);
    throw new Error(`failed to update status for ${w.hpa.metadata.name ?? ''}: ${(e as Error).message}`);
  }
}

/** statusOf is upstream's setStatus: the counts and metrics of this sync, lastScaleTime kept or moved. */
function statusOf(w: Work, current: number, desired: number, metrics: JsonObject[] | undefined, rescaled: boolean): JsonObject {
  const s: JsonObject = {};
  if (current !== 0) s.currentReplicas = current;
  s.desiredReplicas = desired;
  const last = rescaled ? rfc3339(w.deps.clock.now()) : str(w.hpa, 'status', 'lastScaleTime');
  if (last) s.lastScaleTime = last;
  if (metrics && metrics.length) s.currentMetrics = metrics;
  return s;
}

/** setCurrentWithOldDesired is setCurrentReplicasAndMetricsInStatus: used on the failure paths. */
function failureStatus(w: Work, current: number, metrics?: JsonObject[]): JsonObject {
  return statusOf(w, current, num(w.hpa, 'status', 'desiredReplicas') ?? 0, metrics, false);
}

async function failGetScale(w: Work, err: Error, thrown: string): Promise<never> {
  w.deps.recorder.event(w.hpa, 'Warning', 'FailedGetScale', err.message);
  setCondition(w.conditions, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${err.message}`, w.deps.clock.now());
  const status = objAt(w.hpa, 'status') ? deepCopy(objAt(w.hpa, 'status')!) : {};
  await writeStatus(w, status).catch((e: Error) => w.deps.logger.warn('hpa status update failed', { err: e.message }));
  throw new Error(thrown);
}

function normalize(w: Work, history: HpaHistory, current: number, proposed: number, min: number): number {
  const { deps, hpa, conditions } = w;
  const now = deps.clock.now();
  const max = num(hpa, 'spec', 'maxReplicas') ?? 0;
  const behavior = objAt(hpa, 'spec', 'behavior');
  let stabilized: Limit;
  let limited: Limit;
  if (!behavior) {
    const replicas = history.stabilize(proposed, deps.settings.downscaleStabilizationMs, now);
    stabilized = { replicas, reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
    limited = withRules(current, replicas, min, max);
  } else {
    const up = scalingRules(behavior.scaleUp, 0);
    const down = scalingRules(behavior.scaleDown, Math.trunc(deps.settings.downscaleStabilizationMs / 1000));
    stabilized = history.stabilizeWithBehavior(current, proposed, up, down, now);
    limited = history.rateLimited(current, stabilized.replicas, min, max, up, down, now);
  }
  if (stabilized.replicas !== proposed) setCondition(conditions, 'AbleToScale', 'True', stabilized.reason, stabilized.message, now);
  else setCondition(conditions, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size', now);
  setCondition(conditions, 'ScalingLimited', limited.replicas === stabilized.replicas ? 'False' : 'True', limited.reason, limited.message, now);
  return limited.replicas;
}

function selectorError(w: Work, state: HpaState, key: string, selector: string): Error | undefined {
  const now = w.deps.clock.now();
  if (selector === '') {
    w.deps.recorder.event(w.hpa, 'Warning', 'SelectorRequired', 'selector is required');
    setCondition(w.conditions, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector", now);
    return new Error('selector is required');
  }
  let parsed: Selector;
  try {
    parsed = parseSelector(selector);
  } catch (e) {
    const msg = `couldn't convert selector into a corresponding internal selector object: ${(e as Error).message}`;
    w.deps.recorder.event(w.hpa, 'Warning', 'InvalidSelector', msg);
    setCondition(w.conditions, 'ScalingActive', 'False', 'InvalidSelector', msg, now);
    return new Error(msg);
  }
  state.selectors.set(key, parsed);
  // Pods selected by two HPAs would be scaled by both: upstream refuses.
  const ns = w.hpa.metadata.namespace ?? '';
  const pods = w.deps.listPods(ns).filter((p) => parsed.matches(p.metadata.labels ?? {}));
  const controlling = [...state.selectors.entries()].filter(([k, sel]) => k.startsWith(`${ns}/`) && pods.some((p) => sel.matches(p.metadata.labels ?? {}))).map(([k]) => k);
  if (controlling.length > 1) {
    const msg = `pods by selector ${selector} are controlled by multiple HPAs: [${controlling.sort().join(' ')}]`;
    w.deps.recorder.event(w.hpa, 'Warning', 'AmbiguousSelector', msg);
    setCondition(w.conditions, 'ScalingActive', 'False', 'AmbiguousSelector', msg, now);
    return new Error(msg);
  }
  return undefined;
}

/** reconcileAutoscaler syncs one HPA (a private copy of the cached object); it rejects after recording a failure. */
export async function reconcileAutoscaler(deps: HpaDeps, state: HpaState, key: string, cached: KubeObject): Promise<void> {
  const hpa: KubeObject = { ...deepCopy(cached), apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' };
  const ns = hpa.metadata.namespace ?? '';
  const conditions = (Array.isArray(field(hpa, 'status', 'conditions')) ? field(hpa, 'status', 'conditions') : []) as HpaCondition[];
  const w: Work = { deps, hpa, conditions, oldStatus: canonical(objAt(cached, 'status') ?? {}) };
  const ref: ScaleTargetRef = { apiVersion: str(hpa, 'spec', 'scaleTargetRef', 'apiVersion') ?? '', kind: str(hpa, 'spec', 'scaleTargetRef', 'kind') ?? '', name: str(hpa, 'spec', 'scaleTargetRef', 'name') ?? '' };
  const reference = `${ref.kind}/${ns}/${ref.name}`;
  let scale;
  try {
    scale = await deps.scales.get(ns, ref);
  } catch (e) {
    const msg = (e as Error).message;
    const thrown = msg.startsWith('unexpected GroupVersion') ? `invalid API version in scale target reference: ${msg}` : msg.startsWith('no matches for kind') ? `unable to determine resource for scale target reference: ${msg}` : `failed to query scale subresource for ${reference}: ${msg}`;
    return failGetScale(w, e as Error, thrown);
  }
  const now = deps.clock.now();
  setCondition(conditions, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale", now);
  const current = scale.specReplicas;
  const history = historyOf(state, key);
  history.recordInitial(current, now);
  const min = num(hpa, 'spec', 'minReplicas') ?? 1;
  const max = num(hpa, 'spec', 'maxReplicas') ?? 0;
  let desired = 0;
  let reason = '';
  let rescale = true;
  let metricStatuses: JsonObject[] | undefined;
  let retErr: Error | undefined;
  if (current === 0 && min !== 0) {
    rescale = false;
    setCondition(conditions, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero', now);
  } else if (current > max) {
    reason = 'Current number of replicas above Spec.MaxReplicas';
    desired = max;
  } else if (current < min) {
    reason = 'Current number of replicas below Spec.MinReplicas';
    desired = min;
  } else {
    const selErr = selectorError(w, state, key, scale.selector);
    const outcome = selErr
      ? { replicas: -1, metricName: '', statuses: undefined, error: selErr }
      : await computeReplicasForMetrics(deps, hpa, conditions, current, scale.selector, selectPods(deps, ns, scale.selector));
    metricStatuses = outcome.statuses;
    if (outcome.replicas === -1) {
      await writeStatus(w, failureStatus(w, current, metricStatuses));
      const err = outcome.error?.message ?? '';
      deps.recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', err);
      throw new Error(`failed to compute desired number of replicas based on listed metrics for ${reference}: ${err}`);
    }
    retErr = outcome.error;
    let metric = '';
    if (outcome.replicas > desired) {
      desired = outcome.replicas;
      metric = outcome.metricName;
    }
    if (desired > current) reason = `${metric} above target`;
    if (desired < current) reason = 'All metrics below target';
    desired = normalize(w, history, current, desired, min);
    rescale = desired !== current;
  }
  if (rescale) {
    try {
      await deps.scales.update(ns, ref, scale, desired);
    } catch (e) {
      const msg = (e as Error).message;
      deps.recorder.event(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${msg}`);
      setCondition(conditions, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${msg}`, deps.clock.now());
      await writeStatus(w, failureStatus(w, current, metricStatuses)).catch((err: Error) => deps.logger.warn('hpa status update failed', { err: err.message }));
      throw new Error(`failed to rescale ${reference}: ${msg}`);
    }
    setCondition(conditions, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`, deps.clock.now());
    deps.recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
    const behavior = objAt(hpa, 'spec', 'behavior');
    if (behavior) history.storeScaleEvent(current, desired, scalingRules(behavior.scaleUp, 0), scalingRules(behavior.scaleDown, 0), deps.clock.now());
    deps.logger.info('successfully rescaled', { hpa: key, currentReplicas: current, desiredReplicas: desired, reason });
  } else desired = current;
  await writeStatus(w, statusOf(w, current, desired, metricStatuses, rescale));
  if (retErr) throw retErr;
}

function selectPods(deps: HpaDeps, ns: string, selector: string): KubeObject[] {
  const sel = parseSelector(selector);
  return deps.listPods(ns).filter((p) => sel.matches(p.metadata.labels ?? {}));
}
