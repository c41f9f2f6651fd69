// The three workload loops together on the in-memory API: a Deployment rolls out, scales, and is
// garbage collected with its ReplicaSets and pods, while the test plays the kubelet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { num } from '../../api/object.js';
import { R } from '../../client/client.js';
import { startGarbageCollector } from '../garbagecollector/index.js';
import { startHarness } from '../replicaset/harness_test_helper.js';
import { startReplicaSetController } from '../replicaset/index.js';
import { startDeploymentController } from './index.js';
import { deployment, markPodsReady } from './rollout_test_helper.js';

test('integration: replicas == readyReplicas after create, scale and rollout; deletion cascades', async () => {
  const h = await startHarness([startReplicaSetController, startDeploymentController, startGarbageCollector]);
  try {
    const deployments = h.client.resource(R.deployments);
    await deployments.create('default', deployment('app', 3, 'app:1'));
    const converged = (want: number) => async (): Promise<boolean> => {
      await markPodsReady(h);
      const d = await deployments.get('default', 'app');
      const s = (k: string): number => num(d, 'status', k) ?? 0;
      return s('observedGeneration') === d.metadata.generation && s('replicas') === want && s('readyReplicas') === want && s('updatedReplicas') === want && s('availableReplicas') === want;
    };
    await h.waitFor(converged(3), '3 ready replicas');
    await deployments.patch('default', 'app', 'merge', { spec: { replicas: 6 } });
    await h.waitFor(converged(6), '6 ready replicas');
    await deployments.patch('default', 'app', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'app:2' }] } } } });
    await h.waitFor(async () => (await converged(6)()) && (await h.list(R.pods)).length === 6, 'rolled out to app:2');
    assert.ok((await h.list(R.pods)).every((p) => (p.spec as { containers: { image: string }[] }).containers[0]?.image === 'app:2'));
    // kubectl delete uses background propagation: the collector removes ReplicaSets, then pods.
    await deployments.delete('default', 'app', { propagationPolicy: 'Background' });
    await h.waitFor(async () => (await h.list(R.replicasets)).length === 0 && (await h.list(R.pods)).length === 0, 'cascade');
  } finally {
    await h.stop();
  }
});
