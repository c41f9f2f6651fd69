import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arr, num, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { listObjects, setPodStatus, startHarness, type Harness } from './harness_test_helper.js';
import { startJobController } from './index.js';
import { startTTLAfterFinishedController } from '../ttlafterfinished/index.js';

function jobManifest(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  };
}

async function pods(h: Harness, job: string, live = true): Promise<KubeObject[]> {
  const all = await listObjects(h.client, R.pods);
  return all.filter((p) => p.metadata.labels?.['batch.kubernetes.io/job-name'] === job && (!live || !p.metadata.deletionTimestamp));
}

async function getJob(h: Harness, name: string): Promise<KubeObject> {
  return h.client.resource(R.jobs).get('default', name);
}

function condition(job: KubeObject, type: string): unknown {
  return arr(job, 'status', 'conditions').find((c) => str(c, 'type') === type && str(c, 'status') === 'True');
}

async function activePods(h: Harness, job: string, n: number): Promise<KubeObject[]> {
  let found: KubeObject[] = [];
  await h.waitFor(async () => (found = (await pods(h, job)).filter((p) => !['Succeeded', 'Failed'].includes(str(p, 'status', 'phase') ?? ''))).length === n, `${n} active pods of ${job}`);
  return found;
}

test('NonIndexed job runs parallel pods until completions succeed', async () => {
  const h = await startHarness(startJobController);
  try {
    await h.client.resource(R.jobs).create('default', jobManifest('pi', { completions: 3, parallelism: 2 }));
    const first = await activePods(h, 'pi', 2);
    const pod = first[0]!;
    assert.ok(pod.metadata.finalizers?.includes('batch.kubernetes.io/job-tracking'));
    assert.equal(pod.metadata.ownerReferences?.[0]?.kind, 'Job');
    assert.ok(pod.metadata.labels?.['batch.kubernetes.io/controller-uid']);
    await h.waitFor(async () => num(await getJob(h, 'pi'), 'status', 'active') === 2, 'active=2');
    const started = await getJob(h, 'pi');
    assert.equal(str(started, 'status', 'startTime'), '2024-01-01T00:00:00Z');
    await setPodStatus(h.client, pod, 'Succeeded', false, h.clock.now());
    await h.waitFor(async () => num(await getJob(h, 'pi'), 'status', 'succeeded') === 1, 'succeeded=1');
    const second = await activePods(h, 'pi', 2);
    for (const p of second) await setPodStatus(h.client, p, 'Succeeded', false, h.clock.now());
    await h.waitFor(async () => condition(await getJob(h, 'pi'), 'Complete') !== undefined, 'Complete');
    const done = await getJob(h, 'pi');
    assert.equal(num(done, 'status', 'succeeded'), 3);
    assert.equal(num(done, 'status', 'active'), 0);
    assert.ok(str(done, 'status', 'completionTime'));
    assert.equal(str(condition(done, 'Complete'), 'reason'), 'CompletionsReached');
    for (const p of await pods(h, 'pi', false)) assert.deepEqual(p.metadata.finalizers ?? [], []);
  } finally {
    await h.stop();
  }
});

test('failed pods back off 10 s, then backoffLimit fails the Job', async () => {
  const h = await startHarness(startJobController);
  try {
    await h.client.resource(R.jobs).create('default', jobManifest('flaky', { backoffLimit: 1 }));
    const [p1] = await activePods(h, 'flaky', 1);
    await setPodStatus(h.client, p1!, 'Failed', false, h.clock.now());
    await h.waitFor(async () => num(await getJob(h, 'flaky'), 'status', 'failed') === 1, 'failed=1');
    await h.flush();
    assert.equal((await pods(h, 'flaky')).filter((p) => str(p, 'status', 'phase') !== 'Failed').length, 0, 'no re-creation before the back-off');
    await h.advance(10_000);
    const [p2] = await activePods(h, 'flaky', 1);
    await setPodStatus(h.client, p2!, 'Failed', false, h.clock.now());
    await h.waitFor(async () => condition(await getJob(h, 'flaky'), 'Failed') !== undefined, 'Failed condition');
    const job = await getJob(h, 'flaky');
    assert.equal(str(condition(job, 'Failed'), 'reason'), 'BackoffLimitExceeded');
    assert.equal(num(job, 'status', 'failed'), 2);
  } finally {
    await h.stop();
  }
});

