import { fieldErr, type FieldError } from '../../field_errors.js';
import { num, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import type { KubeObject } from '../../types.js';
import { isDNS1123Subdomain } from '../../validation/names.js';
import { validateQualifiedName } from './core_syntax.js';
import { NAME_COLUMN, column } from './core_table.js';

const LIMIT = 128;
const NOTE_LIMIT = 1024;

/** validateNewStyle applies the checks for events that carry eventTime (the events.k8s.io shape written through v1). */
function validateNewStyle(obj: KubeObject, ns: string): FieldError[] {
  const errs: FieldError[] = [];
  const involvedNs = str(obj, 'involvedObject', 'namespace') ?? '';
  if (involvedNs === '' && ns !== 'default' && ns !== 'kube-system') {
    errs.push(fieldErr.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
  }
  const controller = str(obj, 'reportingComponent') ?? '';
  if (controller === '') errs.push(fieldErr.required('reportingComponent'));
  errs.push(...validateQualifiedName(controller, 'reportingComponent'));
  const instance = str(obj, 'reportingInstance') ?? '';
  if (instance === '') errs.push(fieldErr.required('reportingInstance'));
  if (instance.length > LIMIT) errs.push(fieldErr.invalid('reportingInstance', '', `can have at most ${LIMIT} characters`));
  const action = str(obj, 'action') ?? '';
  if (action === '') errs.push(fieldErr.required('action'));
  if (action.length > LIMIT) errs.push(fieldErr.invalid('action', '', `can have at most ${LIMIT} characters`));
  const reason = str(obj, 'reason') ?? '';
  if (reason === '') errs.push(fieldErr.required('reason'));
  if (reason.length > LIMIT) errs.push(fieldErr.invalid('reason', '', `can have at most ${LIMIT} characters`));
  if ((str(obj, 'message') ?? '').length > NOTE_LIMIT) errs.push(fieldErr.invalid('message', '', `can have at most ${NOTE_LIMIT} characters`));
  return errs;
}

/**
 * validateEvent is upstream's legacy (core/v1) event validation: the involved object's namespace must
 * agree with the event's; events with eventTime also need reporting fields. `type` is not checked for
 * core/v1 writes, for compatibility, as upstream.
 */
function validateEvent(obj: KubeObject): FieldError[] {
  const ns = obj.metadata.namespace ?? '';
  const involvedNs = str(obj, 'involvedObject', 'namespace') ?? '';
  const errs: FieldError[] = [];
  if (!obj.eventTime) {
    const ok = involvedNs === '' ? ns === '' || ns === 'default' : ns === involvedNs;
    if (!ok) errs.push(fieldErr.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
  } else {
    errs.push(...validateNewStyle(obj, ns));
  }
  for (const m of isDNS1123Subdomain(ns)) errs.push(fieldErr.invalid('namespace', ns, m));
  return errs;
}

/** eventSource renders SOURCE: component (or reportingComponent), then ", host" (or reportingInstance) when known. */
function eventSource(obj: KubeObject): string {
  const component = str(obj, 'source', 'component') || str(obj, 'reportingComponent') || '';
  const host = str(obj, 'source', 'host') || str(obj, 'reportingInstance') || '';
  return host ? `${component}, ${host}` : component;
}

/** eventRow computes the cells of kube-apiserver's event printer (wide form). */
function eventRow(obj: KubeObject, now: number): unknown[] {
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
    return validateEvent(obj);
  },
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
