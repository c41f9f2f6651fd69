/** Pods of a StatefulSet: stable names, identity labels, claims, readiness. */
import { arr, deepCopy, ensureObj, num, objAt, str } from '../../api/object.js';
import { isObject, type JsonObject, type KubeObject } from '../../api/types.js';

/** REVISION_LABEL names the ControllerRevision a pod was made from. */
export const REVISION_LABEL = 'controller-revision-hash';
/** POD_NAME_LABEL and POD_INDEX_LABEL give each pod its stable identity as a label. */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/** ordinalOf parses `<set>-<n>` into n, or undefined when the name is not the set's. */
export function ordinalOf(set: KubeObject, pod: KubeObject): number | undefined {
  const prefix = `${set.metadata.name ?? ''}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

/** isRunningAndReady: phase Running with a True Ready condition. */
export function isRunningAndReady(pod: KubeObject): boolean {
  return str(pod, 'status', 'phase') === 'Running' && arr(pod, 'status', 'conditions').some((c) => str(c, 'type') === 'Ready' && str(c, 'status') === 'True');
}

/** isAvailable: running and ready for at least minReadySeconds at `now`. */
export function isAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  if (!isRunningAndReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const ready = arr(pod, 'status', 'conditions').find((c) => str(c, 'type') === 'Ready');
  const since = Date.parse(str(ready, 'lastTransitionTime') ?? '');
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= now;
}

/** isTerminal: the pod Succeeded or Failed and will not run again. */
export function isTerminal(pod: KubeObject): boolean {
  const phase = str(pod, 'status', 'phase');
  return phase === 'Failed' || phase === 'Succeeded';
}

/** claimName is the PVC of claim template `tpl` for one ordinal: `<tpl>-<set>-<ordinal>`. */
export function claimName(tpl: string, set: KubeObject, ordinal: number): string {
  return `${tpl}-${set.metadata.name ?? ''}-${ordinal}`;
}

/** claimTemplates returns spec.volumeClaimTemplates as objects. */
export function claimTemplates(set: KubeObject): JsonObject[] {
  return arr(set, 'spec', 'volumeClaimTemplates').filter(isObject);
}

/**
 * newStatefulPod builds pod `<set>-<ordinal>` from a template: identity labels, the revision label,
 * hostname and subdomain (spec.serviceName), claim volumes and a controller owner reference.
 */
export function newStatefulPod(set: KubeObject, template: JsonObject, revision: string, ordinal: number): KubeObject {
  const tpl = deepCopy(template);
  const meta = objAt(tpl, 'metadata') ?? {};
  const name = `${set.metadata.name ?? ''}-${ordinal}`;
  const labels = { ...((meta.labels as Record<string, string> | undefined) ?? {}), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revision };
  const spec = ensureObj(tpl, 'spec');
  spec.hostname = name;
  const service = str(set, 'spec', 'serviceName');
  if (service) spec.subdomain = service;
  const claims = claimTemplates(set).map((c) => str(c, 'metadata', 'name') ?? '');
  const volumes = arr(spec, 'volumes').filter((v) => isObject(v) && !claims.includes(String(v.name)));
  for (const c of claims) volumes.push({ name: c, persistentVolumeClaim: { claimName: claimName(c, set, ordinal) } });
  if (volumes.length) spec.volumes = volumes;
  const metadata: KubeObject['metadata'] = {
    name,
    namespace: set.metadata.namespace ?? 'default',
    labels,
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name ?? '', uid: set.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
  };
  if (meta.annotations) metadata.annotations = meta.annotations as Record<string, string>;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

/** minReadySecondsOf returns spec.minReadySeconds (0 when unset). */
export function minReadySecondsOf(set: KubeObject): number {
  return num(set, 'spec', 'minReadySeconds') ?? 0;
}