test('Indexed job gives each pod its completion index and tracks completedIndexes', async () => {
  const h = await startHarness(startJobController);
  try {
    await h.client.resource(R.jobs).create('default', jobManifest('idx', { completions: 3, parallelism: 2, completionMode: 'Indexed' }));
    const running = await activePods(h, 'idx', 2);
    const indexes = running.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).sort();
    assert.deepEqual(indexes, ['0', '1']);
    const one = running.find((p) => p.metadata.labels?.['batch.kubernetes.io/job-completion-index'] === '1')!;
    assert.equal(str(one, 'spec', 'hostname'), 'idx-1');
    await setPodStatus(h.client, one, 'Succeeded', false, h.clock.now());
    await h.waitFor(async () => str(await getJob(h, 'idx'), 'status', 'completedIndexes') === '1', 'completedIndexes=1');
    const next = await activePods(h, 'idx', 2);
    assert.deepEqual(next.map((p) => p.metadata.labels?.['batch.kubernetes.io/job-completion-index']).sort(), ['0', '2']);
  } finally {
    await h.stop();
  }
});

test('activeDeadlineSeconds deletes the pods and fails the Job', async () => {
  const h = await startHarness(startJobController);
  try {
    await h.client.resource(R.jobs).create('default', jobManifest('slow', { activeDeadlineSeconds: 30 }));
    await activePods(h, 'slow', 1);
    await h.advance(30_000);
    await h.waitFor(async () => condition(await getJob(h, 'slow'), 'Failed') !== undefined, 'Failed condition');
    const job = await getJob(h, 'slow');
    assert.equal(str(condition(job, 'Failed'), 'reason'), 'DeadlineExceeded');
    assert.equal(num(job, 'status', 'failed'), 1, 'the killed pod counts as failed');
    assert.equal((await pods(h, 'slow', false)).length, 0);
  } finally {
    await h.stop();
  }
});

test('suspend holds pods back; resume starts them', async () => {
  const h = await startHarness(startJobController);
  try {
    await h.client.resource(R.jobs).create('default', jobManifest('held', { suspend: true }));
    await h.waitFor(async () => condition(await getJob(h, 'held'), 'Suspended') !== undefined, 'Suspended');
    assert.equal((await pods(h, 'held')).length, 0);
    await h.client.resource(R.jobs).patch('default', 'held', 'merge', { spec: { suspend: false } });
    await activePods(h, 'held', 1);
    await h.waitFor(async () => condition(await getJob(h, 'held'), 'Suspended') === undefined, 'Suspended=False');
  } finally {
    await h.stop();
  }
});

test('a succeeded pod deleted at once is still counted', async () => {
  const h = await startHarness(async (ctx) => {
    await Promise.all([startJobController(ctx), startTTLAfterFinishedController(ctx)]);
  });
  try {
    await h.client.resource(R.jobs).create('default', jobManifest('quick', { completions: 2, parallelism: 1, ttlSecondsAfterFinished: 60 }));
    const [p] = await activePods(h, 'quick', 1);
    await setPodStatus(h.client, p!, 'Succeeded', false, h.clock.now());
    await h.client.resource(R.pods).delete('default', p!.metadata.name ?? '');
    await h.waitFor(async () => num(await getJob(h, 'quick'), 'status', 'succeeded') === 1, 'succeeded=1');
    const [p2] = await activePods(h, 'quick', 1);
    await setPodStatus(h.client, p2!, 'Succeeded', false, h.clock.now());
    await h.waitFor(async () => condition(await getJob(h, 'quick'), 'Complete') !== undefined, 'Complete');
    await h.advance(60_000);
    await h.waitFor(async () => (await listObjects(h.client, R.jobs)).length === 0, 'TTL deletes the Job');
  } finally {
    await h.stop();
  }
});
