import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../../../api/types.js';
import { arr, num, str } from '../../../api/object.js';
import type { PodSandboxConfig } from '../../cri/types.js';
import type { RuntimePodStatus } from '../runtime.js';
import { goDuration } from './backoff.js';
import { etcHostsContent } from './container_config.js';
import { killContainer } from './container_kill.js';
import { createAndStart } from './container_ops.js';
import { newRecord, nsToMs, renderContainerStatus, type ContainerRecord } from './container_record.js';
import { podDir, podFullName, podRefOf } from './names.js';
import type { PodContext } from './pod_context.js';
import { removeSandboxes, runSandbox, type SandboxInfo } from './pod_sandbox.js';
import { PodVolumeManager } from './pod_volumes.js';
import type { MountSource } from './volumes.js';
import { event, type WorkerDeps } from './worker_deps.js';

const specsOf = (pod: KubeObject, kind: 'initContainers' | 'containers'): unknown[] => arr(pod, 'spec', kind);

/**
 * PodWorker runs one pod the way the kubelet's pod worker does: a loop of idempotent passes (every
 * pollIntervalMs, earlier when something asks) that keeps the sandbox up, runs init containers in
 * order, then the containers, restarting them per restartPolicy with CrashLoopBackOff. Passes and
 * kills of one pod never overlap (serial). stop() tears the pod down.
 */
export class PodWorker implements PodContext {
  pod: KubeObject;
  sandboxId: string | undefined;
  sandboxConfig: PodSandboxConfig | undefined;
  sandboxAttempt = 0;
  podIP = '';
  etcHosts: string | undefined;
  stopping = false;
  readonly records = new Map<string, ContainerRecord>();
  private readonly volumes: PodVolumeManager;
  private chain: Promise<unknown> = Promise.resolve();
  private pending = false;
  private cancelTimer: (() => void) | undefined;
  private wakeTarget: number | undefined;
  private lastReported = '';

  constructor(
    readonly deps: WorkerDeps,
    pod: KubeObject,
  ) {
    this.pod = pod;
    this.volumes = new PodVolumeManager(deps, pod.metadata.uid ?? '');
    for (const c of specsOf(pod, 'initContainers')) this.records.set(str(c, 'name') ?? '', newRecord(str(c, 'name') ?? '', true));
    for (const c of specsOf(pod, 'containers')) this.records.set(str(c, 'name') ?? '', newRecord(str(c, 'name') ?? '', false));
  }

  get volumePaths(): Map<string, MountSource> {
    return this.volumes.paths;
  }

  /** adoptSandbox takes over an existing sandbox (restorePod). */
  adoptSandbox(info: SandboxInfo): Promise<void> {
    this.sandboxId = info.id;
    this.sandboxConfig = info.config;
    this.sandboxAttempt = info.attempt;
    this.podIP = info.ip;
    return this.writeEtcHosts();
  }

  serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** idle resolves once every queued pass or kill has finished. */
  async idle(): Promise<void> {
    await this.chain;
  }

  kick(): void {
    if (this.stopping || this.pending) return;
    this.pending = true;
    void this.serial(async () => {
      this.pending = false;
      this.wakeTarget = undefined;
      try {
        await this.pass();
      } catch (e) {
        this.deps.logger.warn('pod sync pass failed', { pod: podFullName(this.pod), err: (e as Error).message });
      }
      this.changed();
      this.schedule();
    });
  }

  wakeAt(ms: number): void {
    if (this.wakeTarget === undefined || ms < this.wakeTarget) this.wakeTarget = ms;
  }

  changed(): void {
    const s = JSON.stringify(this.status());
    if (s === this.lastReported) return;
    this.lastReported = s;
    this.deps.notify(podRefOf(this.pod));
  }

  /** report returns the status and remembers it as seen by the agent (no change notification for it). */
  report(): RuntimePodStatus {
    const s = this.status();
    this.lastReported = JSON.stringify(s);
    return s;
  }

  private schedule(): void {
    this.cancelTimer?.();
    if (this.stopping) return;
    const now = this.deps.clock.now();
    const at = Math.min(this.wakeTarget ?? Infinity, now + this.deps.pollIntervalMs);
    this.cancelTimer = this.deps.clock.setTimeout(() => this.kick(), Math.max(0, at - now));
  }

