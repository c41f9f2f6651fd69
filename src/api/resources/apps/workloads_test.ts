import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { appsResources } from './index.js';
import { controllerrevisions } from './controllerrevisions.js';
import { daemonsets } from './daemonsets.js';
import { scaledValue } from './int_or_percent.js';
import { replicasets } from './replicasets.js';
import { statefulsets } from './statefulsets.js';

const NOW = Date.parse('2024-01-02T00:00:00Z');

function workload(kind: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: 'db', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: {
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'mongo', image: 'mongo' }, { name: 'side', image: 'busybox' }] } },
      ...spec,
    },
  };
}

test('apps index lists the five resources with their short names', () => {
  assert.deepEqual(
    appsResources.map((r) => [r.plural, r.shortNames.join(','), r.categories.join(',')]),
    [
      ['deployments', 'deploy', 'all'],
      ['replicasets', 'rs', 'all'],
      ['daemonsets', 'ds', 'all'],
      ['statefulsets', 'sts', 'all'],
      ['controllerrevisions', '', ''],
    ],
  );
});

test('replicaset: defaults, validation wording, row, field labels', () => {
  const rs = workload('ReplicaSet', { selector: {} });
  replicasets.defaults(rs);
  assert.equal((rs.spec as { replicas: number }).replicas, 1);
  assert.deepEqual(replicasets.validate(rs).map((e) => e.detail), ['empty selector is invalid for deployment']);
  const ok = workload('ReplicaSet', { replicas: 2 });
  replicasets.defaults(ok);
  ok.status = { replicas: 2, readyReplicas: 1 };
  assert.deepEqual(replicasets.validate(ok), []);
  assert.deepEqual(replicasets.row(ok, NOW), ['db', 2, 2, 1, '24h', 'mongo,side', 'mongo,busybox', 'app=db']);
  assert.deepEqual(replicasets.fieldLabels?.(ok), { 'status.replicas': '2' });
});

test('daemonset: defaults and update strategy validation', () => {
  const ds = workload('DaemonSet');
  daemonsets.defaults(ds);
  const spec = ds.spec as Record<string, unknown>;
  assert.deepEqual(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(spec.revisionHistoryLimit, 10);
  assert.deepEqual(daemonsets.validate(ds), []);
  const cases: [unknown, string[]][] = [
    [{ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } }, ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']],
    [{ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '10%' } }, ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "10%": may not be set when maxUnavailable is non-zero']],
    [{ type: 'OnDelete' }, []],
  ];
  for (const [strategy, want] of cases) {
    spec.updateStrategy = strategy;
    assert.deepEqual(daemonsets.validate(ds).map((e) => fieldErrorMessage(e)), want);
  }
});

test('daemonset without selector reports the label mismatch; row shows node selector', () => {
  const ds = workload('DaemonSet', { selector: undefined });
  daemonsets.defaults(ds);
  assert.deepEqual(daemonsets.validate(ds).map((e) => e.field), ['spec.template.metadata.labels']);
  const ok = workload('DaemonSet');
  daemonsets.defaults(ok);
  (ok.spec as { template: { spec: Record<string, unknown> } }).template.spec.nodeSelector = { 'kubernetes.io/os': 'linux', disk: 'ssd' };
  ok.status = { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 };
  assert.deepEqual(daemonsets.row(ok, NOW), ['db', 3, 3, 2, 3, 2, 'disk=ssd,kubernetes.io/os=linux', '24h', 'mongo,side', 'mongo,busybox', 'app=db']);
  assert.equal(daemonsets.columns.length, daemonsets.row(ok, NOW).length);
});

test('statefulset: defaults, validation, forbidden updates, row', () => {
  const sts = workload('StatefulSet', { serviceName: 'db', volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }] });
  statefulsets.defaults(sts);
  const spec = sts.spec as Record<string, unknown>;
  assert.equal(spec.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.deepEqual(spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.equal(spec.replicas, 1);
  assert.deepEqual(spec.volumeClaimTemplates, [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }, status: { phase: 'Pending' } }]);
  assert.deepEqual(statefulsets.validate(sts), []);
  const scaled = structuredClone(sts);
  (scaled.spec as Record<string, unknown>).replicas = 3;
  assert.deepEqual(statefulsets.validate(scaled, sts), []);
  (scaled.spec as Record<string, unknown>).serviceName = 'other';
  assert.deepEqual(statefulsets.validate(scaled, sts).map((e) => [e.type, e.field]), [['FieldValueForbidden', 'spec']]);
  (spec as Record<string, unknown>).podManagementPolicy = 'Random';
  assert.deepEqual(statefulsets.validate(sts).map((e) => fieldErrorMessage(e)), [`spec.podManagementPolicy: Invalid value: "Random": must be 'OrderedReady' or 'Parallel'`]);
  sts.status = { readyReplicas: 1 };
  assert.deepEqual(statefulsets.row(sts, NOW), ['db', '1/1', '24h', 'mongo,side', 'mongo,busybox']);
});

test('controllerrevision: validation and controller cell', () => {
  const cr: KubeObject = {
    metadata: {
      name: 'db-5d8f',
      creationTimestamp: '2024-01-01T00:00:00Z',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }],
    },
    revision: 2,
  };
  assert.deepEqual(controllerrevisions.validate(cr).map((e) => fieldErrorMessage(e)), ['data: Required value: data is mandatory']);
  cr.data = { spec: {} };
  assert.deepEqual(controllerrevisions.validate(cr), []);
  const changed = { ...cr, data: { spec: { x: 1 } } };
  assert.deepEqual(controllerrevisions.validate(changed, cr).map((e) => e.detail), ['field is immutable']);
  assert.deepEqual(controllerrevisions.row(cr, NOW), ['db-5d8f', 'statefulset.apps/db', 2, '24h']);
});

test('scaledValue rounds percentages', () => {
  assert.deepEqual([scaledValue('25%', 10, true), scaledValue('25%', 10, false), scaledValue(3, 10, true), scaledValue('x', 10, true)], [3, 2, 3, undefined]);
});
