import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCronSchedule } from '../../api/resources/batch/cron_schedule.js';
import { mostRecentBefore, nextAfter, Zone } from './schedule.js';

function fields(s: string) {
  const r = parseCronSchedule(s);
  if ('error' in r) throw new Error(r.error);
  return r.schedule;
}

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

test('nextAfter follows the cron fields', () => {
  const cases: { schedule: string; tz: string; after: string; want: string | undefined }[] = [
    { schedule: '*/5 * * * *', tz: 'UTC', after: '2024-01-01T00:00:00Z', want: '2024-01-01T00:05:00.000Z' },
    { schedule: '*/5 * * * *', tz: 'UTC', after: '2024-01-01T00:03:30Z', want: '2024-01-01T00:05:00.000Z' },
    { schedule: '0 3 * * *', tz: 'UTC', after: '2024-01-01T03:00:00Z', want: '2024-01-02T03:00:00.000Z' },
    { schedule: '30 9 * * mon', tz: 'UTC', after: '2024-01-01T10:00:00Z', want: '2024-01-08T09:30:00.000Z' },
    { schedule: '0 0 1,15 * mon', tz: 'UTC', after: '2024-01-01T00:00:00Z', want: '2024-01-08T00:00:00.000Z' },
    { schedule: '0 0 29 2 *', tz: 'UTC', after: '2024-03-01T00:00:00Z', want: '2028-02-29T00:00:00.000Z' },
    { schedule: '0 0 30 2 *', tz: 'UTC', after: '2024-01-01T00:00:00Z', want: undefined },
    { schedule: '@hourly', tz: 'UTC', after: '2024-01-01T00:59:59Z', want: '2024-01-01T01:00:00.000Z' },
    { schedule: '0 9 * * *', tz: 'Europe/Madrid', after: '2024-01-01T00:00:00Z', want: '2024-01-01T08:00:00.000Z' },
    { schedule: '0 9 * * *', tz: 'Europe/Madrid', after: '2024-07-01T00:00:00Z', want: '2024-07-01T07:00:00.000Z' },
    { schedule: '0 2 * * *', tz: 'Asia/Kolkata', after: '2024-01-01T00:00:00Z', want: '2024-01-01T20:30:00.000Z' },
    { schedule: '@every 90s', tz: 'UTC', after: '2024-01-01T00:00:00.500Z', want: '2024-01-01T00:01:30.000Z' },
  ];
  for (const c of cases) {
    assert.equal(iso(nextAfter(fields(c.schedule), new Zone(c.tz), Date.parse(c.after))), c.want, `${c.schedule} in ${c.tz} after ${c.after}`);
  }
});

test('mostRecentBefore counts missed times and finds the latest', () => {
  const z = new Zone('UTC');
  const r = mostRecentBefore(fields('*/10 * * * *'), z, Date.parse('2024-01-01T00:00:00Z'), Date.parse('2024-01-01T00:35:00Z'));
  assert.equal(iso(r.time), '2024-01-01T00:30:00.000Z');
  assert.equal(r.missed, 3);
  const many = mostRecentBefore(fields('* * * * *'), z, Date.parse('2024-01-01T00:00:00Z'), Date.parse('2024-03-01T00:00:30Z'));
  assert.equal(iso(many.time), '2024-03-01T00:00:00.000Z');
  assert.ok(many.missed > 100);
});

test('Zone.format prints RFC 3339 with the zone offset', () => {
  const t = Date.parse('2024-01-02T03:04:00Z');
  assert.equal(new Zone('UTC').format(t), '2024-01-02T03:04:00Z');
  assert.equal(new Zone('Europe/Madrid').format(t), '2024-01-02T04:04:00+01:00');
  assert.equal(new Zone('America/New_York').format(t), '2024-01-01T22:04:00-05:00');
});
