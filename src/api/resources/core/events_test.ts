import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldError } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { events } from './events.js';

const NOW = Date.parse('2024-01-01T01:00:00Z');
const at = (errs: FieldError[]): string[] => errs.map((e) => `${e.type} ${e.field}`);

function ev(extra: Record<string, unknown>, namespace = 'default'): KubeObject {
  return {
    metadata: { name: 'web-1.17a', namespace },
    involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', fieldPath: 'spec.containers{web}', uid: 'u1', apiVersion: 'v1' },
    reason: 'Pulled',
    message: 'Container image "nginx" already present on machine\n',
    type: 'Normal',
    source: { component: 'kubelet', host: 'node1' },
    firstTimestamp: '2024-01-01T00:00:00Z',
    lastTimestamp: '2024-01-01T00:50:00Z',
    count: 3,
    ...extra,
  };
}

test('events validation', () => {
  const cases: { name: string; obj: KubeObject; want: string[] }[] = [
    { name: 'valid', obj: ev({}), want: [] },
    { name: 'namespace mismatch', obj: ev({}, 'other'), want: ['FieldValueInvalid involvedObject.namespace'] },
    { name: 'cluster object in default', obj: ev({ involvedObject: { kind: 'Node', name: 'node1' } }), want: [] },
    { name: 'cluster object elsewhere', obj: ev({ involvedObject: { kind: 'Node', name: 'node1' } }, 'dev'), want: ['FieldValueInvalid involvedObject.namespace'] },
    {
      name: 'new-style event needs reporting fields',
      obj: ev({ eventTime: '2024-01-01T00:00:00.000000Z', reason: '' }),
      want: ['FieldValueRequired reportingComponent', 'FieldValueInvalid reportingComponent', 'FieldValueRequired reportingInstance', 'FieldValueRequired action', 'FieldValueRequired reason'],
    },
  ];
  for (const c of cases) assert.deepEqual(at(events.validate(c.obj)), c.want, c.name);
});

test('events rows', () => {
  assert.deepEqual(events.row(ev({}), NOW), ['10m', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{web}', 'kubelet, node1', 'Container image "nginx" already present on machine', '60m', 3, 'web-1.17a']);
  const fresh = ev({ firstTimestamp: undefined, lastTimestamp: undefined, count: undefined, eventTime: '2024-01-01T00:59:00.000000Z', source: {}, reportingComponent: 'scheduler' });
  assert.deepEqual(events.row(fresh, NOW).slice(0, 9), ['60s', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{web}', 'scheduler', 'Container image "nginx" already present on machine', '60s', 1]);
  const series = ev({ series: { count: 7, lastObservedTime: '2024-01-01T00:59:30.000000Z' } });
  assert.deepEqual([events.row(series, NOW)[0], events.row(series, NOW)[8]], ['30s', 7]);
  assert.deepEqual(
    events.columns.map((c) => `${c.name}/${c.priority}`),
    ['Last Seen/0', 'Type/0', 'Reason/0', 'Object/0', 'Subobject/1', 'Source/1', 'Message/0', 'First Seen/1', 'Count/1', 'Name/1'],
  );
});

test('events field labels', () => {
  const labels = events.fieldLabels?.(ev({})) ?? {};
  assert.equal(labels['involvedObject.name'], 'web-1');
  assert.equal(labels['involvedObject.kind'], 'Pod');
  assert.equal(labels['source'], 'kubelet');
  assert.equal(labels['type'], 'Normal');
  assert.equal(labels['reason'], 'Pulled');
});
