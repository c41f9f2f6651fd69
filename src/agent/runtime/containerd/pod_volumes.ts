import type { PodContext } from './pod_context.js';
import { PodTokens } from './token_manager.js';
import { PodVolumes, type MountSource } from './volumes.js';
import { VolumeError } from './volume_sources.js';
import { event, type WorkerDeps } from './worker_deps.js';

/**
 * PodVolumeManager sets up a pod's volumes before its containers are created and refreshes the
 * file-backed ones every volumeRefreshMs (ConfigMap/Secret edits and token renewal show up in
 * running pods). A failed first setup keeps the containers waiting, records FailedMount and is
 * tried again after 1 s, doubling to 10 s.
 */
export class PodVolumeManager {
  paths = new Map<string, MountSource>();
  private readonly volumes: PodVolumes;
  private ready = false;
  private lastSetup = 0;
  private lastError = '';
  /** retryMs is the wait before the next try of a failed first setup: 1 s doubling to 10 s (a claim is often bound a moment later). */
  private retryMs = 1000;
  private readonly tokens: PodTokens | undefined;

  constructor(
    private readonly deps: WorkerDeps,
    uid: string,
  ) {
    this.volumes = new PodVolumes(deps.dataDir, uid);
    this.tokens = deps.serviceAccountToken ? new PodTokens(deps.serviceAccountToken, deps.clock) : undefined;
  }

  /** ensure sets volumes up when due; false means the containers cannot be created yet. */
  async ensure(ctx: PodContext): Promise<boolean> {
    const d = this.deps;
    const now = d.clock.now();
    if (this.ready && now - this.lastSetup < d.volumeRefreshMs) return true;
    if (!this.ready && this.lastError && now - this.lastSetup < this.retryMs) return false;
    this.lastSetup = now;
    try {
      const volCtx = { pod: ctx.pod, podIP: ctx.podIP || d.nodeIP, hostIP: d.nodeIP, allocatable: d.allocatable, getConfigMap: d.getConfigMap, getSecret: d.getSecret, getPersistentVolumeClaim: d.getPersistentVolumeClaim, getPersistentVolume: d.getPersistentVolume, ...(d.getNode ? { getNode: d.getNode } : {}) };
      const tokens = this.tokens;
      this.paths = await this.volumes.setup(tokens ? { ...volCtx, token: (aud, exp) => tokens.get(ctx.pod, aud, exp) } : volCtx, now);
      this.ready = true;
      this.lastError = '';
    } catch (e) {
      if (!(e instanceof VolumeError)) throw e;
      // Once mounted, a source that disappears keeps its last content, as in Kubernetes.
      if (this.ready) d.logger.warn('cannot refresh pod volumes', { pod: ctx.pod.metadata.name, err: e.message });
      else {
        event(d, ctx.pod, 'Warning', 'FailedMount', e.message);
        if (this.lastError) this.retryMs = Math.min(this.retryMs * 2, 10_000);
      }
      this.lastError = e.message;
    }
    return this.ready;
  }

  /** teardown removes the pod's volume folders. */
  async teardown(): Promise<void> {
    this.tokens?.clear();
    this.ready = false;
    await this.volumes.teardown();
  }
}
