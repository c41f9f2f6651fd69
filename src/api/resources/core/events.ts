import { num, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import type { KubeObject } from '../../types.js';
import { NAME_COLUMN, column } from './core_table.js';
import { eventToCoreV1, eventsV1Converter } from './events_convert.js';
import { validateLegacyEvent } from './events_validation.js';

/** eventSource renders SOURCE: component (or reportingComponent), then ", host" (or reportingInstance) when known. */
function eventSource(obj: KubeObject): string {
  const component = str(obj, 'source', 'component') || str(obj, 'reportingComponent') || '';
  const host = str(obj, 'source', 'host') || str(obj, 'reportingInstance') || '';
  return host ? `${component}, ${host}` : component;
}

/** eventRow computes the cells of kube-apiserver's event printer (wide form). */
function eventRow(served: KubeObject, now: number): unknown[] {
  // Tables are built from the served object; events.k8s.io/v1 ones print as their core/v1 form.
  const obj = served.apiVersion === 'events.k8s.io/v1' ? eventToCoreV1(served) : served;
  const first = str(obj, 'firstTimestamp') ? age(str(obj, 'firstTimestamp'), now) : age(str(obj, 'eventTime'), now);
  let last = str(obj, 'lastTimestamp') ? age(str(obj, 'lastTimestamp'), now) : first;
  let count = num(obj, 'count') ?? 0;
  if (obj.series !== undefined && obj.series !== null) {
    last = age(str(obj, 'series', 'lastObservedTime'), now);
    count = num(obj, 'series', 'count') ?? 0;
  } else if (count === 0) {
    // Singleton events written through the new API carry no count.
    count = 1;
  }
  const kind = (str(obj, 'involvedObject', 'kind') ?? '').toLowerCase();
  const name = str(obj, 'involvedObject', 'name') ?? '';
  const target = name ? `${kind}/${name}` : kind;
  return [
    last,
    str(obj, 'type') ?? '',
    str(obj, 'reason') ?? '',
    target,
    str(obj, 'involvedObject', 'fieldPath') ?? '',
    eventSource(obj),
    (str(obj, 'message') ?? '').trim(),
    first,
    count,
    obj.metadata.name ?? '',
  ];
}

/** events (core/v1 Event, `ev`): a report of something that happened to an involved object. */
export const events: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  categories: [],
  // Upstream does not validate core/v1 event names at all; path-segment rules keep URLs working.
  nameRule: 'path',
  hasStatus: false,
  tracksGeneration: false,
  subresources: [],
  defaults() {},
  validate(obj) {
    return validateLegacyEvent(obj);
  },
  // events.k8s.io/v1 shares this storage; kube-apiserver prints both with the same columns.
  otherVersions: [eventsV1Converter],
  columns: [
    column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'Type of this event (Normal, Warning).'),
    column('Reason', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
    column('Object', 'The object that this event is about.'),
    column('Subobject', 'The field of the involved object this event is about.', { priority: 1 }),
    column('Source', 'The component reporting this event.', { priority: 1 }),
    column('Message', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'The time at which the event was first recorded.', { priority: 1 }),
    column('Count', 'The number of times this event has occurred.', { priority: 1 }),
    { ...NAME_COLUMN, priority: 1 },
  ],
  row: eventRow,
  fieldLabels(obj) {
    const io = (k: string): string => str(obj, 'involvedObject', k) ?? '';
    return {
      'involvedObject.kind': io('kind'),
      'involvedObject.namespace': io('namespace'),
      'involvedObject.name': io('name'),
      'involvedObject.uid': io('uid'),
      'involvedObject.apiVersion': io('apiVersion'),
      'involvedObject.resourceVersion': io('resourceVersion'),
      'involvedObject.fieldPath': io('fieldPath'),
      reason: str(obj, 'reason') ?? '',
      reportingComponent: str(obj, 'reportingComponent') ?? '',
      source: str(obj, 'source', 'component') || str(obj, 'reportingComponent') || '',
      type: str(obj, 'type') ?? '',
    };
  },
};
