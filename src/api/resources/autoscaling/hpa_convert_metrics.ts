/**
 * The metric and behavior shapes the autoscaling/v1 round-trip annotations hold: autoscaling/v1's
 * MetricSpec / MetricStatus (the v2beta1 layout: `targetAverageUtilization`, `metricName`, …) and
 * the internal HorizontalPodAutoscalerBehavior, which upstream marshals without json tags (Go
 * field names, nil as null) and reads back case-insensitively.
 */
import { deepCopy, field } from '../../object.js';
import { isObject, type JsonObject } from '../../types.js';

function set(out: JsonObject, key: string, v: unknown): void {
  if (v !== undefined && v !== null) out[key] = deepCopy(v);
}

/** orZero is a Go non-pointer Quantity: the zero value marshals as "0". */
function orZero(v: unknown): unknown {
  return v === undefined || v === null ? '0' : deepCopy(v);
}

function ref(r: unknown): JsonObject {
  const out: JsonObject = { kind: field(r, 'kind') ?? '', name: field(r, 'name') ?? '' };
  set(out, 'apiVersion', field(r, 'apiVersion') || undefined);
  return out;
}

function identifier(name: unknown, selector: unknown): JsonObject {
  const out: JsonObject = { name: name ?? '' };
  set(out, 'selector', selector);
  return out;
}

/** metricSpecToV1 is Convert_autoscaling_MetricSpec_To_v1_MetricSpec. */
export function metricSpecToV1(m: unknown): JsonObject {
  const out: JsonObject = { type: field(m, 'type') ?? '' };
  const o = field(m, 'object');
  if (isObject(o)) {
    const v: JsonObject = { target: ref(o.describedObject), metricName: field(o, 'metric', 'name') ?? '', targetValue: orZero(field(o, 'target', 'value')) };
    set(v, 'selector', field(o, 'metric', 'selector'));
    set(v, 'averageValue', field(o, 'target', 'averageValue'));
    out.object = v;
  }
  const p = field(m, 'pods');
  if (isObject(p)) {
    const v: JsonObject = { metricName: field(p, 'metric', 'name') ?? '', targetAverageValue: orZero(field(p, 'target', 'averageValue')) };
    set(v, 'selector', field(p, 'metric', 'selector'));
    out.pods = v;
  }
  for (const key of ['resource', 'containerResource']) {
    const r = field(m, key);
    if (!isObject(r)) continue;
    const v: JsonObject = { name: r.name ?? '' };
    set(v, 'targetAverageUtilization', field(r, 'target', 'averageUtilization'));
    set(v, 'targetAverageValue', field(r, 'target', 'averageValue'));
    if (key === 'containerResource') v.container = r.container ?? '';
    out[key] = v;
  }
  const e = field(m, 'external');
  if (isObject(e)) {
    const v: JsonObject = { metricName: field(e, 'metric', 'name') ?? '' };
    set(v, 'metricSelector', field(e, 'metric', 'selector'));
    set(v, 'targetValue', field(e, 'target', 'value'));
    set(v, 'targetAverageValue', field(e, 'target', 'averageValue'));
    out.external = v;
  }
  return out;
}

/** metricSpecFromV1 is Convert_v1_MetricSpec_To_autoscaling_MetricSpec. */
export function metricSpecFromV1(m: unknown): JsonObject {
  const out: JsonObject = { type: field(m, 'type') ?? '' };
  const o = field(m, 'object');
  if (isObject(o)) {
    const target: JsonObject = { type: o.averageValue === undefined || o.averageValue === null ? 'Value' : 'AverageValue', value: orZero(o.targetValue) };
    set(target, 'averageValue', o.averageValue);
    out.object = { describedObject: ref(o.target), metric: identifier(o.metricName, o.selector), target };
  }
  const p = field(m, 'pods');
  if (isObject(p)) out.pods = { metric: identifier(p.metricName, p.selector), target: { type: 'AverageValue', averageValue: orZero(p.targetAverageValue) } };
  for (const key of ['resource', 'containerResource']) {
    const r = field(m, key);
    if (!isObject(r)) continue;
    const utilization = r.targetAverageUtilization;
    const target: JsonObject = { type: utilization === undefined || utilization === null ? 'AverageValue' : 'Utilization' };
    set(target, 'averageValue', r.targetAverageValue);
    set(target, 'averageUtilization', utilization);
    const v: JsonObject = { name: r.name ?? '' };
    if (key === 'containerResource') v.container = r.container ?? '';
    v.target = target;
    out[key] = v;
  }
  const e = field(m, 'external');
  if (isObject(e)) {
    const target: JsonObject = { type: e.targetValue === undefined || e.targetValue === null ? 'AverageValue' : 'Value' };
    set(target, 'value', e.targetValue);
    set(target, 'averageValue', e.targetAverageValue);
    out.external = { metric: identifier(e.metricName, e.metricSelector), target };
  }
  return out;
}

