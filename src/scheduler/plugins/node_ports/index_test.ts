import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makePod, nodeInfo, podInfo } from '../../testing/fixtures_test_helper.js';
import { NodePorts } from './index.js';

test('NodePorts', () => {
  const cases = [
    { name: 'no host ports', used: [] as number[], want: [] as number[], code: 'Success' },
    { name: 'free port', used: [80], want: [8080], code: 'Success' },
    { name: 'port in use', used: [80], want: [80], code: 'Unschedulable' },
    { name: 'one of several in use', used: [443], want: [80, 443], code: 'Unschedulable' },
  ];
  for (const c of cases) {
    const node = nodeInfo(makeNode('n'), c.used.length ? [makePod('other', { hostPorts: c.used, nodeName: 'n' })] : []);
    const s = new NodePorts().filter(podInfo('p', { hostPorts: c.want }), node);
    assert.equal(s.code, c.code, c.name);
    if (c.code !== 'Success') assert.deepEqual(s.reasons, ["node(s) didn't have free ports for the requested pod ports"]);
  }
});

test('NodePorts frees a port when the pod leaves', () => {
  const other = makePod('other', { hostPorts: [80], nodeName: 'n' });
  const node = nodeInfo(makeNode('n'), [other]);
  node.removePod('default/other');
  assert.equal(new NodePorts().filter(podInfo('p', { hostPorts: [80] }), node).code, 'Success');
});
