import { test } from 'node:test';
import assert from 'node:assert/strict';
import { num } from '../../api/object.js';
import { R } from '../../client/client.js';
import { eventsFor, startHarness, type Harness } from '../replicaset/harness_test_helper.js';
import { startReplicaSetController } from '../replicaset/index.js';
import { startDeploymentController } from './index.js';
import { conditionOf, deployment, markPodsReady, replicaSetsOf, statusLine } from './rollout_test_helper.js';

const rev = 'deployment.kubernetes.io/revision';
const setImage = (h: Harness, name: string, image: string): Promise<unknown> =>
  h.client.resource(R.deployments).patch('default', name, 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } });

test('Deployment: rolls out v1 then v2 (4 replicas, 25%/25%) within the surge and availability bounds', async () => {
  const h = await startHarness([startReplicaSetController, startDeploymentController]);
  try {
    await h.client.resource(R.deployments).create('default', deployment('web', 4, 'nginx:1'));
    await h.waitFor(async () => (await markPodsReady(h)) >= 0 && (await statusLine(h, 'web')) === '4/4/4/4/0', 'v1 complete');
    const [v1] = await replicaSetsOf(h, 'web');
    assert.match(v1?.metadata.name ?? '', /^web-[456789bcdf]+$/);
    const hash = v1?.metadata.labels?.['pod-template-hash'] ?? '';
    assert.equal(v1?.metadata.name, `web-${hash}`);
    assert.deepEqual((v1?.spec as { selector: unknown }).selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
    assert.equal(v1?.metadata.annotations?.[rev], '1');
    assert.equal(v1?.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '4');
    assert.equal(v1?.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '5');
    assert.equal(await conditionOf(h, 'web', 'Available'), 'True/MinimumReplicasAvailable');
    await h.waitFor(async () => (await conditionOf(h, 'web', 'Progressing')) === 'True/NewReplicaSetAvailable', 'progressing complete');

    await setImage(h, 'web', 'nginx:2');
    let maxTotal = 0;
    let minReady = 4;
    await h.waitFor(async () => {
      const rss = await replicaSetsOf(h, 'web');
      maxTotal = Math.max(maxTotal, rss.reduce((n, rs) => n + (num(rs, 'spec', 'replicas') ?? 0), 0));
      const pods = (await h.list(R.pods)).filter((p) => (p.status as { conditions?: { status: string }[] } | undefined)?.conditions?.[0]?.status === 'True');
      minReady = Math.min(minReady, pods.length);
      await markPodsReady(h);
      return rss.length === 2 && (await statusLine(h, 'web')) === '4/4/4/4/0' && num(rss[0], 'spec', 'replicas') === 0;
    }, 'v2 complete');
    assert.ok(maxTotal <= 5, `surge bound: at most 5 pods wanted, saw ${maxTotal}`);
    assert.ok(minReady >= 3, `availability bound: at least 3 ready pods, saw ${minReady}`);
    const [old, cur] = await replicaSetsOf(h, 'web');
    assert.equal(cur?.metadata.annotations?.[rev], '2');
    assert.equal(old?.metadata.annotations?.[rev], '1');
    assert.equal((await h.client.resource(R.deployments).get('default', 'web')).metadata.annotations?.[rev], '2');
    const events = (await eventsFor(h.client, 'web')).filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message);
    assert.ok(events.includes(`Scaled up replica set ${cur?.metadata.name ?? ''} from 0 to 1`), events.join('\n'));
    assert.ok(events.includes(`Scaled down replica set ${old?.metadata.name ?? ''} from 4 to 3`), events.join('\n'));

    // Rollback as `kubectl rollout undo` does it: the old template comes back, the old RS is reused.
    await setImage(h, 'web', 'nginx:1');
    await h.waitFor(async () => {
      await markPodsReady(h);
      const rss = await replicaSetsOf(h, 'web');
      return rss.length === 2 && rss[1]?.metadata.name === old?.metadata.name && (await statusLine(h, 'web')) === '4/4/4/4/0';
    }, 'rollback complete');
    const back = await h.client.resource(R.replicasets).get('default', old?.metadata.name ?? '');
    assert.equal(back.metadata.annotations?.[rev], '3');
    assert.equal(back.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal((await h.client.resource(R.deployments).get('default', 'web')).metadata.annotations?.[rev], '3');
  } finally {
    await h.stop();
  }
});

test('Deployment: Recreate deletes every old pod before creating new ones', async () => {
  const h = await startHarness([startReplicaSetController, startDeploymentController]);
  try {
    // Bound pods are deleted gracefully, so old pods linger until the "kubelet" (this test) removes them.
    const d = deployment('rc', 2, 'app:1', { strategy: { type: 'Recreate' } });
    (d.spec as { template: { spec: Record<string, unknown> } }).template.spec.nodeName = 'n1';
    await h.client.resource(R.deployments).create('default', d);
    await h.waitFor(async () => (await markPodsReady(h)) >= 0 && (await statusLine(h, 'rc')) === '2/2/2/2/0', 'v1 complete');
    await setImage(h, 'rc', 'app:2');
    await h.waitFor(async () => (await h.list(R.pods)).every((p) => p.metadata.deletionTimestamp), 'old pods terminating');
    await h.settle(50);
    assert.equal((await replicaSetsOf(h, 'rc')).length, 1, 'no new ReplicaSet while old pods remain');
    for (const p of await h.list(R.pods)) await h.client.resource(R.pods).delete('default', p.metadata.name ?? '', { gracePeriodSeconds: 0 });
    await h.waitFor(async () => (await markPodsReady(h)) >= 0 && (await replicaSetsOf(h, 'rc')).length === 2 && (await statusLine(h, 'rc')) === '2/2/2/2/0', 'v2 complete');
  } finally {
    await h.stop();
  }
});

test('Deployment: paused deployments scale but do not roll out; resume rolls out', async () => {
  const h = await startHarness([startReplicaSetController, startDeploymentController]);
  try {
    await h.client.resource(R.deployments).create('default', deployment('p', 2, 'app:1'));
    await h.waitFor(async () => (await markPodsReady(h)) >= 0 && (await statusLine(h, 'p')) === '2/2/2/2/0', 'v1 complete');
    await h.client.resource(R.deployments).patch('default', 'p', 'merge', { spec: { paused: true } });
    await h.waitFor(async () => (await conditionOf(h, 'p', 'Progressing')) === 'Unknown/DeploymentPaused', 'paused condition');
    await setImage(h, 'p', 'app:2');
    await h.client.resource(R.deployments).patch('default', 'p', 'merge', { spec: { replicas: 3 } });
    await h.waitFor(async () => (await markPodsReady(h)) >= 0 && (await statusLine(h, 'p')) === '3/0/3/3/0', 'scaled while paused (the paused template has no ReplicaSet: 0 updated)');
    assert.equal((await replicaSetsOf(h, 'p')).length, 1);
    await h.client.resource(R.deployments).patch('default', 'p', 'merge', { spec: { paused: false } });
    await h.waitFor(async () => {
      await markPodsReady(h);
      return (await replicaSetsOf(h, 'p')).length === 2 && (await statusLine(h, 'p')) === '3/3/3/3/0';
    }, 'v2 complete after resume');
  } finally {
    await h.stop();
  }
});

test('Deployment: cleanup keeps revisionHistoryLimit old ReplicaSets', async () => {
  const h = await startHarness([startReplicaSetController, startDeploymentController]);
  try {
    await h.client.resource(R.deployments).create('default', deployment('c', 1, 'app:1', { revisionHistoryLimit: 1 }));
    for (const [i, image] of ['app:1', 'app:2', 'app:3', 'app:4'].entries()) {
      if (i > 0) await setImage(h, 'c', image);
      await h.waitFor(async () => {
        await markPodsReady(h);
        const rss = await replicaSetsOf(h, 'c');
        return rss.at(-1)?.metadata.annotations?.[rev] === String(i + 1) && (await statusLine(h, 'c')) === '1/1/1/1/0' && rss.length <= 2;
      }, `revision ${i + 1}`);
    }
    const rss = await replicaSetsOf(h, 'c');
    assert.deepEqual(rss.map((rs) => rs.metadata.annotations?.[rev]), ['3', '4']);
  } finally {
    await h.stop();
  }
});

test('Deployment: no progress within progressDeadlineSeconds sets ProgressDeadlineExceeded', async () => {
  const h = await startHarness([startReplicaSetController, startDeploymentController]);
  try {
    await h.client.resource(R.deployments).create('default', deployment('slow', 2, 'app:1', { progressDeadlineSeconds: 30 }));
    await h.waitFor(async () => ['True/NewReplicaSetCreated', 'True/ReplicaSetUpdated'].includes(await conditionOf(h, 'slow', 'Progressing')), 'rollout started', 0);
    assert.equal(await conditionOf(h, 'slow', 'Available'), 'False/MinimumReplicasUnavailable');
    await h.waitFor(async () => (await conditionOf(h, 'slow', 'Progressing')) === 'False/ProgressDeadlineExceeded', 'deadline exceeded', 1000);
    await markPodsReady(h);
    await h.waitFor(async () => (await conditionOf(h, 'slow', 'Progressing')) === 'True/NewReplicaSetAvailable', 'recovered');
  } finally {
    await h.stop();
  }
});
