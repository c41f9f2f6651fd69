import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, nodeInfo, podInfo } from '../../testing/fixtures_test_helper.js';
import { NodeReady } from './index.js';

test('NodeReady', () => {
  const tolerateAll = [{ operator: 'Exists' }];
  const cases = [
    { ready: 'True' as const, tolerations: [], want: [] as string[] },
    { ready: 'False' as const, tolerations: [], want: ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'] },
    { ready: 'Unknown' as const, tolerations: [], want: ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }'] },
    { ready: 'none' as const, tolerations: [], want: ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }'] },
    { ready: 'False' as const, tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }], want: [] },
    { ready: 'Unknown' as const, tolerations: tolerateAll, want: [] },
  ];
  for (const c of cases) {
    const s = new NodeReady().filter(podInfo('p', { tolerations: c.tolerations }), nodeInfo(makeNode('n', { ready: c.ready })));
    assert.deepEqual([...s.reasons], c.want, `${c.ready} ${JSON.stringify(c.tolerations)}`);
  }
});
