/** Pod helpers of the Job controller: the pods it makes and how it reads them. */
import { arr, deepCopy, ensureObj, objAt, str } from '../../api/object.js';
import { isObject, type KubeObject } from '../../api/types.js';

/** TRACKING_FINALIZER keeps a finished pod around until the Job has counted it. */
export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** COMPLETION_INDEX is the annotation and label holding an Indexed Job pod's index. */
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

/** controllerUidOf returns the uid of the object's controlling owner, if any. */
export function controllerUidOf(obj: KubeObject): string | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true)?.uid;
}

/** isPodReady tells whether the pod's Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return arr(pod, 'status', 'conditions').some((c) => str(c, 'type') === 'Ready' && str(c, 'status') === 'True');
}

/** podPhase returns status.phase ("" when unset). */
export function podPhase(pod: KubeObject): string {
  return str(pod, 'status', 'phase') ?? '';
}

/** isTerminal tells whether the pod Succeeded or Failed. */
export function isTerminal(pod: KubeObject): boolean {
  const p = podPhase(pod);
  return p === 'Succeeded' || p === 'Failed';
}

/** hasTrackingFinalizer tells whether the pod still waits to be counted. */
export function hasTrackingFinalizer(pod: KubeObject): boolean {
  return (pod.metadata.finalizers ?? []).includes(TRACKING_FINALIZER);
}

/** podIndex returns an Indexed Job pod's completion index, or undefined. */
export function podIndex(pod: KubeObject): number | undefined {
  const v = pod.metadata.annotations?.[COMPLETION_INDEX] ?? pod.metadata.labels?.[COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/**
 * newJobPod builds a pod from the Job's template: its labels and annotations, the tracking
 * finalizer and a controller owner reference; for Indexed Jobs also the completion index
 * (annotation, label, JOB_COMPLETION_INDEX env, hostname `<job>-<index>`).
 */
export function newJobPod(job: KubeObject, index: number | undefined): KubeObject {
  const tpl = deepCopy(objAt(job, 'spec', 'template') ?? {});
  const meta = objAt(tpl, 'metadata') ?? {};
  const name = job.metadata.name ?? '';
  const labels = { ...((meta.labels as Record<string, string> | undefined) ?? {}) };
  const annotations = { ...((meta.annotations as Record<string, string> | undefined) ?? {}) };
  const spec = ensureObj(tpl, 'spec');
  let generateName = `${name}-`;
  if (index !== undefined) {
    annotations[COMPLETION_INDEX] = String(index);
    labels[COMPLETION_INDEX] = String(index);
    generateName = `${name}-${index}-`;
    if (spec.hostname === undefined) spec.hostname = `${name}-${index}`;
    for (const c of [...arr(spec, 'initContainers'), ...arr(spec, 'containers')]) {
      if (!isObject(c)) continue;
      const env = Array.isArray(c.env) ? c.env : (c.env = []);
      env.push({ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.labels['${COMPLETION_INDEX}']` } } });
    }
  }
  const metadata: KubeObject['metadata'] = {
    generateName,
    namespace: job.metadata.namespace ?? 'default',
    labels,
    finalizers: [TRACKING_FINALIZER],
    ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid: job.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
  };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}
