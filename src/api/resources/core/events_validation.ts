/**
 * Event validation as kube-apiserver 1.32 does it (pkg/apis/core/validation/events.go). Every write
 * passes the legacy checks; writes through events.k8s.io/v1 also get the strict ones (eventTime,
 * type, no deprecated fields, series shape, immutable fields on update). Field paths follow the
 * request's version where upstream's do (reportingController vs reportingComponent).
 */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { num, str } from '../../object.js';
import type { KubeObject } from '../../types.js';
import { isDNS1123Subdomain } from '../../validation/names.js';
import { sameJSON, validateImmutable, validateQualifiedName } from './core_syntax.js';

const LIMIT = 128;
const NOTE_LIMIT = 1024;

function maxLength(obj: KubeObject, key: string, limit: number): FieldError[] {
  return (str(obj, key) ?? '').length > limit ? [fieldErr.invalid(key, '', `can have at most ${limit} characters`)] : [];
}

/** validateNewStyle checks events that carry eventTime: reporting fields, action and reason are required. */
function validateNewStyle(obj: KubeObject, ns: string, controllerField: string): FieldError[] {
  const errs: FieldError[] = [];
  const involvedNs = str(obj, 'involvedObject', 'namespace') ?? '';
  if (involvedNs === '' && ns !== 'default' && ns !== 'kube-system') {
    errs.push(fieldErr.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
  }
  const controller = str(obj, 'reportingComponent') ?? '';
  if (controller === '') errs.push(fieldErr.required(controllerField));
  errs.push(...validateQualifiedName(controller, controllerField));
  if ((str(obj, 'reportingInstance') ?? '') === '') errs.push(fieldErr.required('reportingInstance'));
  errs.push(...maxLength(obj, 'reportingInstance', LIMIT));
  if ((str(obj, 'action') ?? '') === '') errs.push(fieldErr.required('action'));
  errs.push(...maxLength(obj, 'action', LIMIT));
  if ((str(obj, 'reason') ?? '') === '') errs.push(fieldErr.required('reason'));
  errs.push(...maxLength(obj, 'reason', LIMIT));
  errs.push(...maxLength(obj, 'message', NOTE_LIMIT));
  return errs;
}

/**
 * validateLegacyEvent is the check every event write gets: the involved object's namespace must agree
 * with the event's; events with eventTime also need reporting fields. `type` is not checked here, for
 * compatibility with old core/v1 clients, as upstream.
 */
export function validateLegacyEvent(obj: KubeObject, controllerField = 'reportingComponent'): FieldError[] {
  const ns = obj.metadata.namespace ?? '';
  const involvedNs = str(obj, 'involvedObject', 'namespace') ?? '';
  const errs: FieldError[] = [];
  if (!obj.eventTime) {
    const ok = involvedNs === '' ? ns === '' || ns === 'default' : ns === involvedNs;
    if (!ok) errs.push(fieldErr.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
  } else {
    errs.push(...validateNewStyle(obj, ns, controllerField));
  }
  for (const m of isDNS1123Subdomain(ns)) errs.push(fieldErr.invalid('namespace', ns, m));
  return errs;
}

function validateSeries(obj: KubeObject): FieldError[] {
  if (obj.series === undefined || obj.series === null) return [];
  const errs: FieldError[] = [];
  if ((num(obj, 'series', 'count') ?? 0) < 2) errs.push(fieldErr.invalid('series.count', '', 'should be at least 2'));
  if (!str(obj, 'series', 'lastObservedTime')) errs.push(fieldErr.required('series.lastObservedTime'));
  return errs;
}

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && v !== 0;
}

function validateStrictCreate(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata.name ?? '';
  if (name !== '') for (const m of isDNS1123Subdomain(name)) errs.push(fieldErr.invalid('metadata.name', name, m));
  errs.push(...validateSeries(obj));
  if (!obj.eventTime) errs.push(fieldErr.required('eventTime'));
  const type = str(obj, 'type') ?? '';
  if (type !== 'Normal' && type !== 'Warning') errs.push(fieldErr.invalid('type', '', `has invalid value: ${type}`));
  if (isSet(obj.firstTimestamp)) errs.push(fieldErr.invalid('deprecatedFirstTimestamp', '', 'needs to be unset'));
  if (isSet(obj.lastTimestamp)) errs.push(fieldErr.invalid('deprecatedLastTimestamp', '', 'needs to be unset'));
  if (isSet(obj.count)) errs.push(fieldErr.invalid('deprecatedCount', '', 'needs to be unset'));
  if (isSet(str(obj, 'source', 'component')) || isSet(str(obj, 'source', 'host'))) errs.push(fieldErr.invalid('deprecatedSource', '', 'needs to be unset'));
  return errs;
}

/** IMMUTABLE_ON_UPDATE are the (stored-name) fields an events.k8s.io/v1 update may not change. */
const IMMUTABLE_ON_UPDATE = [
  'involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count',
  'type', 'eventTime', 'action', 'related', 'reportingComponent', 'reportingInstance',
];
/** Upstream reports the stored names except for the reporting controller, which it names as in events.k8s.io. */
const UPDATE_PATH: Record<string, string> = { reportingComponent: 'reportingController' };

function validateStrictUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!sameJSON(obj.series, old.series)) errs.push(...validateSeries(obj));
  const o = obj as Record<string, unknown>;
  const p = old as Record<string, unknown>;
  for (const k of IMMUTABLE_ON_UPDATE) errs.push(...validateImmutable(o[k] ?? null, p[k] ?? null, UPDATE_PATH[k] ?? k));
  return errs;
}

/** validateEventsV1Write validates a write made through events.k8s.io/v1 (object in stored shape). */
export function validateEventsV1Write(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateLegacyEvent(obj, 'reportingController');
  errs.push(...(old ? validateStrictUpdate(obj, old) : validateStrictCreate(obj)));
  return errs;
}