/** metricStatusToV1 is Convert_autoscaling_MetricStatus_To_v1_MetricStatus. */
export function metricStatusToV1(m: unknown): JsonObject {
  const out: JsonObject = { type: field(m, 'type') ?? '' };
  const o = field(m, 'object');
  if (isObject(o)) {
    const v: JsonObject = { target: ref(o.describedObject), metricName: field(o, 'metric', 'name') ?? '', currentValue: orZero(field(o, 'current', 'value')) };
    set(v, 'selector', field(o, 'metric', 'selector'));
    set(v, 'averageValue', field(o, 'current', 'averageValue'));
    out.object = v;
  }
  const p = field(m, 'pods');
  if (isObject(p)) {
    const v: JsonObject = { metricName: field(p, 'metric', 'name') ?? '', currentAverageValue: orZero(field(p, 'current', 'averageValue')) };
    set(v, 'selector', field(p, 'metric', 'selector'));
    out.pods = v;
  }
  for (const key of ['resource', 'containerResource']) {
    const r = field(m, key);
    if (!isObject(r)) continue;
    const v: JsonObject = { name: r.name ?? '' };
    set(v, 'currentAverageUtilization', field(r, 'current', 'averageUtilization'));
    v.currentAverageValue = orZero(field(r, 'current', 'averageValue'));
    if (key === 'containerResource') v.container = r.container ?? '';
    out[key] = v;
  }
  const e = field(m, 'external');
  if (isObject(e)) {
    const v: JsonObject = { metricName: field(e, 'metric', 'name') ?? '' };
    set(v, 'metricSelector', field(e, 'metric', 'selector'));
    v.currentValue = orZero(field(e, 'current', 'value'));
    set(v, 'currentAverageValue', field(e, 'current', 'averageValue'));
    out.external = v;
  }
  return out;
}

/** metricStatusFromV1 is Convert_v1_MetricStatus_To_autoscaling_MetricStatus. */
export function metricStatusFromV1(m: unknown): JsonObject {
  const out: JsonObject = { type: field(m, 'type') ?? '' };
  const o = field(m, 'object');
  if (isObject(o)) {
    const current: JsonObject = { value: orZero(o.currentValue) };
    set(current, 'averageValue', o.averageValue);
    out.object = { metric: identifier(o.metricName, o.selector), current, describedObject: ref(o.target) };
  }
  const p = field(m, 'pods');
  if (isObject(p)) out.pods = { metric: identifier(p.metricName, p.selector), current: { averageValue: orZero(p.currentAverageValue) } };
  for (const key of ['resource', 'containerResource']) {
    const r = field(m, key);
    if (!isObject(r)) continue;
    const current: JsonObject = { averageValue: orZero(r.currentAverageValue) };
    set(current, 'averageUtilization', r.currentAverageUtilization);
    const v: JsonObject = { name: r.name ?? '' };
    if (key === 'containerResource') v.container = r.container ?? '';
    v.current = current;
    out[key] = v;
  }
  const e = field(m, 'external');
  if (isObject(e)) {
    const current: JsonObject = { value: orZero(e.currentValue) };
    set(current, 'averageValue', e.currentAverageValue);
    out.external = { metric: identifier(e.metricName, e.metricSelector), current };
  }
  return out;
}

function rulesToGo(r: unknown): unknown {
  if (!isObject(r)) return null;
  const policies = Array.isArray(r.policies) ? r.policies.map((p) => ({ Type: field(p, 'type') ?? '', Value: field(p, 'value') ?? 0, PeriodSeconds: field(p, 'periodSeconds') ?? 0 })) : null;
  return { StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null, SelectPolicy: r.selectPolicy ?? null, Policies: policies };
}

/** behaviorToGoJson writes a v2 behavior the way json.Marshal writes the internal type. */
export function behaviorToGoJson(b: JsonObject): JsonObject {
  return { ScaleUp: rulesToGo(b.scaleUp), ScaleDown: rulesToGo(b.scaleDown) };
}

/** getCI looks a key up as encoding/json does: exactly, else ignoring case. */
function getCI(obj: unknown, name: string): unknown {
  if (!isObject(obj)) return undefined;
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

function rulesFromGo(r: unknown): JsonObject | undefined {
  if (!isObject(r)) return undefined;
  const out: JsonObject = {};
  set(out, 'stabilizationWindowSeconds', getCI(r, 'StabilizationWindowSeconds'));
  set(out, 'selectPolicy', getCI(r, 'SelectPolicy'));
  const policies = getCI(r, 'Policies');
  if (Array.isArray(policies)) out.policies = policies.map((p) => ({ type: getCI(p, 'Type') ?? '', value: getCI(p, 'Value') ?? 0, periodSeconds: getCI(p, 'PeriodSeconds') ?? 0 }));
  return out;
}

/** behaviorFromGoJson reads the behavior annotation back; undefined when absent, malformed or empty. */
export function behaviorFromGoJson(v: unknown): JsonObject | undefined {
  if (!isObject(v)) return undefined;
  const out: JsonObject = {};
  const up = rulesFromGo(getCI(v, 'ScaleUp'));
  const down = rulesFromGo(getCI(v, 'ScaleDown'));
  if (up) out.scaleUp = up;
  if (down) out.scaleDown = down;
  return Object.keys(out).length ? out : undefined;
}
