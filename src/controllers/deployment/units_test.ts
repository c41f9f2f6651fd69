import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, setNewReplicaSetAnnotations } from './annotations.js';
import { resolveFenceposts } from './fenceposts.js';
import { safeEncodeString } from '../../lib/fnv.js';
import { computeHash } from './hash.js';
import { equalIgnoreHash } from './replicasets.js';

test('resolveFenceposts: surge rounds up, unavailable rounds down, never both zero', () => {
  const cases: [unknown, unknown, number, number, number][] = [
    ['25%', '25%', 4, 1, 1],
    ['25%', '25%', 10, 3, 2],
    ['25%', '25%', 1, 1, 0],
    [0, '25%', 1, 0, 1],
    ['0%', '0%', 5, 0, 1],
    [2, 0, 3, 2, 0],
    ['50%', '10%', 3, 2, 0],
  ];
  for (const [surge, unavailable, desired, wantSurge, wantUnavailable] of cases) {
    assert.deepEqual(resolveFenceposts(surge, unavailable, desired), { surge: wantSurge, unavailable: wantUnavailable }, `${String(surge)}/${String(unavailable)} of ${desired}`);
  }
});

test('computeHash: stable, key-order independent, safe alphabet, collisionCount changes it', () => {
  const a = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };
  const b = { spec: { containers: [{ image: 'nginx:1', name: 'c' }] }, metadata: { labels: { app: 'web' } } };
  assert.equal(computeHash(a), computeHash(b));
  assert.match(computeHash(a), /^[456789bcdf]{1,10}$/);
  assert.notEqual(computeHash(a), computeHash(a, 1));
  assert.notEqual(computeHash(a), computeHash({ ...a, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }));
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('equalIgnoreHash ignores only the pod-template-hash label', () => {
  const t = (labels: Record<string, string>, image = 'x'): unknown => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image }] } });
  assert.ok(equalIgnoreHash(t({ app: 'a', 'pod-template-hash': 'abc' }), t({ app: 'a' })));
  assert.ok(!equalIgnoreHash(t({ app: 'a' }), t({ app: 'b' })));
  assert.ok(!equalIgnoreHash(t({ app: 'a' }, 'x'), t({ app: 'a' }, 'y')));
});

test('setNewReplicaSetAnnotations: new RS, rollback history, change-cause copied, apply annotation not', () => {
  const d: KubeObject = { metadata: { name: 'd', annotations: { 'kubernetes.io/change-cause': 'v3', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } } };
  const fresh: KubeObject = { metadata: { name: 'rs' } };
  assert.equal(setNewReplicaSetAnnotations(d, fresh, 1, false, 4, 5), true);
  assert.deepEqual(fresh.metadata.annotations, {
    'kubernetes.io/change-cause': 'v3',
    [REVISION_ANNOTATION]: '1',
    'deployment.kubernetes.io/desired-replicas': '4',
    'deployment.kubernetes.io/max-replicas': '5',
  });
  const old: KubeObject = { metadata: { name: 'rs', annotations: { [REVISION_ANNOTATION]: '1', [REVISION_HISTORY_ANNOTATION]: '0' } } };
  assert.equal(setNewReplicaSetAnnotations(d, old, 3, true, 4, 5), true);
  assert.equal(old.metadata.annotations?.[REVISION_ANNOTATION], '3');
  assert.equal(old.metadata.annotations?.[REVISION_HISTORY_ANNOTATION], '0,1');
  assert.equal(setNewReplicaSetAnnotations(d, old, 3, true, 4, 5), false);
});
