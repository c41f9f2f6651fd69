import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makePod, nodeInfo, podInfo } from '../../testing/fixtures_test_helper.js';
import { podRequests } from '../../framework/resources.js';
import { NodeResourcesBalancedAllocation, NodeResourcesFit } from './index.js';

test('NodeResourcesFit filter', () => {
  const cases = [
    { name: 'fits', node: { cpu: '2', memory: '4Gi' }, used: [{ cpu: '1' }], pod: { cpu: '1', memory: '1Gi' }, code: 'Success', reasons: [] as string[] },
    { name: 'cpu short', node: { cpu: '2', memory: '4Gi' }, used: [{ cpu: '1500m' }], pod: { cpu: '1' }, code: 'Unschedulable', reasons: ['Insufficient cpu'] },
    { name: 'cpu and memory short', node: { cpu: '2', memory: '4Gi' }, used: [{ cpu: '2', memory: '4Gi' }], pod: { cpu: '1', memory: '1Gi' }, code: 'Unschedulable', reasons: ['Insufficient cpu', 'Insufficient memory'] },
    { name: 'bigger than the node', node: { cpu: '2', memory: '4Gi' }, used: [], pod: { cpu: '3' }, code: 'UnschedulableAndUnresolvable', reasons: ['Insufficient cpu'] },
    { name: 'pod count', node: { cpu: '2', memory: '4Gi', pods: '1' }, used: [{}], pod: {}, code: 'Unschedulable', reasons: ['Too many pods'] },
    { name: 'pod count and cpu', node: { cpu: '2', memory: '4Gi', pods: '1' }, used: [{ cpu: '2' }], pod: { cpu: '1' }, code: 'Unschedulable', reasons: ['Too many pods', 'Insufficient cpu'] },
    { name: 'no requests fit a full node', node: { cpu: '1', memory: '1Gi' }, used: [{ cpu: '1', memory: '1Gi' }], pod: {}, code: 'Success', reasons: [] },
  ];
  for (const c of cases) {
    const node = nodeInfo(makeNode('n', c.node), c.used.map((u, i) => makePod(`u${i}`, { ...u, nodeName: 'n' })));
    const s = new NodeResourcesFit().filter(podInfo('p', c.pod), node);
    assert.equal(s.code, c.code, c.name);
    assert.deepEqual([...s.reasons], c.reasons, c.name);
  }
});

test('pod requests: max(sum of containers, init containers) plus overhead; sidecars add', () => {
  const init = (cpu: string, restartPolicy?: string): unknown => ({ name: `i${cpu}`, image: 'x', resources: { requests: { cpu } }, ...(restartPolicy ? { restartPolicy } : {}) });
  const cases = [
    { name: 'containers only', opts: { cpu: '500m', extraContainers: [{ name: 'b', resources: { requests: { cpu: '250m' } } }] }, cpu: 750 },
    { name: 'big init container', opts: { cpu: '500m', initContainers: [init('2')] }, cpu: 2000 },
    { name: 'small init container', opts: { cpu: '500m', initContainers: [init('100m')] }, cpu: 500 },
    { name: 'overhead', opts: { cpu: '500m', overhead: { cpu: '100m' } }, cpu: 600 },
    { name: 'sidecar', opts: { cpu: '500m', initContainers: [init('200m', 'Always')] }, cpu: 700 },
    { name: 'limits only', opts: { extraContainers: [{ name: 'b', resources: { limits: { cpu: '1' } } }] }, cpu: 1000 },
  ];
  for (const c of cases) assert.equal(podRequests(makePod('p', c.opts).spec).milliCPU, c.cpu, c.name);
  const empty = podRequests(makePod('p').spec, true);
  assert.deepEqual([empty.milliCPU, empty.memory], [100, 200 * 1024 * 1024]);
});

test('LeastAllocated and BalancedAllocation scores', () => {
  const idle = nodeInfo(makeNode('idle', { cpu: '4', memory: '8Gi' }));
  const busy = nodeInfo(makeNode('busy', { cpu: '4', memory: '8Gi' }), [makePod('u', { cpu: '2', memory: '1Gi', nodeName: 'busy' })]);
  const pod = podInfo('p', { cpu: '1', memory: '2Gi' });
  const fit = new NodeResourcesFit();
  // idle: cpu (4-1)/4 = 75, memory (8-2)/8 = 75 → 75; busy: cpu 25, memory 62 → 43.
  assert.deepEqual([fit.score(pod, idle), fit.score(pod, busy)], [75, 43]);
  const balanced = new NodeResourcesBalancedAllocation();
  // idle: fractions .25/.25 → 100; busy: .75/.375 → std .1875 → 81.
  assert.deepEqual([balanced.score(pod, idle), balanced.score(pod, busy)], [100, 81]);
});
