/**
 * Conversion between the stored core/v1 Event and events.k8s.io/v1 Event, as kube-apiserver 1.32's
 * pkg/apis/events/v1 conversion does it: both versions share one storage, and the newer one renames
 * fields (note ↔ message, regarding ↔ involvedObject, reportingController ↔ reportingComponent,
 * deprecatedSource/FirstTimestamp/LastTimestamp/Count ↔ source/firstTimestamp/lastTimestamp/count).
 * eventTime, series, action, related, reportingInstance, type and reason keep their names.
 */
import { deepCopy } from '../../object.js';
import type { VersionConverter } from '../../resource.js';
import type { JsonObject, KubeObject } from '../../types.js';
import { validateEventsV1Write } from './events_validation.js';

/** RENAMED pairs an events.k8s.io/v1 field with its core/v1 name. */
const RENAMED: [string, string][] = [
  ['note', 'message'],
  ['regarding', 'involvedObject'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];
const SHARED = ['eventTime', 'series', 'action', 'related', 'reportingInstance', 'type', 'reason'];

function convert(obj: KubeObject, apiVersion: string, toCore: boolean): KubeObject {
  const src = obj as JsonObject;
  const out: JsonObject = { apiVersion, kind: 'Event', metadata: deepCopy(obj.metadata) };
  for (const [v1Name, coreName] of RENAMED) {
    const [from, to] = toCore ? [v1Name, coreName] : [coreName, v1Name];
    if (src[from] !== undefined) out[to] = deepCopy(src[from]);
  }
  for (const k of SHARED) if (src[k] !== undefined) out[k] = deepCopy(src[k]);
  // The referenced object and source are plain structs upstream: always present, possibly empty.
  if (out[toCore ? 'involvedObject' : 'regarding'] === undefined) out[toCore ? 'involvedObject' : 'regarding'] = {};
  if (out[toCore ? 'source' : 'deprecatedSource'] === undefined) out[toCore ? 'source' : 'deprecatedSource'] = {};
  // A zero count is omitted by events.k8s.io/v1 (omitempty), and a missing one is zero in core/v1.
  if (!toCore && out.deprecatedCount === 0) delete out.deprecatedCount;
  return out as KubeObject;
}

/** eventToCoreV1 converts an events.k8s.io/v1 Event into the stored core/v1 shape. */
export function eventToCoreV1(obj: KubeObject): KubeObject {
  return convert(obj, 'v1', true);
}

/** eventToEventsV1 converts a stored core/v1 Event into events.k8s.io/v1. */
export function eventToEventsV1(obj: KubeObject): KubeObject {
  return convert(obj, 'events.k8s.io/v1', false);
}

/** eventsV1Converter serves events.k8s.io/v1 Event from core/v1 storage, with its stricter write validation. */
export const eventsV1Converter: VersionConverter = {
  group: 'events.k8s.io',
  version: 'v1',
  toStored: eventToCoreV1,
  fromStored: eventToEventsV1,
  validate: validateEventsV1Write,
};
