/**
 * The denominator of a PodDisruptionBudget (pkg/controller/disruption getExpectedPodCount): how
 * many pods should exist, and how many of them must stay healthy.
 */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { field, num } from '../../api/object.js';
import { scaledValue } from '../../api/resources/apps/int_or_percent.js';
import type { DisruptionDeps, Lister } from './deps.js';

/** ExpectedCount is what a PDB's spec asks for, given its pods. */
export interface ExpectedCount {
  expectedPods: number;
  desiredHealthy: number;
  /** unmanagedPods are selected pods without a controller (ignored for scale, reported in an event). */
  unmanagedPods: string[];
}

/** controllerRefOf returns the owner reference marked controller: true, if any. */
export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

const isApps = (ref: OwnerReference): boolean => ref.apiVersion.startsWith('apps/');

/** owned returns the cached object a reference points at, if it exists with the same uid. */
function owned(lister: Lister, namespace: string, ref: OwnerReference): KubeObject | undefined {
  const obj = lister.get(`${namespace}/${ref.name}`);
  return obj && obj.metadata.uid === ref.uid ? obj : undefined;
}

const replicasOf = (obj: KubeObject): number => num(obj, 'spec', 'replicas') ?? 1;

/**
 * controllerScale finds the scale owner of a pod as upstream's finders do: a ReplicaSet's
 * Deployment (so old and new ReplicaSets of a rollout count once), else the ReplicaSet, else a
 * StatefulSet. Returns undefined when the controller is of another kind or is not cached.
 */
export function controllerScale(d: DisruptionDeps, namespace: string, ref: OwnerReference): { uid: string; scale: number } | undefined {
  if (isApps(ref) && ref.kind === 'ReplicaSet') {
    const rs = owned(d.rsLister, namespace, ref);
    if (!rs) return undefined;
    const rsRef = controllerRefOf(rs);
    const deploy = rsRef && isApps(rsRef) && rsRef.kind === 'Deployment' ? owned(d.deploymentLister, namespace, rsRef) : undefined;
    // A ReplicaSet whose Deployment is gone falls back to its own scale (upstream's scale-subresource finder).
    const owner = deploy ?? rs;
    return { uid: owner.metadata.uid ?? '', scale: replicasOf(owner) };
  }
  if (isApps(ref) && ref.kind === 'StatefulSet') {
    const sts = owned(d.statefulSetLister, namespace, ref);
    return sts ? { uid: sts.metadata.uid ?? '', scale: replicasOf(sts) } : undefined;
  }
  return undefined;
}

/** expectedScale sums the scale of every distinct controller of the pods; throws when a controller cannot be resolved. */
export function expectedScale(d: DisruptionDeps, pods: KubeObject[]): { count: number; unmanagedPods: string[] } {
  const scales = new Map<string, number>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const ref = controllerRefOf(pod);
    if (!ref) {
      unmanagedPods.push(pod.metadata.name ?? '');
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = controllerScale(d, pod.metadata.namespace ?? '', ref);
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name ?? ''}"`);
    // Mark the pod's own controller as seen (0) before recording the scale owner, which may be its Deployment.
    scales.set(ref.uid, 0);
    scales.set(found.uid, found.scale);
  }
  let count = 0;
  for (const v of scales.values()) count += v;
  return { count, unmanagedPods };
}

/**
 * expectedPodCount is getExpectedPodCount: maxUnavailable (int or percent, rounded up) subtracts
 * from the controllers' scale; an integer minAvailable counts the selected pods; a percent
 * minAvailable scales the controllers' total, rounded up. Throws on a malformed value.
 */
export function expectedPodCount(d: DisruptionDeps, pdb: KubeObject, pods: KubeObject[]): ExpectedCount {
  const maxUnavailable = field(pdb, 'spec', 'maxUnavailable');
  const minAvailable = field(pdb, 'spec', 'minAvailable');
  const scaled = (v: unknown, total: number): number => {
    const n = scaledValue(v, total, true);
    if (n === undefined) throw new Error(`invalid value for IntOrString: ${JSON.stringify(v)}`);
    return n;
  };
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    const { count, unmanagedPods } = expectedScale(d, pods);
    return { expectedPods: count, desiredHealthy: Math.max(0, count - scaled(maxUnavailable, count)), unmanagedPods };
  }
  if (typeof minAvailable === 'number') return { expectedPods: pods.length, desiredHealthy: minAvailable, unmanagedPods: [] };
  if (minAvailable !== undefined && minAvailable !== null) {
    const { count, unmanagedPods } = expectedScale(d, pods);
    return { expectedPods: count, desiredHealthy: scaled(minAvailable, count), unmanagedPods };
  }
  return { expectedPods: 0, desiredHealthy: 0, unmanagedPods: [] };
}
