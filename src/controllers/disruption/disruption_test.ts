import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { arr, field, num, objAt } from '../../api/object.js';
import { isObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { createPod, eventsFor, startHarness, workload, type Harness, type PodSpec } from './harness_test_helper.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.stop();
});

const create = (gvr: typeof R.pods, obj: KubeObject): Promise<KubeObject> => h.client.resource(gvr).create('default', obj);
const gvrOf = { ReplicaSet: R.replicasets, Deployment: R.deployments, StatefulSet: R.statefulsets } as const;

/** ownedRS creates a ReplicaSet controlled by a Deployment (as the deployment controller would). */
async function ownedRS(name: string, app: string, replicas: number, deploy: KubeObject): Promise<KubeObject> {
  const rs = workload('ReplicaSet', name, replicas);
  rs.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deploy.metadata.name ?? '', uid: deploy.metadata.uid ?? '', controller: true }];
  const spec = rs.spec as { selector: unknown; template: { metadata: unknown } };
  spec.selector = { matchLabels: { app } };
  spec.template.metadata = { labels: { app } };
  return create(R.replicasets, rs);
}

function pdb(name: string, app: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'default' }, spec: { selector: { matchLabels: { app } }, ...spec } };
}

/** summary reads the numbers and the DisruptionAllowed condition of a PDB status. */
function summary(p: KubeObject): string {
  const c = arr(p, 'status', 'conditions').find((x) => isObject(x) && x.type === 'DisruptionAllowed');
  const s = (k: string): string => String(num(p, 'status', k));
  const cond = isObject(c) ? `${String(c.status)}/${String(c.reason)}` : 'none';
  return `expected=${s('expectedPods')} desired=${s('desiredHealthy')} current=${s('currentHealthy')} allowed=${s('disruptionsAllowed')} ${cond}`;
}

async function expectSummary(name: string, want: string, stepMs = 0): Promise<KubeObject> {
  let last = '';
  try {
    await h.waitFor(async () => (last = summary(await h.pdb(name))) === want, `${name}: ${want}`, stepMs);
  } catch {
    assert.equal(last, want, name);
  }
  return h.pdb(name);
}

interface Case {
  name: string;
  /** setup creates controllers and pods for app=<name> and returns the PDB spec. */
  setup(app: string): Promise<Record<string, unknown>>;
  want: string;
}

const pods = async (app: string, owner: KubeObject | undefined, specs: Partial<PodSpec>[]): Promise<void> => {
  let i = 0;
  for (const s of specs) await createPod(h.client, { name: `${app}-${i++}`, app, ...(owner ? { owner } : {}), ...s }, h.clock.now());
};
const controller = (kind: keyof typeof gvrOf, app: string, replicas: number): Promise<KubeObject> => create(gvrOf[kind], workload(kind, app, replicas));
const ready = (n: number): Partial<PodSpec>[] => Array.from({ length: n }, () => ({}));

const cases: Case[] = [
  { name: 'int-min', want: 'expected=3 desired=2 current=3 allowed=1 True/SufficientPods',
    setup: async (app) => (await pods(app, await controller('ReplicaSet', app, 5), ready(3)), { minAvailable: 2 }) },
  { name: 'pct-min', want: 'expected=5 desired=3 current=4 allowed=1 True/SufficientPods',
    setup: async (app) => (await pods(app, await controller('ReplicaSet', app, 5), ready(4)), { minAvailable: '50%' }) },
  { name: 'int-max-deploy', want: 'expected=4 desired=3 current=4 allowed=1 True/SufficientPods',
    setup: async (app) => (await pods(app, await ownedRS(`${app}-rs`, app, 4, await controller('Deployment', app, 4)), ready(4)), { maxUnavailable: 1 }) },
  { name: 'pct-max-sts', want: 'expected=3 desired=1 current=3 allowed=2 True/SufficientPods',
    setup: async (app) => (await pods(app, await controller('StatefulSet', app, 3), ready(3)), { maxUnavailable: '34%' }) },
  { name: 'not-ready', want: 'expected=3 desired=2 current=1 allowed=0 False/InsufficientPods',
    setup: async (app) => (await pods(app, await controller('ReplicaSet', app, 3), [{}, { ready: false }, { phase: 'Pending', ready: false }]), { minAvailable: 2 }) },
  { name: 'terminating', want: 'expected=3 desired=2 current=2 allowed=0 False/InsufficientPods',
    setup: async (app) => (await pods(app, await controller('ReplicaSet', app, 3), [{}, {}, { terminating: true }]), { minAvailable: 2 }) },
  { name: 'rollout', want: 'expected=3 desired=2 current=4 allowed=2 True/SufficientPods',
    setup: async (app) => {
      const d = await controller('Deployment', app, 3);
      await pods(`${app}-old`, await ownedRS(`${app}-old`, app, 2, d), ready(2));
      await pods(`${app}-new`, await ownedRS(`${app}-new`, app, 2, d), ready(2));
      return { maxUnavailable: 1, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: [`${app}-old`, `${app}-new`] }] } };
    } },
  { name: 'no-pods', want: 'expected=0 desired=1 current=0 allowed=0 False/InsufficientPods', setup: async () => ({ minAvailable: 1 }) },
  { name: 'unmanaged-pct', want: 'expected=0 desired=0 current=2 allowed=0 False/InsufficientPods',
    setup: async (app) => (await pods(app, undefined, ready(2)), { minAvailable: '50%' }) },
];

