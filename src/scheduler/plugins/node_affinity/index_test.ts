import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, nodeInfo, podInfo } from '../../testing/fixtures_test_helper.js';
import { NodeAffinity } from './index.js';

const required = (...terms: unknown[]): unknown => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } });

test('NodeAffinity filter', () => {
  const node = nodeInfo(makeNode('n1', { labels: { disk: 'ssd', zone: 'a', gen: '5' } }));
  const cases = [
    { name: 'no constraints', opts: {}, ok: true },
    { name: 'nodeSelector match', opts: { nodeSelector: { disk: 'ssd' } }, ok: true },
    { name: 'nodeSelector mismatch', opts: { nodeSelector: { disk: 'hdd' } }, ok: false },
    { name: 'nodeSelector missing label', opts: { nodeSelector: { gpu: 'yes' } }, ok: false },
    { name: 'In', opts: { affinity: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }) }, ok: true },
    { name: 'NotIn', opts: { affinity: required({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }) }, ok: false },
    { name: 'Exists', opts: { affinity: required({ matchExpressions: [{ key: 'disk', operator: 'Exists' }] }) }, ok: true },
    { name: 'DoesNotExist', opts: { affinity: required({ matchExpressions: [{ key: 'disk', operator: 'DoesNotExist' }] }) }, ok: false },
    { name: 'Gt', opts: { affinity: required({ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }) }, ok: true },
    { name: 'Lt', opts: { affinity: required({ matchExpressions: [{ key: 'gen', operator: 'Lt', values: ['4'] }] }) }, ok: false },
    { name: 'terms are ORed', opts: { affinity: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['x'] }] }, { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }) }, ok: true },
    { name: 'matchFields metadata.name', opts: { affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }) }, ok: true },
    { name: 'matchFields other node', opts: { affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }) }, ok: false },
    { name: 'empty term matches nothing', opts: { affinity: required({}) }, ok: false },
  ];
  for (const c of cases) {
    const s = new NodeAffinity().filter(podInfo('p', c.opts), node);
    assert.equal(s.code === 'Success', c.ok, c.name);
    if (!c.ok) assert.deepEqual(s.reasons, ["node(s) didn't match Pod's node affinity/selector"]);
  }
});

test('NodeAffinity score sums preferred weights, normalised', () => {
  const affinity = {
    nodeAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
        { weight: 30, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
      ],
    },
  };
  const pod = podInfo('p', { affinity });
  const nodes = [makeNode('both', { labels: { disk: 'ssd', zone: 'a' } }), makeNode('ssd', { labels: { disk: 'ssd' } }), makeNode('none')].map((n) => nodeInfo(n));
  const plugin = new NodeAffinity();
  const scores = nodes.map((n) => plugin.score(pod, n));
  assert.deepEqual(scores, [40, 10, 0]);
  plugin.normalize(scores);
  assert.deepEqual(scores, [100, 25, 0]);
});
