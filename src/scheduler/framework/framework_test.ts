import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makePod, nodeInfo, podInfo } from '../testing/fixtures_test_helper.js';
import { defaultPlugins } from '../plugins/registry.js';
import { SchedulerCache } from '../cache/cache.js';
import { Framework, numFeasibleNodesToFind } from './framework.js';
import { fitErrorMessage, preemptionMessage } from './fit_error.js';
import { CycleState, type ClusterView } from './plugin.js';
import type { NodeInfo } from './node_info.js';

const view = (cache: SchedulerCache): ClusterView => ({
  nodeCount: () => cache.nodeCount(),
  nodeInfo: (n) => cache.nodeInfo(n),
  ownerPlacement: (u) => cache.ownerPlacement(u),
  imageNodeCount: (i) => cache.imageNodeCount(i),
  anyImages: () => cache.anyImages(),
  serviceSelectors: () => [],
});

test('numFeasibleNodesToFind follows the adaptive percentage', () => {
  const cases: [number, number][] = [[3, 3], [99, 99], [100, 100], [250, 120], [1000, 420], [5000, 500], [20000, 1000]];
  for (const [n, want] of cases) assert.equal(numFeasibleNodesToFind(n), want, String(n));
  assert.equal(numFeasibleNodesToFind(1000, 100), 1000);
});

test('FailedScheduling message reads like kube-scheduler', () => {
  const cache = new SchedulerCache();
  cache.setNode(makeNode('gone', { ready: 'Unknown', taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] }));
  cache.setNode(makeNode('small-1', { cpu: '2' }));
  cache.setNode(makeNode('small-2', { cpu: '2' }));
  const fw = new Framework(defaultPlugins(view(cache)));
  const pod = podInfo('big', { cpu: '3' });
  const nodes = cache.nodeList();
  const r = fw.findFeasible(pod, nodes, 0, 3, new CycleState());
  assert.equal(r.feasible.length, 0);
  const msg = fitErrorMessage(3, r.statuses, preemptionMessage(pod, r.statuses, 3, (n) => cache.nodeInfo(n)));
  assert.equal(
    msg,
    '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
  );
});

test('preemption verdicts: resolvable shortfalls have no victims; preemptionPolicy Never', () => {
  const cache = new SchedulerCache();
  cache.setNode(makeNode('a', { cpu: '2', labels: { x: 'z' } }));
  cache.addPod(podInfo('used', { cpu: '2', nodeName: 'a' }));
  cache.setNode(makeNode('b', { labels: { x: 'y' } }));
  const fw = new Framework(defaultPlugins(view(cache)));
  const pod = podInfo('p', { cpu: '1', nodeSelector: { x: 'z' } });
  const r = fw.findFeasible(pod, cache.nodeList(), 0, 2, new CycleState());
  assert.equal(
    fitErrorMessage(2, r.statuses, preemptionMessage(pod, r.statuses, 2, (n) => cache.nodeInfo(n))),
    "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
  );
  const never = podInfo('q', { cpu: '1', preemptionPolicy: 'Never' });
  assert.equal(preemptionMessage(never, r.statuses, 2, () => undefined), 'preemption: not eligible due to preemptionPolicy=Never.');
  assert.equal(fitErrorMessage(0, new Map()), 'no nodes available to schedule pods');
});

test('findFeasible stops at the limit and resumes where it stopped', () => {
  const nodes: NodeInfo[] = Array.from({ length: 10 }, (_, i) => nodeInfo(makeNode(`n${i}`)));
  const fw = new Framework({ filters: [], scores: [] });
  const r = fw.findFeasible(podInfo('p'), nodes, 8, 4, new CycleState());
  assert.deepEqual(r.feasible.map((n) => n.name), ['n8', 'n9', 'n0', 'n1']);
  assert.equal(r.processed, 4);
});

test('selectHost picks among the best at random', () => {
  const nodes = ['a', 'b', 'c'].map((n) => nodeInfo(makeNode(n)));
  const seen = new Set<string>();
  let x = 0;
  const fw = new Framework({ filters: [], scores: [], random: () => (x++ % 2 ? 0.8 : 0.2) });
  for (let i = 0; i < 30; i++) seen.add(fw.selectHost(nodes, [5, 9, 9])?.name ?? '');
  assert.deepEqual([...seen].sort(), ['b', 'c']);
});

test('scoring spreads equal pods over equal nodes', () => {
  const cache = new SchedulerCache();
  for (const n of ['a', 'b', 'c']) cache.setNode(makeNode(n));
  const fw = new Framework(defaultPlugins(view(cache)));
  for (let i = 0; i < 9; i++) {
    const pod = podInfo(`p${i}`, { ownerUID: 'rs', cpu: '100m' });
    const nodes = cache.nodeList();
    const state = new CycleState();
    const host = fw.selectHost(nodes, fw.prioritize(pod, nodes, state));
    cache.assumePod(pod, host?.name ?? '');
  }
  assert.deepEqual(cache.nodeList().map((n) => n.pods.size), [3, 3, 3]);
  void makePod;
});
