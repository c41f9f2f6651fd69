import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../types.js';
import { podtemplates } from './podtemplates.js';

const tpl = (): KubeObject => ({
  metadata: { name: 'web', namespace: 'default' },
  template: {
    metadata: { labels: { app: 'web', tier: 'fe' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'log', image: 'busybox' }] },
  },
});

test('podtemplates defaults the pod spec and validates it', () => {
  const o = tpl();
  podtemplates.defaults(o);
  const spec = (o.template as { spec: Record<string, unknown> }).spec;
  assert.equal(spec.restartPolicy, 'Always');
  assert.equal(spec.dnsPolicy, 'ClusterFirst');
  assert.deepEqual(podtemplates.validate(o), []);
  const empty: KubeObject = { metadata: { name: 'x' }, template: { spec: { containers: [] } } };
  podtemplates.defaults(empty);
  assert.ok(podtemplates.validate(empty).some((e) => e.field === 'template.spec.containers'));
});

test('podtemplates row', () => {
  assert.deepEqual(podtemplates.row(tpl(), 0), ['web', 'nginx,log', 'nginx:1.25,busybox', 'app=web,tier=fe']);
  assert.deepEqual(podtemplates.columns.map((c) => c.name), ['Name', 'Containers', 'Images', 'Pod Labels']);
});
