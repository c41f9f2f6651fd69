import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { silentLogger } from '../../lib/log.js';
import { FakeClock } from '../../lib/clock.js';
import type { DisruptionDeps, Lister } from './deps.js';
import { expectedPodCount } from './expected.js';
import { disruptionsAllowedOf, rfc3339, setCondition } from './status.js';

const empty: Lister = { get: () => undefined, byIndex: () => [] };
const rs: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'ns', uid: 'u1' }, spec: { replicas: 7 } };
const deps: DisruptionDeps = {
  pdbLister: empty, podLister: empty, deploymentLister: empty, statefulSetLister: empty,
  rsLister: { get: (k) => (k === 'ns/rs' ? rs : undefined), byIndex: () => [] },
  pdbs: undefined as never, recorder: { event: () => undefined }, clock: new FakeClock(), logger: silentLogger, enqueueAfter: () => undefined,
};
const pod = (name: string): KubeObject => ({ metadata: { name, namespace: 'ns', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true }] } });
const pdb = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'p', namespace: 'ns' }, spec });

test('expectedPodCount rounds percentages up against the controller scale (7 replicas, 2 pods)', () => {
  const cases: [Record<string, unknown>, number, number][] = [
    [{ minAvailable: 3 }, 2, 3],
    [{ minAvailable: '50%' }, 7, 4],
    [{ minAvailable: '100%' }, 7, 7],
    [{ maxUnavailable: '10%' }, 7, 6],
    [{ maxUnavailable: 9 }, 7, 0],
    [{}, 0, 0],
  ];
  for (const [spec, expected, desired] of cases) {
    const got = expectedPodCount(deps, pdb(spec), [pod('a'), pod('b')]);
    assert.deepEqual([got.expectedPods, got.desiredHealthy], [expected, desired], JSON.stringify(spec));
  }
  assert.throws(() => expectedPodCount(deps, pdb({ minAvailable: '5' }), [pod('a')]), /invalid value for IntOrString/);
});

test('disruptionsAllowedOf is floored at 0 and 0 while nothing is expected', () => {
  const c = (currentHealthy: number, desiredHealthy: number, expectedPods: number): number => disruptionsAllowedOf({ currentHealthy, desiredHealthy, expectedPods, disruptedPods: {} });
  assert.deepEqual([c(5, 3, 5), c(2, 3, 5), c(3, 0, 0)], [2, 0, 0]);
});

test('setCondition keeps lastTransitionTime unless the status flips', () => {
  const t0 = rfc3339(0);
  const first = setCondition([], { type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 1 }, 0);
  const same = setCondition(first, { type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 2 }, 5000);
  const flipped = setCondition(same, { type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', observedGeneration: 2 }, 9000);
  assert.deepEqual(same, [{ type: 'DisruptionAllowed', status: 'True', observedGeneration: 2, lastTransitionTime: t0, reason: 'SufficientPods', message: '' }]);
  assert.deepEqual(flipped, [{ type: 'DisruptionAllowed', status: 'False', observedGeneration: 2, lastTransitionTime: rfc3339(9000), reason: 'InsufficientPods', message: '' }]);
});
