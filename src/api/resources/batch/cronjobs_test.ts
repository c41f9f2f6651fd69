import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { parseCronSchedule } from './cron_schedule.js';
import { cronjobs } from './cronjobs.js';

const parseCases: { spec: string; error?: string; minutes?: number[]; dow?: number[] }[] = [
  { spec: '*/15 * * * *', minutes: [0, 15, 30, 45] },
  { spec: '5 4 * * sun,MON', minutes: [5], dow: [0, 1] },
  { spec: '0-10/5 * * * mon-wed', minutes: [0, 5, 10], dow: [1, 2, 3] },
  { spec: '30 * * * *', minutes: [30] },
  { spec: '@hourly', minutes: [0] },
  { spec: '@every 1h30m', minutes: Array.from({ length: 60 }, (_, i) => i) },
  { spec: 'TZ=UTC 0 0 * * *', minutes: [0] },
  { spec: '', error: 'empty spec string' },
  { spec: '* * * *', error: 'expected exactly 5 fields, found 4: [* * * *]' },
  { spec: '60 * * * *', error: 'end of range (60) above maximum (59): 60' },
  { spec: '* * 0 * *', error: 'beginning of range (0) below minimum (1): 0' },
  { spec: '5-2 * * * *', error: 'beginning of range (5) beyond end of range (2): 5-2' },
  { spec: '*/0 * * * *', error: 'step of range should be a positive number: */0' },
  { spec: 'x * * * *', error: 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax' },
  { spec: '1-2-3 * * * *', error: 'too many hyphens: 1-2-3' },
  { spec: '*/2/3 * * * *', error: 'too many slashes: */2/3' },
  { spec: '@fortnightly', error: 'unrecognized descriptor: @fortnightly' },
  { spec: 'TZ=Mars/Olympus 0 * * * *', error: 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus' },
];

for (const c of parseCases) {
  test(`parseCronSchedule ${JSON.stringify(c.spec)}`, () => {
    const r = parseCronSchedule(c.spec);
    if (c.error !== undefined) {
      assert.deepEqual(r, { error: c.error });
      return;
    }
    assert.ok('schedule' in r, JSON.stringify(r));
    if (c.minutes) assert.deepEqual([...r.schedule.minutes].sort((a, b) => a - b), c.minutes);
    if (c.dow) assert.deepEqual([...r.schedule.daysOfWeek].sort((a, b) => a - b), c.dow);
  });
}

function cronJob(spec: Record<string, unknown>, name = 'hello'): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: {
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'hello', image: 'busybox' }] } } } },
      ...spec,
    },
  };
}

test('cronjob defaults', () => {
  const cj = cronJob({ schedule: '* * * * *' });
  cronjobs.defaults(cj);
  const s = cj.spec as Record<string, unknown>;
  assert.deepEqual([s.concurrencyPolicy, s.suspend, s.successfulJobsHistoryLimit, s.failedJobsHistoryLimit], ['Allow', false, 3, 1]);
  assert.deepEqual(cronjobs.validate(cj), []);
});

test('cronjob validation', () => {
  const cases: { spec: Record<string, unknown>; name?: string; want: string[] }[] = [
    { spec: {}, want: ['spec.schedule: Required value'] },
    { spec: { schedule: '61 * * * *' }, want: ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'] },
    { spec: { schedule: 'TZ=UTC * * * * *' }, want: ['spec.schedule: Invalid value: "TZ=UTC * * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'] },
    { spec: { schedule: '@daily', timeZone: 'Nowhere/Land' }, want: ['spec.timeZone: Invalid value: "Nowhere/Land": unknown time zone Nowhere/Land'] },
    { spec: { schedule: '@daily', timeZone: 'Europe/Madrid' }, want: [] },
    { spec: { schedule: '@daily', concurrencyPolicy: 'Sometimes' }, want: ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'] },
    { spec: { schedule: '@daily' }, name: 'x'.repeat(53), want: [`metadata.name: Invalid value: "${'x'.repeat(53)}": must be no more than 52 characters`] },
  ];
  for (const c of cases) {
    const cj = cronJob(c.spec, c.name);
    cronjobs.defaults(cj);
    assert.deepEqual(cronjobs.validate(cj).map((e) => fieldErrorMessage(e)), c.want, JSON.stringify(c.spec));
  }
  const withSelector = cronJob({ schedule: '@daily' });
  cronjobs.defaults(withSelector);
  ((withSelector.spec as { jobTemplate: { spec: Record<string, unknown> } }).jobTemplate.spec).selector = { matchLabels: { a: 'b' } };
  assert.deepEqual(cronjobs.validate(withSelector).map((e) => e.detail), ['`selector` will be auto-generated']);
});

test('cronjob row', () => {
  const cj = cronJob({ schedule: '*/5 * * * *' });
  cronjobs.defaults(cj);
  const now = Date.parse('2024-01-01T01:00:00Z');
  assert.deepEqual(cronjobs.row(cj, now), ['hello', '*/5 * * * *', '<none>', 'False', 0, '<none>', '60m', 'hello', 'busybox', '<none>']);
  cj.status = { active: [{ name: 'hello-1' }], lastScheduleTime: '2024-01-01T00:55:00Z' };
  (cj.spec as Record<string, unknown>).timeZone = 'UTC';
  assert.deepEqual(cronjobs.row(cj, now).slice(2, 6), ['UTC', 'False', 1, '5m']);
  assert.deepEqual([cronjobs.shortNames, cronjobs.categories], [['cj'], ['all']]);
});
