/** Creating and deleting pods so a ReplicaSet has spec.replicas of them (upstream's manageReplicas). */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { deepCopy, field, num } from '../../api/object.js';
import { isObject } from '../../api/types.js';
import { isStatusError } from '../../api/errors.js';
import type { ReplicaSetDeps } from './deps.js';
import { podKey } from './pods.js';
import { podsToDelete } from './pod_ranking.js';

/** BURST_REPLICAS caps the pods created or deleted in one sync (upstream's BurstReplicas). */
export const BURST_REPLICAS = 500;

/** podFromTemplate builds a pod from a workload's template (controller.GetPodFromTemplate). */
export function podFromTemplate(template: unknown, owner: KubeObject, ref: OwnerReference): KubeObject {
  const meta = field(template, 'metadata');
  const copy = <T>(v: unknown): T | undefined => (isObject(v) || Array.isArray(v) ? (deepCopy(v) as T) : undefined);
  const labels = copy<Record<string, string>>(field(meta, 'labels'));
  const annotations = copy<Record<string, string>>(field(meta, 'annotations'));
  const finalizers = copy<string[]>(field(meta, 'finalizers'));
  const name = owner.metadata.name ?? '';
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    // A prefix that would make an invalid name falls back to the bare owner name, as upstream does.
    metadata: { generateName: name.length + 1 <= 253 ? `${name}-` : name, namespace: owner.metadata.namespace ?? '', ownerReferences: [ref] },
    spec: deepCopy(field(template, 'spec') ?? {}),
  };
  if (labels) pod.metadata.labels = labels;
  if (annotations) pod.metadata.annotations = annotations;
  if (finalizers) pod.metadata.finalizers = finalizers;
  return pod;
}

/**
 * slowStartBatch calls fn `count` times in batches of 1, 2, 4, … run in parallel, stopping after
 * the first batch with an error. Returns the number of successful calls and the first error.
 */
export async function slowStartBatch(count: number, initial: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += size - failed.length;
    if (failed.length) return { successes, error: failed[0]?.reason };
    remaining -= size;
  }
  return { successes };
}

const errMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function createPods(d: ReplicaSetDeps, rs: KubeObject, key: string, diff: number, ref: OwnerReference): Promise<void> {
  d.expectations.expectCreations(key, diff);
  const ns = rs.metadata.namespace ?? '';
  const { successes, error } = await slowStartBatch(diff, 1, async () => {
    const pod = podFromTemplate(field(rs, 'spec', 'template'), rs, ref);
    if (!pod.metadata.labels || Object.keys(pod.metadata.labels).length === 0) throw new Error('unable to create pods, no labels');
    try {
      const created = await d.pods.create(ns, pod);
      d.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
    } catch (e) {
      // A terminating namespace refuses every create: nothing to report or retry.
      if (isStatusError(e) && e.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) return;
      d.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${errMessage(e)}`);
      throw e;
    }
  });
  // Creations that failed or never ran will not be observed: stop expecting them.
  for (let i = successes; i < diff; i++) d.expectations.creationObserved(key);
  if (error !== undefined) throw error;
}

async function deletePods(d: ReplicaSetDeps, rs: KubeObject, key: string, victims: KubeObject[]): Promise<void> {
  d.expectations.expectDeletions(key, victims.map(podKey));
  const results = await Promise.allSettled(
    victims.map(async (pod) => {
      try {
        await d.pods.delete(pod.metadata.namespace ?? '', pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid ?? '' } });
        d.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`);
      } catch (e) {
        d.expectations.deletionObserved(key, podKey(pod));
        if (isStatusError(e) && e.code === 404) return;
        d.recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${errMessage(e)}`);
        throw e;
      }
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * manageReplicas creates or deletes pods so `active` (the RS's active, claimed pods) reaches
 * spec.replicas, at most BURST_REPLICAS per call, recording expectations first.
 */
export async function manageReplicas(d: ReplicaSetDeps, rs: KubeObject, key: string, active: KubeObject[], related: () => KubeObject[], ref: OwnerReference): Promise<void> {
  const want = num(rs, 'spec', 'replicas') ?? 1;
  const diff = active.length - want;
  if (diff < 0) return createPods(d, rs, key, Math.min(-diff, d.burstReplicas), ref);
  if (diff > 0) return deletePods(d, rs, key, podsToDelete(active, related(), Math.min(diff, d.burstReplicas), d.clock.now()));
}
