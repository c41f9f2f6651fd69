import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchedulerCache } from '../../cache/cache.js';
import type { ClusterView } from '../../framework/plugin.js';
import { normalizeImageName } from '../../framework/images.js';
import { makeNode, podInfo } from '../../testing/fixtures_test_helper.js';
import { ImageLocality } from './index.js';

test('normalizeImageName', () => {
  const cases: [string, string][] = [
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['me/app', 'docker.io/me/app:latest'],
    ['registry.local:5000/app', 'registry.local:5000/app:latest'],
    ['ghcr.io/x/y@sha256:abc', 'ghcr.io/x/y@sha256:abc'],
  ];
  for (const [input, want] of cases) assert.equal(normalizeImageName(input), want, input);
});

test('ImageLocality scores nodes holding the image', () => {
  const cache = new SchedulerCache();
  const big = { names: ['docker.io/library/nginx:latest'], sizeBytes: 500 * 1024 * 1024 };
  cache.setNode(makeNode('has', { images: [big] }));
  cache.setNode(makeNode('lacks'));
  const view: ClusterView = { nodeCount: () => cache.nodeCount(), nodeInfo: (n) => cache.nodeInfo(n), ownerPlacement: () => new Map(), imageNodeCount: (i) => cache.imageNodeCount(i), anyImages: () => cache.anyImages(), serviceSelectors: () => [] };
  const plugin = new ImageLocality(view);
  const pod = podInfo('p', { image: 'nginx' });
  const [has, lacks] = cache.nodeList().map((n) => plugin.score(pod, n));
  // 500Mi × (1 of 2 nodes) = 250Mi → (250 − 23) / (1000 − 23) × 100 = 23.
  assert.equal(has, 23);
  assert.equal(lacks, 0);
});
