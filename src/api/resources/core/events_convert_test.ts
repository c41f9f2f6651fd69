import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../types.js';
import { eventToCoreV1, eventToEventsV1 } from './events_convert.js';
import { validateEventsV1Write } from './events_validation.js';

const v1Event = (): KubeObject => ({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'e1', namespace: 'default' },
  eventTime: '2024-01-01T00:00:00.000000Z',
  reportingController: 'example.com/ctl',
  reportingInstance: 'ctl-1',
  action: 'Sync',
  reason: 'Synced',
  type: 'Normal',
  note: 'all good',
  regarding: { kind: 'Pod', name: 'p', namespace: 'default' },
  related: { kind: 'Node', name: 'n1' },
  series: { count: 2, lastObservedTime: '2024-01-01T00:01:00.000000Z' },
});

test('events.k8s.io/v1 converts to core/v1 and back', () => {
  const core = eventToCoreV1(v1Event());
  assert.equal(core.apiVersion, 'v1');
  assert.equal(core.message, 'all good');
  assert.equal(core.reportingComponent, 'example.com/ctl');
  assert.deepEqual(core.involvedObject, { kind: 'Pod', name: 'p', namespace: 'default' });
  assert.deepEqual(core.source, {});
  assert.equal(core.note, undefined);
  const back = eventToEventsV1(core);
  assert.deepEqual(back, { ...v1Event(), deprecatedSource: {} });
});

test('core/v1 deprecated fields map to the deprecated* names', () => {
  const core: KubeObject = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'x', namespace: 'default' }, involvedObject: {}, source: { component: 'kubelet', host: 'n1' }, firstTimestamp: 'a', lastTimestamp: 'b', count: 3, message: 'm' };
  const out = eventToEventsV1(core);
  assert.deepEqual(out.deprecatedSource, { component: 'kubelet', host: 'n1' });
  assert.equal(out.deprecatedFirstTimestamp, 'a');
  assert.equal(out.deprecatedLastTimestamp, 'b');
  assert.equal(out.deprecatedCount, 3);
  assert.equal(out.note, 'm');
  assert.deepEqual(eventToEventsV1({ ...core, count: 0 }).deprecatedCount, undefined);
});

test('events.k8s.io/v1 writes get the strict checks', () => {
  assert.deepEqual(validateEventsV1Write(eventToCoreV1(v1Event())), []);
  const bad = eventToCoreV1({ ...v1Event(), eventTime: undefined, type: 'Odd', deprecatedCount: 2, reportingController: '', series: { count: 1 } } as unknown as KubeObject);
  const fields = validateEventsV1Write(bad).map((e) => `${e.type} ${e.field}`);
  assert.deepEqual(fields, ['FieldValueInvalid series.count', 'FieldValueRequired series.lastObservedTime', 'FieldValueRequired eventTime', 'FieldValueInvalid type', 'FieldValueInvalid deprecatedCount']);
  const newStyle = eventToCoreV1({ ...v1Event(), reportingController: '', action: '' } as KubeObject);
  const required = validateEventsV1Write(newStyle).filter((e) => e.type === 'FieldValueRequired').map((e) => e.field);
  assert.deepEqual(required, ['reportingController', 'action']);
  const old = eventToCoreV1(v1Event());
  assert.deepEqual(validateEventsV1Write({ ...old, message: 'changed' }, old).map((e) => e.field), ['message']);
});
