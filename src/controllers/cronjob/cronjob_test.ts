import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arr, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { listObjects, startHarness, type Harness } from '../job/harness_test_helper.js';
import { startCronJobController } from './index.js';

const MIN = 60_000;

function cronJob(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      schedule: '*/5 * * * *',
      timeZone: 'UTC',
      ...spec,
      jobTemplate: { metadata: { labels: { app: name } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
    },
  };
}

async function jobsOf(h: Harness, cj: string): Promise<KubeObject[]> {
  return (await listObjects(h.client, R.jobs)).filter((j) => j.metadata.ownerReferences?.[0]?.name === cj);
}

async function waitJobs(h: Harness, cj: string, n: number): Promise<KubeObject[]> {
  let found: KubeObject[] = [];
  await h.waitFor(async () => (found = await jobsOf(h, cj)).length === n, `${n} jobs of ${cj}`);
  return found;
}

async function finishJob(h: Harness, job: KubeObject, type: 'Complete' | 'Failed'): Promise<void> {
  const fresh = await h.client.resource(R.jobs).get('default', job.metadata.name ?? '');
  const t = new Date(h.clock.now()).toISOString().replace('.000Z', 'Z');
  const conditions = type === 'Complete'
    ? [{ type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: t }, { type: 'Complete', status: 'True', lastTransitionTime: t }]
    : [{ type: 'FailureTarget', status: 'True', lastTransitionTime: t }, { type: 'Failed', status: 'True', lastTransitionTime: t }];
  fresh.status = { startTime: t, conditions, ...(type === 'Complete' ? { completionTime: t, succeeded: 1 } : { failed: 1 }) };
  await h.client.resource(R.jobs).updateStatus(fresh);
}

async function events(h: Harness, reason: string): Promise<KubeObject[]> {
  return (await listObjects(h.client, R.events)).filter((e) => e.reason === reason);
}

async function getCronJob(h: Harness, name: string): Promise<KubeObject> {
  return h.client.resource(R.cronjobs).get('default', name);
}

test('creates a Job at each scheduled time, named by the minute, with status', async () => {
  const h = await startHarness(startCronJobController);
  try {
    await h.client.resource(R.cronjobs).create('default', cronJob('hello', {}));
    await h.flush();
    assert.equal((await jobsOf(h, 'hello')).length, 0);
    await h.advance(5 * MIN + 1000, 5);
    const [job] = await waitJobs(h, 'hello', 1);
    const at = Date.parse('2024-01-01T00:05:00Z');
    assert.equal(job!.metadata.name, `hello-${at / MIN}`);
    assert.equal(job!.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2024-01-01T00:05:00Z');
    assert.equal(job!.metadata.labels?.app, 'hello');
    assert.equal(job!.metadata.ownerReferences?.[0]?.kind, 'CronJob');
    await h.waitFor(async () => arr(await getCronJob(h, 'hello'), 'status', 'active').length === 1, 'status.active');
    assert.equal(str(await getCronJob(h, 'hello'), 'status', 'lastScheduleTime'), '2024-01-01T00:05:00Z');
    await finishJob(h, job!, 'Complete');
    await h.waitFor(async () => str(await getCronJob(h, 'hello'), 'status', 'lastSuccessfulTime') !== undefined, 'lastSuccessfulTime');
    assert.equal(arr(await getCronJob(h, 'hello'), 'status', 'active').length, 0);
    await h.advance(5 * MIN + 1000, 5);
    await waitJobs(h, 'hello', 2);
  } finally {
    await h.stop();
  }
});

test('Forbid skips a run while one is active; Replace replaces it', async () => {
  const h = await startHarness(startCronJobController);
  try {
    await h.client.resource(R.cronjobs).create('default', cronJob('forbid', { concurrencyPolicy: 'Forbid' }));
    await h.client.resource(R.cronjobs).create('default', cronJob('replace', { concurrencyPolicy: 'Replace' }));
    await h.advance(5 * MIN + 1000, 5);
    await waitJobs(h, 'forbid', 1);
    const [first] = await waitJobs(h, 'replace', 1);
    await h.advance(5 * MIN + 1000, 5);
    await h.waitFor(async () => (await events(h, 'JobAlreadyActive')).length > 0, 'JobAlreadyActive event');
    assert.equal((await jobsOf(h, 'forbid')).length, 1);
    const [second] = await waitJobs(h, 'replace', 1);
    assert.notEqual(second!.metadata.name, first!.metadata.name);
  } finally {
    await h.stop();
  }
});

test('history limits delete the oldest finished Jobs', async () => {
  const h = await startHarness(startCronJobController);
  try {
    await h.client.resource(R.cronjobs).create('default', cronJob('hist', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 }));
    for (let i = 0; i < 3; i++) {
      await h.advance(5 * MIN + 1000, 5);
      const jobs = await waitJobs(h, 'hist', Math.min(i + 1, 2));
      const running = jobs.find((j) => !arr(j, 'status', 'conditions').length)!;
      await finishJob(h, running, 'Complete');
    }
    await h.waitFor(async () => (await jobsOf(h, 'hist')).length === 1, 'one Job kept');
    const [kept] = await jobsOf(h, 'hist');
    assert.equal(kept!.metadata.name, `hist-${Date.parse('2024-01-01T00:15:00Z') / MIN}`);
  } finally {
    await h.stop();
  }
});

test('a run missed by more than startingDeadlineSeconds is skipped; the next one runs', async () => {
  const h = await startHarness(startCronJobController);
  try {
    await h.client.resource(R.cronjobs).create('default', cronJob('late', { startingDeadlineSeconds: 10, suspend: true }));
    await h.advance(5 * MIN + 30_000, 5);
    await h.client.resource(R.cronjobs).patch('default', 'late', 'merge', { spec: { suspend: false } });
    await h.waitFor(async () => (await getCronJob(h, 'late')).metadata.generation === 2, 'resume seen');
    await h.flush();
    await h.flush();
    assert.equal((await jobsOf(h, 'late')).length, 0, 'the 00:05 run is past its deadline');
    await h.advance(4 * MIN + 30_000 + 200);
    const [job] = await waitJobs(h, 'late', 1);
    assert.equal(job!.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2024-01-01T00:10:00Z');
  } finally {
    await h.stop();
  }
});
