import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { jobs } from './jobs.js';

const UID = '1b2c3d4e-0000-4000-8000-000000000001';

function job(spec: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject {
  const obj: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: UID, creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { template: { metadata: { labels: { app: 'pi' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } }, ...spec },
  };
  if (labels) obj.metadata.labels = labels;
  return obj;
}

function created(spec: Record<string, unknown> = {}): KubeObject {
  const j = job(spec);
  jobs.defaults(j);
  jobs.prepareForCreate?.(j);
  return j;
}

test('job defaults', () => {
  const cases: { spec: Record<string, unknown>; completions: unknown; parallelism: unknown }[] = [
    { spec: {}, completions: 1, parallelism: 1 },
    { spec: { parallelism: 3 }, completions: undefined, parallelism: 3 },
    { spec: { completions: 5 }, completions: 5, parallelism: 1 },
  ];
  for (const c of cases) {
    const j = job(c.spec);
    jobs.defaults(j);
    const s = j.spec as Record<string, unknown>;
    assert.deepEqual([s.completions, s.parallelism], [c.completions, c.parallelism]);
    assert.deepEqual([s.backoffLimit, s.completionMode, s.suspend, s.manualSelector, s.podReplacementPolicy], [6, 'NonIndexed', false, false, 'TerminatingOrFailed']);
  }
});

test('job selector and labels are generated from the uid', () => {
  const j = created();
  const spec = j.spec as { selector: unknown; template: { metadata: { labels: Record<string, string> } } };
  assert.deepEqual(spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } });
  assert.deepEqual(spec.template.metadata.labels, {
    app: 'pi',
    'job-name': 'pi',
    'batch.kubernetes.io/job-name': 'pi',
    'controller-uid': UID,
    'batch.kubernetes.io/controller-uid': UID,
  });
  // The Job's own labels were copied from the template, generated ones included (as upstream).
  assert.equal(j.metadata.labels?.['batch.kubernetes.io/job-name'], 'pi');
  assert.deepEqual(j.status, {});
  assert.deepEqual(jobs.validate(j), []);
});

test('job with manualSelector keeps its selector', () => {
  const j = created({ manualSelector: true, selector: { matchLabels: { app: 'pi' } } });
  assert.deepEqual((j.spec as { selector: unknown }).selector, { matchLabels: { app: 'pi' } });
  assert.deepEqual(jobs.validate(j), []);
});

test('job validation errors', () => {
  const bad = created({ backoffLimit: -1, completionMode: 'Odd' });
  (bad.spec as { template: { spec: Record<string, unknown> } }).template.spec.restartPolicy = 'Always';
  assert.deepEqual(bad.spec && jobs.validate(bad).map((e) => fieldErrorMessage(e)), [
    'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0',
    'spec.completionMode: Unsupported value: "Odd": supported values: "NonIndexed", "Indexed"',
    'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
  ]);
  const wrongLabel = created();
  (wrongLabel.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels['job-name'] = 'other';
  assert.deepEqual(jobs.validate(wrongLabel).map((e) => [e.type, e.field, e.detail]), [['FieldValueInvalid', 'spec.template.metadata.labels[job-name]', "must be 'pi'"]]);
});

test('job update: selector and template are immutable, suspended jobs may change scheduling fields', () => {
  const old = created();
  const upd = structuredClone(old);
  (upd.spec as { template: { spec: Record<string, unknown> } }).template.spec.nodeSelector = { disk: 'ssd' };
  assert.deepEqual(jobs.validate(upd, old).map((e) => [e.field, e.detail]), [['spec.template', 'field is immutable']]);
  (old.spec as Record<string, unknown>).suspend = true;
  (upd.spec as Record<string, unknown>).suspend = true;
  assert.deepEqual(jobs.validate(upd, old), []);
  (upd.spec as Record<string, unknown>).selector = { matchLabels: { x: 'y' } };
  assert.ok(jobs.validate(upd, old).some((e) => e.field === 'spec.selector' && e.detail === 'field is immutable'));
});

test('job table rows', () => {
  const now = Date.parse('2024-01-01T00:10:00Z');
  const j = created({ parallelism: 2, completions: 4 });
  j.status = { succeeded: 1, startTime: '2024-01-01T00:01:00Z' };
  const row = jobs.row(j, now);
  assert.deepEqual(row.slice(0, 5), ['pi', 'Running', '1/4', '9m', '10m']);
  assert.deepEqual(row.slice(5), ['pi', 'perl', `batch.kubernetes.io/controller-uid=${UID}`]);
  j.status = { succeeded: 4, startTime: '2024-01-01T00:01:00Z', completionTime: '2024-01-01T00:01:30Z', conditions: [{ type: 'Complete', status: 'True' }] };
  assert.deepEqual(jobs.row(j, now).slice(1, 4), ['Complete', '4/4', '30s']);
  const queue = created({ parallelism: 3 });
  assert.deepEqual(jobs.row(queue, now).slice(1, 4), ['Running', '0/1 of 3', '']);
  queue.status = { conditions: [{ type: 'Suspended', status: 'True' }] };
  assert.equal(jobs.row(queue, now)[1], 'Suspended');
  assert.deepEqual(
    jobs.columns.map((c) => c.name),
    ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector'],
  );
});
