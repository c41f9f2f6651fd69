import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState, type ClusterView } from '../../framework/plugin.js';
import { SchedulerCache } from '../../cache/cache.js';
import { makeNode, makePod, podInfo } from '../../testing/fixtures_test_helper.js';
import { newPodInfo } from '../../framework/pod_info.js';
import { parseSelector } from '../../../api/labels/selector.js';
import { PodTopologySpread } from './index.js';

function setup(zones: Record<string, string | undefined>, placed: Record<string, number>, owner = 'rs-1'): { cache: SchedulerCache; view: ClusterView } {
  const cache = new SchedulerCache();
  for (const [name, zone] of Object.entries(zones)) cache.setNode(makeNode(name, zone ? { labels: { 'topology.kubernetes.io/zone': zone } } : {}));
  let i = 0;
  for (const [node, n] of Object.entries(placed)) {
    for (let k = 0; k < n; k++) cache.addPod(newPodInfo(makePod(`x${i++}`, { nodeName: node, ownerUID: owner, labels: { app: 'web' } })));
  }
  const view: ClusterView = {
    nodeCount: () => cache.nodeCount(),
    nodeInfo: (n) => cache.nodeInfo(n),
    ownerPlacement: (u) => cache.ownerPlacement(u),
    imageNodeCount: () => 0,
    anyImages: () => false,
    serviceSelectors: (p) => (p.labels.app === 'web' ? [parseSelector('app=web')] : []),
  };
  return { cache, view };
}

function run(view: ClusterView, cache: SchedulerCache, pod = podInfo('new', { ownerUID: 'rs-1', labels: { app: 'web' } })): number[] {
  const plugin = new PodTopologySpread(view);
  const nodes = cache.nodeList();
  const state = new CycleState();
  plugin.preScore(pod, nodes, state);
  const scores = nodes.map((n) => plugin.score(pod, n, state));
  plugin.normalize(scores, state);
  return scores;
}

test('PodTopologySpread favours nodes with fewer pods of the same owner', () => {
  const cases = [
    { name: 'empty cluster: all equal', zones: { a: undefined, b: undefined, c: undefined }, placed: {}, best: ['a', 'b', 'c'] },
    { name: 'host spread', zones: { a: undefined, b: undefined, c: undefined }, placed: { a: 2, b: 1 }, best: ['c'] },
    { name: 'zone spread wins over an equal host count', zones: { a: 'z1', b: 'z1', c: 'z2' }, placed: { a: 1 }, best: ['c'] },
  ];
  for (const c of cases) {
    const { cache, view } = setup(c.zones, c.placed);
    const scores = run(view, cache);
    const names = cache.nodeList().map((n) => n.name);
    const max = Math.max(...scores);
    assert.deepEqual(names.filter((_, i) => scores[i] === max), c.best, c.name);
  }
});

test('PodTopologySpread groups ownerless pods by the Services selecting them', () => {
  const { cache, view } = setup({ a: undefined, b: undefined }, {});
  cache.addPod(newPodInfo(makePod('svc-pod', { nodeName: 'a', labels: { app: 'web' } })));
  const scores = run(view, cache, podInfo('new', { labels: { app: 'web' } }));
  assert.ok((scores[1] ?? 0) > (scores[0] ?? 0), JSON.stringify(scores));
  const lone = run(view, cache, podInfo('lone', { labels: { app: 'other' } }));
  assert.deepEqual(lone, [0, 0]);
});
