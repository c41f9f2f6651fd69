import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState } from '../../framework/plugin.js';
import { makeNode, nodeInfo, podInfo } from '../../testing/fixtures_test_helper.js';
import { TaintToleration } from './index.js';

test('TaintToleration filter', () => {
  const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  const cases = [
    { name: 'no taints', taints: [], tolerations: [], want: [] as string[] },
    { name: 'NoSchedule untolerated', taints: [{ key: 'a', value: 'b', effect: 'NoSchedule' }], tolerations: [], want: ['node(s) had untolerated taint {a: b}'] },
    { name: 'NoExecute untolerated, empty value', taints: [unreachable], tolerations: [], want: ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }'] },
    { name: 'PreferNoSchedule never filters', taints: [{ key: 'a', effect: 'PreferNoSchedule' }], tolerations: [], want: [] },
    { name: 'Equal toleration', taints: [{ key: 'a', value: 'b', effect: 'NoSchedule' }], tolerations: [{ key: 'a', operator: 'Equal', value: 'b', effect: 'NoSchedule' }], want: [] },
    { name: 'Equal toleration, other value', taints: [{ key: 'a', value: 'b', effect: 'NoSchedule' }], tolerations: [{ key: 'a', value: 'c' }], want: ['node(s) had untolerated taint {a: b}'] },
    { name: 'Exists toleration, any effect', taints: [unreachable], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }], want: [] },
    { name: 'toleration for another effect', taints: [unreachable], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }], want: ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }'] },
    { name: 'first untolerated is reported', taints: [{ key: 'x', effect: 'NoSchedule' }, { key: 'y', effect: 'NoSchedule' }], tolerations: [{ key: 'x', operator: 'Exists' }], want: ['node(s) had untolerated taint {y: }'] },
  ];
  for (const c of cases) {
    const s = new TaintToleration().filter(podInfo('p', { tolerations: c.tolerations }), nodeInfo(makeNode('n', { taints: c.taints })));
    assert.deepEqual([...s.reasons], c.want, c.name);
    assert.equal(s.code, c.want.length ? 'UnschedulableAndUnresolvable' : 'Success', c.name);
  }
});

test('TaintToleration score prefers nodes with fewer untolerated PreferNoSchedule taints', () => {
  const plugin = new TaintToleration();
  const nodes = [
    nodeInfo(makeNode('clean')),
    nodeInfo(makeNode('one', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }] })),
    nodeInfo(makeNode('two', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }] })),
    nodeInfo(makeNode('tolerated', { taints: [{ key: 't', effect: 'PreferNoSchedule' }] })),
  ];
  const pod = podInfo('p', { tolerations: [{ key: 't', operator: 'Exists', effect: 'PreferNoSchedule' }] });
  const state = new CycleState();
  plugin.preScore(pod, nodes, state);
  const scores = nodes.map((n) => plugin.score(pod, n, state));
  assert.deepEqual(scores, [0, 1, 2, 0]);
  plugin.normalize(scores);
  assert.deepEqual(scores, [100, 50, 0, 100]);
});
