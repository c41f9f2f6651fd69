import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { arr } from '../../api/object.js';
import type { EndpointGroup, SliceEndpoint } from './desired.js';
import { reconcileSlices } from './reconcile.js';

const svc: KubeObject = { metadata: { name: 'web', namespace: 'default', uid: 'svc-uid' }, spec: { selector: { app: 'web' } } };
const ports = [{ name: '', port: 80, protocol: 'TCP' }];
const ep = (i: number): SliceEndpoint => ({
  addresses: [`10.42.${Math.floor(i / 250)}.${(i % 250) + 1}`],
  conditions: { ready: true, serving: true, terminating: false },
  targetRef: { kind: 'Pod', namespace: 'default', name: `p${i}`, uid: `u${i}` },
});
const range = (from: number, to: number): SliceEndpoint[] => Array.from({ length: to - from }, (_, i) => ep(from + i));
const named = (slices: KubeObject[]): KubeObject[] => slices.map((s, i) => ({ ...s, metadata: { ...s.metadata, name: `web-${i}`, resourceVersion: '1' } }));
const sizes = (slices: KubeObject[]): number[] => slices.map((s) => arr(s, 'endpoints').length);

test('reconcileSlices splits beyond 100 endpoints per slice', () => {
  const a = reconcileSlices(svc, [], [{ ports, endpoints: range(0, 250) }]);
  assert.deepEqual(sizes(a.create), [100, 100, 50]);
  assert.equal(a.update.length + a.remove.length, 0);
  const s = a.create[0]!;
  assert.equal(s.metadata.generateName, 'web-');
  assert.deepEqual(s.metadata.labels, { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  assert.deepEqual(s.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }]);
  assert.equal(s.addressType, 'IPv4');
});

test('reconcileSlices keeps endpoints in place and fills slices with room', () => {
  const existing = named(reconcileSlices(svc, [], [{ ports, endpoints: range(0, 150) }]).create);
  // Nothing changed: nothing to do.
  const same = reconcileSlices(svc, existing, [{ ports, endpoints: range(0, 150) }]);
  assert.deepEqual([same.create.length, same.update.length, same.remove.length], [0, 0, 0]);
  // Ten endpoints leave the first slice, sixty arrive: the first slice and the second fill up.
  const groups: EndpointGroup[] = [{ ports, endpoints: [...range(10, 150), ...range(150, 210)] }];
  const a = reconcileSlices(svc, existing, groups);
  assert.deepEqual(sizes(a.update), [100, 100]);
  assert.deepEqual(a.create.length, 0);
  assert.ok(!arr(a.update[0], 'endpoints').some((e) => (e as SliceEndpoint).targetRef.name === 'p0'));
});

test('reconcileSlices keeps one empty placeholder and replaces slices whose ports changed', () => {
  const placeholder = reconcileSlices(svc, [], []);
  assert.deepEqual(sizes(placeholder.create), [0]);
  assert.deepEqual(placeholder.create[0]?.ports, []);
  const existing = named(reconcileSlices(svc, [], [{ ports, endpoints: range(0, 3) }]).create);
  const emptied = reconcileSlices(svc, existing, []);
  assert.deepEqual([emptied.create.length, emptied.remove.length], [0, 0]);
  assert.deepEqual(sizes(emptied.update), [0]);
  const moved = reconcileSlices(svc, existing, [{ ports: [{ name: '', port: 8080, protocol: 'TCP' }], endpoints: range(0, 3) }]);
  assert.deepEqual([sizes(moved.create), moved.remove.length, moved.update.length], [[3], 1, 0]);
});
