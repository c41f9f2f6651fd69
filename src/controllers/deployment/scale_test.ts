import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { num } from '../../api/object.js';
import type { ResourceClient } from '../../client/client.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import type { DeploymentDeps } from './deps.js';
import { readStatus, type Rollout } from './rollout.js';
import { scale } from './scale.js';

function rs(name: string, replicas: number, available: number, maxReplicas: number, createdSec: number): KubeObject {
  return {
    metadata: { name, namespace: 'ns', uid: name, creationTimestamp: new Date(createdSec * 1000).toISOString(), annotations: { 'deployment.kubernetes.io/desired-replicas': '10', 'deployment.kubernetes.io/max-replicas': String(maxReplicas) } },
    spec: { replicas },
    status: { replicas, availableReplicas: available },
  };
}

function rollout(replicas: number, updates: KubeObject[], events: string[]): Rollout {
  const d: KubeObject = { metadata: { name: 'd', namespace: 'ns', generation: 2 }, spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } }, status: { replicas: 11 } };
  const replicaSets = { update: (o: KubeObject) => (updates.push(o), Promise.resolve(o)) } as unknown as ResourceClient;
  const deps = { replicaSets, recorder: { event: (_o: unknown, _t: unknown, _r: unknown, m: string) => events.push(m) }, clock: new FakeClock(), logger: silentLogger } as unknown as DeploymentDeps;
  return { deps, key: 'ns/d', d, status: readStatus(d) };
}

test('scale: mid-rollout scale-up is split in proportion, leftovers to the largest ReplicaSet', async () => {
  // 10 replicas at 25%/25% mid-rollout: old 8 (all available), new 3 (none available); max was 13.
  const updates: KubeObject[] = [];
  const events: string[] = [];
  const r = rollout(20, updates, events);
  await scale(r, rs('new', 3, 0, 13, 200), [rs('old', 8, 8, 13, 100)]);
  const sizes = Object.fromEntries(updates.map((u) => [u.metadata.name, num(u, 'spec', 'replicas')]));
  // allowed = 20 + 5 = 25, to add 14: old round(8*25/13)-8 = 7, new round(3*25/13)-3 = 3, leftover 4 to old.
  assert.deepEqual(sizes, { old: 19, new: 6 });
  assert.equal(updates[0]?.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '20');
  assert.equal(updates[0]?.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '25');
  assert.deepEqual(events, ['Scaled up replica set old from 8 to 19', 'Scaled up replica set new from 3 to 6']);
});

test('scale: scale-down shrinks older ReplicaSets first on ties; a single active ReplicaSet takes it all', async () => {
  const updates: KubeObject[] = [];
  const r = rollout(4, updates, []);
  // 10 → 4 with old 6 / new 6 (max 13): allowed 4 + 1 = 5, remove 7.
  await scale(r, rs('new', 6, 0, 13, 200), [rs('old', 6, 6, 13, 100)]);
  const sizes = Object.fromEntries(updates.map((u) => [u.metadata.name, num(u, 'spec', 'replicas')]));
  assert.equal((sizes.old ?? 0) + (sizes.new ?? 0), 5);
  assert.ok((sizes.old ?? 0) <= (sizes.new ?? 0), JSON.stringify(sizes));
  const single: KubeObject[] = [];
  await scale(rollout(7, single, []), rs('new', 10, 10, 13, 200), [rs('old', 0, 0, 13, 100)]);
  assert.deepEqual(single.map((u) => [u.metadata.name, num(u, 'spec', 'replicas')]), [['new', 7]]);
});
