/** Pods of a DaemonSet: the pod for one node, which node a pod targets, readiness. */
import { arr, deepCopy, ensureObj, num, objAt, str } from '../../api/object.js';
import { isObject, type JsonObject, type KubeObject } from '../../api/types.js';
import { daemonTolerations } from './eligibility.js';

/** REVISION_LABEL carries the hash of the template a pod was made from. */
export const REVISION_LABEL = 'controller-revision-hash';

/** targetNodeOf returns spec.nodeName, or the node named by the `matchFields metadata.name In [node]` affinity. */
export function targetNodeOf(pod: KubeObject): string | undefined {
  const bound = str(pod, 'spec', 'nodeName');
  if (bound) return bound;
  const terms = arr(pod, 'spec', 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms');
  for (const term of terms) {
    for (const f of arr(term, 'matchFields')) {
      const values = arr(f, 'values');
      if (str(f, 'key') === 'metadata.name' && str(f, 'operator') === 'In' && values.length === 1 && typeof values[0] === 'string') return values[0];
    }
  }
  return undefined;
}

/** isAvailable: Ready for at least minReadySeconds at `now`. */
export function isAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  const ready = arr(pod, 'status', 'conditions').find((c) => str(c, 'type') === 'Ready');
  if (str(ready, 'status') !== 'True') return false;
  const since = Date.parse(str(ready, 'lastTransitionTime') ?? '');
  return minReadySeconds <= 0 || (!Number.isNaN(since) && since + minReadySeconds * 1000 <= now);
}

/** isReady: the pod's Ready condition is True. */
export function isReady(pod: KubeObject): boolean {
  return isAvailable(pod, 0, 0);
}

function mergeTolerations(existing: unknown[], extra: JsonObject[]): unknown[] {
  const same = (a: unknown, b: JsonObject): boolean => str(a, 'key') === b.key && str(a, 'effect') === b.effect && (str(a, 'operator') ?? 'Equal') === b.operator;
  return [...existing, ...extra.filter((t) => !existing.some((e) => same(e, t)))];
}

/**
 * newDaemonPod builds the DaemonSet's pod for one node: template labels plus the revision label,
 * the required node affinity replaced by `matchFields metadata.name In [node]` (the scheduler then
 * binds it), the daemon tolerations, and a controller owner reference.
 */
export function newDaemonPod(ds: KubeObject, node: string, hash: string): KubeObject {
  const tpl = deepCopy(objAt(ds, 'spec', 'template') ?? {});
  const meta = objAt(tpl, 'metadata') ?? {};
  const spec = ensureObj(tpl, 'spec');
  const nodeAffinity = ensureObj(ensureObj(spec, 'affinity'), 'nodeAffinity');
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] };
  spec.tolerations = mergeTolerations(arr(spec, 'tolerations'), daemonTolerations(spec.hostNetwork === true));
  const labels = { ...((meta.labels as Record<string, string> | undefined) ?? {}), [REVISION_LABEL]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) };
  const metadata: KubeObject['metadata'] = {
    generateName: `${ds.metadata.name ?? ''}-`,
    namespace: ds.metadata.namespace ?? 'default',
    labels,
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name ?? '', uid: ds.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
  };
  if (isObject(meta.annotations)) metadata.annotations = meta.annotations as Record<string, string>;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

/** minReadySecondsOf returns spec.minReadySeconds (0 when unset). */
export function minReadySecondsOf(ds: KubeObject): number {
  return num(ds, 'spec', 'minReadySeconds') ?? 0;
}
