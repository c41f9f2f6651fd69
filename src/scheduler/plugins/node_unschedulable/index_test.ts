import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, nodeInfo, podInfo } from '../../testing/fixtures_test_helper.js';
import { NodeName } from '../node_name/index.js';
import { NodeUnschedulable } from './index.js';

test('NodeUnschedulable', () => {
  const cases = [
    { name: 'schedulable node', unschedulable: false, tolerations: [], want: 'Success' },
    { name: 'cordoned node', unschedulable: true, tolerations: [], want: 'UnschedulableAndUnresolvable' },
    { name: 'cordoned node, tolerated', unschedulable: true, tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }], want: 'Success' },
    { name: 'cordoned node, wildcard toleration', unschedulable: true, tolerations: [{ operator: 'Exists' }], want: 'Success' },
  ];
  for (const c of cases) {
    const s = new NodeUnschedulable().filter(podInfo('p', { tolerations: c.tolerations }), nodeInfo(makeNode('n', { unschedulable: c.unschedulable })));
    assert.equal(s.code, c.want, c.name);
    if (c.want !== 'Success') assert.deepEqual(s.reasons, ['node(s) were unschedulable']);
  }
});

test('NodeName', () => {
  const cases = [
    { nodeName: undefined, want: 'Success' },
    { nodeName: 'n', want: 'Success' },
    { nodeName: 'other', want: 'UnschedulableAndUnresolvable' },
  ];
  for (const c of cases) {
    const pod = podInfo('p', c.nodeName ? { nodeName: c.nodeName } : {});
    const s = new NodeName().filter(pod, nodeInfo(makeNode('n')));
    assert.equal(s.code, c.want, String(c.nodeName));
  }
});