test('PDB status: minAvailable int/percent, maxUnavailable int/percent, unready and terminating pods, rollouts', async () => {
  for (const c of cases) {
    await h.client.resource(R.poddisruptionbudgets).create('default', pdb(c.name, c.name, await c.setup(c.name)));
  }
  for (const c of cases) {
    const p = await expectSummary(c.name, c.want);
    assert.equal(num(p, 'status', 'observedGeneration'), 1, c.name);
    assert.equal(objAt(p, 'status', 'disruptedPods'), undefined, c.name);
  }
  assert.ok((await eventsFor(h.client, 'no-pods')).includes('NoPods: No matching pods found'));
});

test('a pod with an unknown controller fails safe: no disruptions, SyncFailed', async () => {
  const ds = await controller('StatefulSet', 'ds-owner', 1);
  await pods('unknown', { ...ds, kind: 'DaemonSet' }, ready(2));
  await create(R.poddisruptionbudgets, pdb('unknown', 'unknown', { minAvailable: '50%' }));
  await h.waitFor(async () => arr(await h.pdb('unknown'), 'status', 'conditions').length > 0, 'a condition');
  const p = await h.pdb('unknown');
  assert.equal(num(p, 'status', 'disruptionsAllowed'), 0);
  const cond = arr(p, 'status', 'conditions')[0];
  assert.ok(isObject(cond));
  assert.deepEqual([cond.type, cond.status, cond.reason, cond.message], ['DisruptionAllowed', 'False', 'SyncFailed', 'found no controllers for pod "unknown-0"']);
  assert.ok((await eventsFor(h.client, 'unknown')).some((e) => e.startsWith('CalculateExpectedPodCountFailed: Failed to calculate the number of expected pods: found no controllers')));
});

test('pod changes re-sync; status is written only when it changes; spec edits bump observedGeneration', async () => {
  const podsClient = h.client.resource(R.pods);
  const before = await expectSummary('int-min', 'expected=3 desired=2 current=3 allowed=1 True/SufficientPods');
  await podsClient.patch('default', 'int-min-0', 'merge', { metadata: { annotations: { touched: 'yes' } } });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal((await h.pdb('int-min')).metadata.resourceVersion, before.metadata.resourceVersion, 'no-op sync writes nothing');
  const pod = await podsClient.get('default', 'int-min-1');
  pod.status = { ...(pod.status as object), conditions: [{ type: 'Ready', status: 'False' }] };
  await podsClient.updateStatus(pod);
  const after = await expectSummary('int-min', 'expected=3 desired=2 current=2 allowed=0 False/InsufficientPods');
  const was = arr(before, 'status', 'conditions')[0];
  const now = arr(after, 'status', 'conditions')[0];
  assert.ok(isObject(was) && isObject(now) && typeof now.lastTransitionTime === 'string');
  await h.client.resource(R.poddisruptionbudgets).patch('default', 'int-min', 'merge', { spec: { minAvailable: 1 } });
  const edited = await expectSummary('int-min', 'expected=3 desired=1 current=2 allowed=1 True/SufficientPods');
  assert.equal(edited.metadata.generation, 2);
  assert.equal(num(edited, 'status', 'observedGeneration'), 2);
  assert.equal(field(arr(edited, 'status', 'conditions')[0], 'observedGeneration'), 2);
});

test('disruptedPods: an evicted pod stops counting until it is deleted or 2 minutes pass', async () => {
  const p = await expectSummary('pct-max-sts', 'expected=3 desired=1 current=3 allowed=2 True/SufficientPods');
  const stamp = new Date(h.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await h.client.resource(R.poddisruptionbudgets).updateStatus({ ...p, status: { ...(p.status as object), disruptedPods: { 'pct-max-sts-0': stamp, 'gone-pod': stamp } } });
  const kept = await expectSummary('pct-max-sts', 'expected=3 desired=1 current=2 allowed=1 True/SufficientPods');
  assert.deepEqual(objAt(kept, 'status', 'disruptedPods'), { 'pct-max-sts-0': stamp }, 'entries of missing pods are dropped');
  const expired = await expectSummary('pct-max-sts', 'expected=3 desired=1 current=3 allowed=2 True/SufficientPods', 10_000);
  assert.equal(objAt(expired, 'status', 'disruptedPods'), undefined);
});

test('the eviction subresource honours the computed budget', async () => {
  await expectSummary('int-max-deploy', 'expected=4 desired=3 current=4 allowed=1 True/SufficientPods');
  const evict = (name: string): Promise<unknown> => h.client.resource(R.pods).createSubresource('default', name, 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } });
  await evict('int-max-deploy-0');
  await expectSummary('int-max-deploy', 'expected=4 desired=3 current=3 allowed=0 False/InsufficientPods');
  await assert.rejects(evict('int-max-deploy-1'), (e: unknown) => (e as { code?: number }).code === 429);
});
