import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { deployments } from './deployments.js';

function deployment(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
      ...spec,
    },
  };
}

function defaulted(spec: Record<string, unknown> = {}): KubeObject {
  const d = deployment(spec);
  deployments.defaults(d);
  return d;
}

test('deployment defaults', () => {
  const d = defaulted();
  const spec = d.spec as Record<string, unknown>;
  assert.equal(spec.replicas, 1);
  assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(spec.revisionHistoryLimit, 10);
  assert.equal(spec.progressDeadlineSeconds, 600);
  assert.equal((spec.template as { spec: { restartPolicy: string } }).spec.restartPolicy, 'Always');
  const recreate = defaulted({ strategy: { type: 'Recreate' }, replicas: 0 });
  assert.deepEqual((recreate.spec as Record<string, unknown>).strategy, { type: 'Recreate' });
  assert.equal((recreate.spec as Record<string, unknown>).replicas, 0);
});

test('a valid deployment has no errors', () => {
  assert.deepEqual(deployments.validate(defaulted()), []);
});

const invalid: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
  { name: 'missing selector', spec: { selector: undefined }, want: ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'] },
  { name: 'empty selector', spec: { selector: {} }, want: ['spec.selector: Invalid value: map[string]string{}: empty selector is invalid for deployment'] },
  {
    name: 'selector does not match labels',
    spec: { selector: { matchLabels: { app: 'other' } } },
    want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
  },
  { name: 'negative replicas', spec: { replicas: -1 }, want: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'] },
  {
    name: 'both surge and unavailable zero',
    spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } },
    want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'],
  },
  {
    name: 'bad percent and over 100%',
    spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'x%', maxUnavailable: '120%' } } },
    want: [
      `spec.strategy.rollingUpdate.maxSurge: Invalid value: "x%": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%',
    ],
  },
  {
    name: 'recreate with rollingUpdate',
    spec: { strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } },
    want: ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
  },
  { name: 'progress deadline too small', spec: { minReadySeconds: 10, progressDeadlineSeconds: 5 }, want: ['spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds'] },
];

for (const c of invalid) {
  test(`deployment validation: ${c.name}`, () => {
    const d = defaulted(c.spec);
    assert.deepEqual(deployments.validate(d).map((e) => fieldErrorMessage(e)), c.want);
  });
}

test('deployment restartPolicy must be Always', () => {
  const d = defaulted();
  ((d.spec as { template: { spec: Record<string, unknown> } }).template.spec).restartPolicy = 'Never';
  const errs = deployments.validate(d);
  assert.deepEqual(
    errs.map((e) => [e.type, e.field]),
    [['FieldValueNotSupported', 'spec.template.spec.restartPolicy']],
  );
  assert.equal(fieldErrorMessage(errs[0]!), 'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"');
});

test('deployment selector is immutable on update', () => {
  const old = defaulted();
  const upd = defaulted({ selector: { matchLabels: { app: 'web', tier: 'x' } } });
  ((upd.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels).tier = 'x';
  const errs = deployments.validate(upd, old);
  assert.deepEqual(errs.map((e) => [e.field, e.detail]), [['spec.selector', 'field is immutable']]);
});

test('deployment status: reset on create, kept on update', () => {
  const d = defaulted();
  d.status = { replicas: 3 };
  deployments.prepareForCreate?.(d);
  assert.deepEqual(d.status, {});
  const old = defaulted();
  old.status = { readyReplicas: 2 };
  d.status = { readyReplicas: 9 };
  deployments.prepareForUpdate?.(d, old);
  assert.deepEqual(d.status, { readyReplicas: 2 });
});

test('deployment table row and columns', () => {
  const d = defaulted({ replicas: 3, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] } });
  d.status = { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 1 };
  assert.deepEqual(
    deployments.columns.map((c) => `${c.name}:${c.priority}`),
    ['Name:0', 'Ready:0', 'Up-to-date:0', 'Available:0', 'Age:0', 'Containers:1', 'Images:1', 'Selector:1'],
  );
  const now = Date.parse('2024-01-01T00:05:00Z');
  assert.deepEqual(deployments.row(d, now), ['web', '2/3', 3, 1, '5m', 'nginx', 'nginx:1.25', 'app=web,tier in (a,b)']);
});

test('deployment scale access', () => {
  const d = defaulted({ replicas: 2 });
  d.status = { replicas: 1 };
  const scale = deployments.scale!;
  assert.equal(scale.specReplicas(d), 2);
  assert.equal(scale.statusReplicas(d), 1);
  assert.equal(scale.selector(d), 'app=web');
  scale.setReplicas(d, 5);
  assert.equal((d.spec as { replicas: number }).replicas, 5);
  assert.deepEqual([deployments.shortNames, deployments.categories, deployments.subresources], [['deploy'], ['all'], ['scale']]);
});
