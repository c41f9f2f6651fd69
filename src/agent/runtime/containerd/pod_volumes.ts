import type { PodContext } from './pod_context.js';
import { PodVolumes } from './volumes.js';
import { VolumeError } from './volume_sources.js';
import { event, type WorkerDeps } from './worker_deps.js';

/** Tokens are renewed once 80% of their lifetime has passed, as the kubelet's token manager does. */
const TOKEN_RENEW_FRACTION = 0.8;

/**
 * PodVolumeManager sets up a pod's volumes before its containers are created and refreshes the
 * file-backed ones every volumeRefreshMs (ConfigMap/Secret edits and token renewal show up in
 * running pods). A failed first setup keeps the containers waiting and records FailedMount.
 */
export class PodVolumeManager {
  paths = new Map<string, string>();
  private readonly volumes: PodVolumes;
  private ready = false;
  private lastSetup = 0;
  private lastError = '';
  private readonly tokens = new Map<string, { token: string; renewAt: number }>();

  constructor(
    private readonly deps: WorkerDeps,
    uid: string,
  ) {
    this.volumes = new PodVolumes(deps.dataDir, uid);
  }

  /** ensure sets volumes up when due; false means the containers cannot be created yet. */
  async ensure(ctx: PodContext): Promise<boolean> {
    const d = this.deps;
    const now = d.clock.now();
    if (this.ready && now - this.lastSetup < d.volumeRefreshMs) return true;
    if (!this.ready && this.lastError && now - this.lastSetup < 10_000) return false;
    this.lastSetup = now;
    try {
      const volCtx = { pod: ctx.pod, podIP: ctx.podIP || d.nodeIP, hostIP: d.nodeIP, allocatable: d.allocatable, getConfigMap: d.getConfigMap, getSecret: d.getSecret };
      this.paths = await this.volumes.setup(d.serviceAccountToken ? { ...volCtx, token: (aud, exp) => this.token(ctx, aud, exp) } : volCtx, now);
      this.ready = true;
      this.lastError = '';
    } catch (e) {
      if (!(e instanceof VolumeError)) throw e;
      // Once mounted, a source that disappears keeps its last content, as in Kubernetes.
      if (this.ready) d.logger.warn('cannot refresh pod volumes', { pod: ctx.pod.metadata.name, err: e.message });
      else event(d, ctx.pod, 'Warning', 'FailedMount', e.message);
      this.lastError = e.message;
    }
    return this.ready;
  }

  private async token(ctx: PodContext, audience: string, expirationSeconds: number): Promise<string> {
    const key = `${audience}|${expirationSeconds}`;
    const now = this.deps.clock.now();
    const cached = this.tokens.get(key);
    if (cached && now < cached.renewAt) return cached.token;
    const source = this.deps.serviceAccountToken;
    if (!source) return '';
    const sa = (ctx.pod['spec'] as { serviceAccountName?: unknown } | undefined)?.serviceAccountName;
    const token = await source(ctx.pod.metadata.namespace ?? '', typeof sa === 'string' ? sa : 'default', audience, expirationSeconds);
    this.tokens.set(key, { token, renewAt: now + expirationSeconds * 1000 * TOKEN_RENEW_FRACTION });
    return token;
  }

  /** teardown removes the pod's volume folders. */
  async teardown(): Promise<void> {
    this.tokens.clear();
    this.ready = false;
    await this.volumes.teardown();
  }
}
