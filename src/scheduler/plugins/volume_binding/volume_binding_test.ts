import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiRequest } from '../../../api/transport.js';
import type { KubeObject } from '../../../api/types.js';
import { Client } from '../../../client/client.js';
import { FakeClock } from '../../../lib/clock.js';
import { CycleState } from '../../framework/plugin.js';
import { newPodInfo } from '../../framework/pod_info.js';
import type { Status } from '../../framework/status.js';
import { makeNode, nodeInfo } from '../../testing/fixtures_test_helper.js';
import { FakeCache, makeClass, makePV, makePVC, podWithClaims } from './fixtures_test_helper.js';
import { ERR_REASON_BIND_CONFLICT, ERR_REASON_NODE_CONFLICT, ERR_REASON_PV_NOT_EXIST, ERR_REASON_UNBOUND_IMMEDIATE, VolumeBinding } from './index.js';

interface World {
  plugin: VolumeBinding;
  claims: FakeCache;
  volumes: FakeCache;
  classes: FakeCache;
  clock: FakeClock;
  writes: ApiRequest[];
}

function world(objs: KubeObject[] = []): World {
  const claims = new FakeCache();
  const volumes = new FakeCache(true);
  const classes = new FakeCache();
  const writes: ApiRequest[] = [];
  const client = new Client({
    request: (req) => {
      writes.push(req);
      return Promise.resolve(req.body);
    },
    watch: () => Promise.resolve(() => {}),
  });
  const clock = new FakeClock();
  const nodes = new Map(['a', 'b'].map((n) => [n, makeNode(n)]));
  const plugin = new VolumeBinding({ claims, volumes, classes, client, clock, node: (n) => nodes.get(n) });
  for (const o of objs) (o.kind === 'PersistentVolume' ? volumes : o.kind === 'StorageClass' ? classes : claims).put(o);
  return { plugin, claims, volumes, classes, clock, writes };
}

const nodeA = nodeInfo(makeNode('a'));
const nodeB = nodeInfo(makeNode('b'));
const wffc = makeClass('local', 'WaitForFirstConsumer');

/** run returns the PreFilter status, then each node's Filter reasons ("ok" for a fit). */
function run(w: World, pod: KubeObject, state = new CycleState()): { pre: Status; a?: string; b?: string } {
  const info = newPodInfo(pod);
  const pre = w.plugin.preFilter(info, state);
  if (pre.code !== 'Success') return { pre };
  const verdict = (s: Status): string => (s.code === 'Success' ? 'ok' : s.reasons.join('; '));
  return { pre, a: verdict(w.plugin.filter(info, nodeA, state)), b: verdict(w.plugin.filter(info, nodeB, state)) };
}

test('pods without claims skip the plugin', () => {
  assert.equal(run(world(), podWithClaims('p', [])).pre.code, 'Skip');
});

test('PreFilter rejects claims the pod cannot use yet, in upstream words', () => {
  const cases: [string, KubeObject[], KubeObject, string][] = [
    ['missing claim', [], podWithClaims('p', ['data']), 'persistentvolumeclaim "data" not found'],
    ['claim being deleted', [makePVC('data', { deleting: true })], podWithClaims('p', ['data']), 'persistentvolumeclaim "data" is being deleted'],
    ['unbound, no class', [makePVC('data')], podWithClaims('p', ['data']), ERR_REASON_UNBOUND_IMMEDIATE],
    ['unbound, Immediate class', [makeClass('fast', 'Immediate', 'x.io/p'), makePVC('data', { className: 'fast' })], podWithClaims('p', ['data']), ERR_REASON_UNBOUND_IMMEDIATE],
    ['unbound, class missing', [makePVC('data', { className: 'gone' })], podWithClaims('p', ['data']), ERR_REASON_UNBOUND_IMMEDIATE],
    ['ephemeral not created yet', [], podWithClaims('p', [], { ephemeral: ['scratch'] }), 'waiting for ephemeral volume controller to create the persistentvolumeclaim "p-scratch"'],
    ['ephemeral of another pod', [makePVC('p-scratch', { ownerUID: 'other' })], podWithClaims('p', [], { ephemeral: ['scratch'] }), 'PVC default/p-scratch was not created for pod default/p (pod is not owner)'],
  ];
  for (const [what, objs, pod, want] of cases) {
    const { pre } = run(world(objs), pod);
    assert.equal(pre.code, 'UnschedulableAndUnresolvable', what);
    assert.deepEqual(pre.reasons, [want], what);
  }
});

