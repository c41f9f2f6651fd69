/** syncDaemonSet: plan from the caches, create and delete pods, then write status. */
import { deepCopy } from '../../api/object.js';
import { isObject, type JsonObject, type KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import type { DaemonSetDeps } from './deps.js';
import { cleanupHistory, constructHistory } from './history.js';
import { nodeStates, planNodes, planRollingUpdate, type NodeState } from './plan.js';
import { isAvailable, isReady, minReadySecondsOf, newDaemonPod, REVISION_LABEL, targetNodeOf } from './pods.js';

function rejected(results: PromiseSettledResult<unknown>[]): unknown {
  return results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
}

async function act(d: DaemonSetDeps, key: string, ds: KubeObject, hash: string, create: string[], remove: KubeObject[]): Promise<void> {
  if (create.length + remove.length === 0) return;
  d.expectations.expect(key, create.length, remove.length);
  const pods = d.client.resource(R.pods);
  const ns = ds.metadata.namespace ?? '';
  const results = await Promise.allSettled([
    ...create.map(async (node) => {
      try {
        const pod = await pods.create(ns, newDaemonPod(ds, node, hash));
        d.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`);
      } catch (e) {
        d.expectations.creationObserved(key);
        d.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
        throw e;
      }
    }),
    ...remove.map(async (pod) => {
      try {
        await pods.delete(ns, pod.metadata.name ?? '');
        d.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`);
      } catch (e) {
        d.expectations.deletionObserved(key);
        if ((e as { code?: number }).code !== 404) throw e;
      }
    }),
  ]);
  const err = rejected(results);
  if (err) throw err;
}

/** syncDaemonSet reconciles one DaemonSet: a pod per eligible node, rolling updates, status. */
export async function syncDaemonSet(d: DaemonSetDeps, key: string): Promise<void> {
  const ds = d.sets.get(key);
  if (!ds) return d.expectations.delete(key);
  const owns = (o: KubeObject): boolean => o.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === ds.metadata.uid) === true;
  const pods = d.pods.list(ds.metadata.namespace).filter(owns);
  if (ds.metadata.deletionTimestamp) return;
  const { hash, old } = await constructHistory(d.client, ds, d.revisions.list(ds.metadata.namespace).filter(owns));
  const { states, orphans } = nodeStates(ds, d.nodes.list(), pods, targetNodeOf);
  const now = d.clock.now();
  const minReady = minReadySecondsOf(ds);
  if (d.expectations.satisfied(key)) {
    const plan = planNodes(ds, states, orphans, hash);
    planRollingUpdate(ds, states, hash, now, minReady, plan);
    await act(d, key, ds, hash, plan.create, plan.remove);
    await cleanupHistory(d.client, ds, old, pods);
  }
  await writeStatus(d, ds, states, hash, now, minReady);
}

async function writeStatus(d: DaemonSetDeps, ds: KubeObject, states: NodeState[], hash: string, now: number, minReady: number): Promise<void> {
  const desired = states.filter((s) => s.fit.shouldRun);
  const onDesired = desired.map((s) => s.live[0]).filter((p): p is KubeObject => p !== undefined);
  const status: JsonObject = deepCopy(isObject(ds.status) ? ds.status : {});
  const available = onDesired.filter((p) => isAvailable(p, minReady, now)).length;
  status.currentNumberScheduled = onDesired.length;
  status.numberMisscheduled = states.filter((s) => !s.fit.shouldRun && s.live.length > 0).length;
  status.desiredNumberScheduled = desired.length;
  const ready = onDesired.filter(isReady).length;
  status.numberReady = ready;
  status.updatedNumberScheduled = onDesired.filter((p) => p.metadata.labels?.[REVISION_LABEL] === hash).length;
  status.numberAvailable = available;
  status.numberUnavailable = desired.length - available;
  status.observedGeneration = ds.metadata.generation ?? 0;
  if (minReady > 0 && available < ready) d.queue.addAfter(`${ds.metadata.namespace ?? ''}/${ds.metadata.name ?? ''}`, minReady * 1000);
  if (JSON.stringify(status) === JSON.stringify(ds.status ?? {})) return;
  await d.client.resource(R.daemonsets).updateStatus({ ...deepCopy(ds), status });
}
