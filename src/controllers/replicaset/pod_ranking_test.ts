import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { podsToDelete } from './pod_ranking.js';

const NOW = Date.parse('2024-01-01T12:00:00Z');
const ago = (s: number): string => new Date(NOW - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface PodOpts {
  node?: string;
  phase?: string;
  ready?: boolean;
  readyAgo?: number;
  restarts?: number;
  age?: number;
  cost?: string;
}

function pod(name: string, o: PodOpts): KubeObject {
  const p: KubeObject = {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, creationTimestamp: ago(o.age ?? 3600) },
    spec: o.node ? { nodeName: o.node } : {},
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: ago(o.readyAgo ?? 3000) }],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }],
    },
  };
  if (o.cost !== undefined) p.metadata.annotations = { 'controller.kubernetes.io/pod-deletion-cost': o.cost };
  return p;
}

const cases: { name: string; pods: KubeObject[]; want: string }[] = [
  { name: 'unscheduled before scheduled', pods: [pod('a', { node: 'n1', ready: true }), pod('b', { phase: 'Pending' })], want: 'b' },
  { name: 'pending before running', pods: [pod('a', { node: 'n1', phase: 'Running' }), pod('b', { node: 'n2', phase: 'Pending' })], want: 'b' },
  { name: 'unknown before running', pods: [pod('a', { node: 'n1', phase: 'Running' }), pod('b', { node: 'n2', phase: 'Unknown' })], want: 'b' },
  { name: 'not ready before ready', pods: [pod('a', { node: 'n1', ready: true }), pod('b', { node: 'n2', ready: false })], want: 'b' },
  { name: 'lower deletion cost first', pods: [pod('a', { node: 'n1', ready: true, cost: '10' }), pod('b', { node: 'n2', ready: true, cost: '-5' })], want: 'b' },
  { name: 'doubled-up node first', pods: [pod('a', { node: 'n1', ready: true }), pod('b', { node: 'n2', ready: true }), pod('c', { node: 'n2', ready: true })], want: 'b|c' },
  { name: 'ready for less time first', pods: [pod('a', { node: 'n1', ready: true, readyAgo: 5000 }), pod('b', { node: 'n2', ready: true, readyAgo: 10 })], want: 'b' },
  { name: 'more restarts first', pods: [pod('a', { node: 'n1', restarts: 1 }), pod('b', { node: 'n2', restarts: 7 })], want: 'b' },
  { name: 'newer first', pods: [pod('a', { node: 'n1', age: 100_000 }), pod('b', { node: 'n2', age: 20 })], want: 'b' },
];

for (const c of cases) {
  test(`podsToDelete: ${c.name}`, () => {
    // Ranks count pods per node among the related pods (here: the candidates themselves).
    for (const order of [c.pods, [...c.pods].reverse()]) {
      const victims = podsToDelete(order, c.pods, 1, NOW);
      assert.equal(victims.length, 1);
      assert.ok(c.want.split('|').includes(victims[0]?.metadata.name ?? ''), `picked ${victims[0]?.metadata.name ?? ''}`);
    }
  });
}

test('podsToDelete: diff covering every pod returns them all', () => {
  const pods = [pod('a', {}), pod('b', {})];
  assert.equal(podsToDelete(pods, pods, 5, NOW).length, 2);
});