test('Filter checks bound volumes and WaitForFirstConsumer claims per node', () => {
  const cases: [string, KubeObject[], string, string][] = [
    ['bound to a volume pinned to b', [makePV('pv1', { node: 'b', claimRef: { namespace: 'default', name: 'data' } }), makePVC('data', { boundTo: 'pv1' })], ERR_REASON_NODE_CONFLICT, 'ok'],
    ['bound to a missing volume', [makePVC('data', { boundTo: 'gone' })], ERR_REASON_PV_NOT_EXIST, ERR_REASON_PV_NOT_EXIST],
    ['bound to a volume without affinity', [makePV('pv1', { claimRef: { namespace: 'default', name: 'data' } }), makePVC('data', { boundTo: 'pv1' })], 'ok', 'ok'],
    ['WFFC, static volume on a', [wffc, makePV('pv-a', { className: 'local', node: 'a' }), makePVC('data', { className: 'local' })], 'ok', ERR_REASON_BIND_CONFLICT],
    ['WFFC, volume too small', [wffc, makePV('pv-a', { className: 'local', node: 'a', capacity: '1Mi' }), makePVC('data', { className: 'local' })], ERR_REASON_BIND_CONFLICT, ERR_REASON_BIND_CONFLICT],
    ['WFFC, volume already claimed', [wffc, makePV('pv-a', { className: 'local', node: 'a', claimRef: { namespace: 'default', name: 'x', uid: 'u' } }), makePVC('data', { className: 'local' })], ERR_REASON_BIND_CONFLICT, ERR_REASON_BIND_CONFLICT],
    ['WFFC, dynamic provisioner', [makeClass('local', 'WaitForFirstConsumer', 'skiff.io/local-path'), makePVC('data', { className: 'local' })], 'ok', 'ok'],
    [
      'WFFC, provisioning already given to b',
      [makeClass('local', 'WaitForFirstConsumer', 'skiff.io/local-path'), makePVC('data', { className: 'local', annotations: { 'volume.kubernetes.io/selected-node': 'b' } })],
      ERR_REASON_BIND_CONFLICT,
      'ok',
    ],
  ];
  for (const [what, objs, a, b] of cases) {
    const r = run(world(objs), podWithClaims('p', ['data']));
    assert.deepEqual([r.a, r.b], [a, b], what);
  }
});

test('two claims of one pod never take the same volume', () => {
  const w = world([wffc, makePV('pv-a', { className: 'local', node: 'a' }), makePVC('one', { className: 'local' }), makePVC('two', { className: 'local' })]);
  assert.equal(run(w, podWithClaims('p', ['one', 'two'])).a, ERR_REASON_BIND_CONFLICT);
  w.volumes.put(makePV('pv-a2', { className: 'local', node: 'a' }));
  assert.equal(run(w, podWithClaims('p', ['one', 'two'])).a, 'ok');
});

test('a reserved static volume is not offered to a second pod until unreserved', () => {
  const w = world([wffc, makePV('pv-a', { className: 'local', node: 'a' }), makePVC('one', { className: 'local' }), makePVC('two', { className: 'local' })]);
  const first = newPodInfo(podWithClaims('p1', ['one']));
  const s1 = new CycleState();
  run(w, first.pod, s1);
  assert.equal(w.plugin.reserve(first, 'a', s1).code, 'Success');
  assert.equal(run(w, podWithClaims('p2', ['two'])).a, ERR_REASON_BIND_CONFLICT);
  w.plugin.unreserve(first, 'a', s1);
  assert.equal(run(w, podWithClaims('p2', ['two'])).a, 'ok');
});

test('PreBind writes the claimRef, waits for the binder, and times out as upstream', async () => {
  const w = world([wffc, makePV('pv-a', { className: 'local', node: 'a' }), makePVC('one', { className: 'local' })]);
  const pod = newPodInfo(podWithClaims('p1', ['one']));
  const state = new CycleState();
  run(w, pod.pod, state);
  w.plugin.reserve(pod, 'a', state);
  const pending = w.plugin.preBind(pod, 'a', state);
  assert.ok(pending instanceof Promise);
  await new Promise((r) => setImmediate(r));
  const write = w.writes[0];
  assert.equal(write?.resource, 'persistentvolumes');
  const body = write?.body as KubeObject;
  assert.equal(body.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  assert.deepEqual((body.spec as { claimRef: unknown }).claimRef, { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'one', uid: 'uid-one', apiVersion: 'v1', resourceVersion: '1' });
  // The binder's work shows up in the informers: the pod may bind.
  w.volumes.put({ ...body, metadata: { ...body.metadata, resourceVersion: '2' } });
  w.claims.put(makePVC('one', { className: 'local', boundTo: 'pv-a' }));
  assert.equal((await pending).code, 'Success');

  const w2 = world([wffc, makePV('pv-a', { className: 'local', node: 'a' }), makePVC('one', { className: 'local' })]);
  const s2 = new CycleState();
  run(w2, pod.pod, s2);
  w2.plugin.reserve(pod, 'a', s2);
  const slow = w2.plugin.preBind(pod, 'a', s2);
  await new Promise((r) => setImmediate(r));
  w2.clock.advance(600_000);
  assert.deepEqual(await slow, { code: 'Error', reasons: ['binding volumes: context deadline exceeded'] });
});

test('PreBind hands a provisioned claim its node and provisioner', async () => {
  const w = world([makeClass('lp', 'WaitForFirstConsumer', 'skiff.io/local-path'), makePVC('one', { className: 'lp' })]);
  const pod = newPodInfo(podWithClaims('p1', ['one']));
  const state = new CycleState();
  run(w, pod.pod, state);
  w.plugin.reserve(pod, 'b', state);
  const pending = w.plugin.preBind(pod, 'b', state);
  await new Promise((r) => setImmediate(r));
  const body = w.writes[0]?.body as KubeObject;
  assert.equal(w.writes[0]?.resource, 'persistentvolumeclaims');
  assert.equal(body.metadata.annotations?.['volume.kubernetes.io/selected-node'], 'b');
  assert.equal(body.metadata.annotations?.['volume.kubernetes.io/storage-provisioner'], 'skiff.io/local-path');
  w.claims.put({ ...body, metadata: { ...body.metadata, resourceVersion: '2' } });
  // The provisioner gives the node back: the wait fails.
  const { 'volume.kubernetes.io/selected-node': _n, ...rest } = body.metadata.annotations ?? {};
  w.claims.put({ ...body, metadata: { ...body.metadata, annotations: rest, resourceVersion: '3' } });
  assert.deepEqual(await pending, { code: 'Error', reasons: ['binding volumes: selectedNode annotation reset for PVC "one"'] });
});
