import type { KubeObject } from '../../../api/types.js';

interface Assumed {
  podKey: string;
  claimKey: string;
  /** resourceVersion of the volume when assumed: a newer version in the informer supersedes it. */
  resourceVersion: string;
}

/**
 * VolumeAssumeCache remembers which Available volumes the scheduler has promised to which pod
 * between Reserve and the moment the informer shows the volume's claimRef, so two pods are never
 * both placed on one static volume (upstream's PV assume cache, reduced to what it must prevent).
 */
export class VolumeAssumeCache {
  private readonly byVolume = new Map<string, Assumed>();

  /** assume promises the volume (as the informer shows it now) to a pod's claim. */
  assume(pv: KubeObject, podKey: string, claimKey: string): void {
    this.byVolume.set(pv.metadata.name ?? '', { podKey, claimKey, resourceVersion: pv.metadata.resourceVersion ?? '' });
  }

  /** takenByOther tells whether another pod holds the volume, as the informer's copy still predates the promise. */
  takenByOther(pv: KubeObject, podKey: string): boolean {
    const a = this.byVolume.get(pv.metadata.name ?? '');
    if (!a) return false;
    if (a.resourceVersion !== (pv.metadata.resourceVersion ?? '')) {
      // The informer has seen a write since: the volume's own claimRef decides from now on.
      this.byVolume.delete(pv.metadata.name ?? '');
      return false;
    }
    return a.podKey !== podKey;
  }

  /** observe drops the promise of a volume the informer shows changed or gone. */
  observe(pv: KubeObject, deleted = false): void {
    const a = this.byVolume.get(pv.metadata.name ?? '');
    if (a && (deleted || a.resourceVersion !== (pv.metadata.resourceVersion ?? ''))) this.byVolume.delete(pv.metadata.name ?? '');
  }

  /** forgetPod drops every promise made to the pod (Unreserve). */
  forgetPod(podKey: string): void {
    for (const [name, a] of this.byVolume) if (a.podKey === podKey) this.byVolume.delete(name);
  }

  /** size is the number of promises held (for tests). */
  get size(): number {
    return this.byVolume.size;
  }
}