  /** ensureSandbox creates the pod's sandbox when it has none; it throws when the runtime cannot. */
  async ensureSandbox(): Promise<void> {
    if (this.sandboxId || this.stopping) return;
    try {
      const info = await runSandbox(this.deps, this.pod, this.sandboxAttempt);
      this.sandboxId = info.id;
      this.sandboxConfig = info.config;
      this.sandboxAttempt = info.attempt;
      this.podIP = info.ip;
    } catch (e) {
      event(this.deps, this.pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(e as Error).message}`);
      throw e;
    }
    await this.writeEtcHosts();
  }

  private async writeEtcHosts(): Promise<void> {
    if (this.sandboxConfig?.linux?.securityContext?.namespaceOptions?.network === 'NODE') return;
    const dir = podDir(this.deps.dataDir, this.pod.metadata.uid ?? '');
    await mkdir(dir, { recursive: true });
    this.etcHosts = join(dir, 'etc-hosts');
    await writeFile(this.etcHosts, etcHostsContent(this.pod, this.podIP, this.deps.sandbox.clusterDomain));
  }

  /** pass is one idempotent sync of the pod. */
  private async pass(): Promise<void> {
    if (this.stopping) return;
    await this.ensureSandbox();
    await this.refresh();
    if (!this.sandboxId) return;
    if (!(await this.volumes.ensure(this))) return;
    if (!(await this.syncInitContainers())) return;
    for (const spec of specsOf(this.pod, 'containers')) {
      if (this.stopping) return;
      await this.syncContainer(spec, this.records.get(str(spec, 'name') ?? ''));
    }
  }

  /**
   * refresh reads the CRI status of every current instance and notices a dead sandbox. The shared
   * relist answers for what is unchanged (a ready sandbox, a container still in the state held);
   * only the rest costs a status call.
   */
  private async refresh(): Promise<void> {
    const d = this.deps;
    const listed = this.sandboxId || this.hasLiveContainer() ? await d.relist.get() : undefined;
    if (this.sandboxId && listed?.sandboxes.get(this.sandboxId) !== 'SANDBOX_READY') {
      const sb = await d.cri.podSandboxStatus(this.sandboxId).catch(() => undefined);
      if (!sb || sb.state !== 'SANDBOX_READY') return this.sandboxChanged();
    }
    for (const rec of this.records.values()) {
      const cur = rec.current;
      if (!cur || cur.state === 'CONTAINER_EXITED') continue;
      if (listed?.containers.get(cur.id) === cur.state) continue;
      const next = await d.cri.containerStatus(cur.id).catch(() => undefined);
      if (!next) continue;
      rec.current = next;
      if (next.state === 'CONTAINER_EXITED') {
        for (const p of rec.probes) p.stop();
        rec.probes = [];
        rec.ready = false;
        rec.started = false;
      }
    }
  }

  private hasLiveContainer(): boolean {
    for (const rec of this.records.values()) if (rec.current && rec.current.state !== 'CONTAINER_EXITED') return true;
    return false;
  }

  /** sandboxChanged kills what is left of a dead sandbox so the next pass builds a new one (attempt + 1). */
  private async sandboxChanged(): Promise<void> {
    event(this.deps, this.pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
    await this.killAll(0);
    for (const rec of this.records.values()) {
      if (!rec.current) continue;
      rec.previous = rec.current;
      rec.current = undefined;
      rec.restartCount++;
    }
    if (this.sandboxId) await removeSandboxes(this.deps, [this.sandboxId]);
    this.sandboxId = undefined;
    this.sandboxAttempt++;
  }

  /** syncInitContainers runs init containers one at a time; true once all exited 0. */
  private async syncInitContainers(): Promise<boolean> {
    for (const spec of specsOf(this.pod, 'initContainers')) {
      const rec = this.records.get(str(spec, 'name') ?? '');
      const cur = rec?.current;
      if (!rec) continue;
      if (cur?.state === 'CONTAINER_EXITED' && cur.exitCode === 0) continue;
      if (cur?.state === 'CONTAINER_EXITED' && this.restartPolicy() === 'Never') return false;
      await this.syncContainer(spec, rec);
      return false;
    }
    return true;
  }

  private restartPolicy(): string {
    return str(this.pod, 'spec', 'restartPolicy') ?? 'Always';
  }

  /** syncContainer creates a missing instance or restarts an exited one when the restart policy says so. */
  private async syncContainer(spec: unknown, rec: ContainerRecord | undefined): Promise<void> {
    if (!rec) return;
    const cur = rec.current;
    const now = this.deps.clock.now();
    if (!cur) {
      if (rec.notBefore !== undefined && now < rec.notBefore) return this.wakeAt(rec.notBefore);
      return createAndStart(this, spec, rec);
    }
    if (cur.state !== 'CONTAINER_EXITED') return;
    const policy = rec.init && this.restartPolicy() === 'Always' ? 'OnFailure' : this.restartPolicy();
    if (policy === 'Never' || (policy === 'OnFailure' && cur.exitCode === 0)) {
      rec.waiting = undefined;
      return;
    }
    // Upstream semantics: the first restart is immediate; later ones wait 10 s, 20 s, … 5 min.
    const key = `${this.pod.metadata.uid ?? ''}/${rec.name}`;
    const b = this.deps.crashBackoff;
    if (rec.restartFor !== cur.id) {
      const ts = nsToMs(cur.finishedAt) || now;
      if (b.isInBackOffSince(key, ts)) {
        rec.waiting = { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(b.get(key))} restarting failed container=${rec.name} pod=${podFullName(this.pod)}` };
        if (rec.backoffEventFor !== cur.id) {
          rec.backoffEventFor = cur.id;
          event(this.deps, this.pod, 'Warning', 'BackOff', `Back-off restarting failed container ${rec.name} in pod ${podFullName(this.pod)}`);
        }
        return this.wakeAt(ts + b.get(key));
      }
      b.next(key, ts);
      rec.restartFor = cur.id;
    } else if (rec.notBefore !== undefined && now < rec.notBefore) return this.wakeAt(rec.notBefore);
    await createAndStart(this, spec, rec);
  }

  /** killAll stops every running instance in parallel with the grace period (preStop first). */
  private async killAll(graceSeconds: number): Promise<void> {
    const specs = [...specsOf(this.pod, 'initContainers'), ...specsOf(this.pod, 'containers')];
    await Promise.all(
      specs.map(async (spec) => {
        const rec = this.records.get(str(spec, 'name') ?? '');
        if (rec) await killContainer(this, spec, rec, graceSeconds);
      }),
    );
  }

  /** stop tears the pod down: containers (grace), sandbox, volumes, cgroup; it returns the final statuses. */
  stop(graceSeconds: number): Promise<RuntimePodStatus> {
    this.stopping = true;
    this.cancelTimer?.();
    return this.serial(async () => {
      await this.killAll(graceSeconds);
      const final = this.status(true);
      await removeSandboxes(this.deps, this.sandboxId ? [this.sandboxId] : [], this.pod);
      this.sandboxId = undefined;
      await this.volumes.teardown();
      this.deps.images.forget(this.pod.metadata.uid ?? '');
      this.deps.crashBackoff.resetPrefix(`${this.pod.metadata.uid ?? ''}/`);
      return final;
    });
  }

  /** detach stops the loop and the probes but leaves containers running (the agent is shutting down). */
  detach(): void {
    this.stopping = true;
    this.cancelTimer?.();
    for (const rec of this.records.values()) for (const p of rec.probes) p.stop();
  }

  /** status renders the pod's current RuntimePodStatus from the records. */
  status(final = false): RuntimePodStatus {
    const inits = specsOf(this.pod, 'initContainers');
    const initDone = inits.every((c) => {
      const cur = this.records.get(str(c, 'name') ?? '')?.current;
      return cur?.state === 'CONTAINER_EXITED' && cur.exitCode === 0;
    });
    const render = (c: unknown, reason: string): Record<string, unknown> => {
      const name = str(c, 'name') ?? '';
      return renderContainerStatus(c, this.records.get(name) ?? newRecord(name, false), reason, final);
    };
    return {
      podIP: this.podIP,
      initContainerStatuses: inits.map((c) => render(c, 'PodInitializing')),
      containerStatuses: specsOf(this.pod, 'containers').map((c) => render(c, initDone ? 'ContainerCreating' : 'PodInitializing')),
    };
  }

  /** graceSeconds is the pod's terminationGracePeriodSeconds (default 30). */
  graceSeconds(): number {
    return num(this.pod, 'spec', 'terminationGracePeriodSeconds') ?? 30;
  }
}
