import type { JsonObject, KubeObject } from '../../api/types.js';
import { arr, objAt, str } from '../../api/object.js';
import type { ResourceClient } from '../../client/client.js';
import type { EventRecorder } from '../../client/events.js';
import type { Informer } from '../../client/informer.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import type { Runtime, RuntimePodStatus } from '../runtime/runtime.js';
import { canonicalJson, computePodStatus, looksRunning, TERMINAL_PHASES } from './pod_status.js';

/** PodHost is one node as the pod loop sees it. */
export interface PodHost {
  nodeName: string;
  nodeIP: string;
  runtime: Runtime;
  /** active: the node has its pod CIDR and its pods were re-adopted; before that its pods wait. */
  active: boolean;
}

/** PodSyncerOptions wire a PodSyncer. */
export interface PodSyncerOptions {
  pods: ResourceClient;
  informer: Informer;
  hostOf(nodeName: string): PodHost | undefined;
  clock: Clock;
  logger: Logger;
  recorder?: EventRecorder;
}

/** What the agent remembers of a pod it runs (the runtime is the truth about containers). */
interface PodRecord {
  uid: string;
  nodeName: string;
  pod: KubeObject;
  /** final is the terminal status once the pod's containers have all exited. */
  final?: JsonObject;
}

const containerNames = (pod: KubeObject): string[] => arr(pod, 'spec', 'containers').map((c) => str(c, 'name') ?? '');

/**
 * PodSyncer is the kubelet's pod loop for any number of nodes: sync(key) starts a bound pod
 * through its node's runtime and posts its status, follows container exits to a terminal phase,
 * and on graceful deletion stops the pod and confirms with a delete of grace 0 (uid precondition).
 */
export class PodSyncer {
  private readonly records = new Map<string, PodRecord>();

  constructor(private readonly opts: PodSyncerOptions) {}

  /** restore re-adopts a pod the API reports running after the agent restarted (before new pods start). */
  async restore(pod: KubeObject, host: PodHost): Promise<void> {
    const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
    if (this.records.has(key) || pod.metadata.deletionTimestamp || !looksRunning(pod)) return;
    if (await host.runtime.restorePod(pod)) this.records.set(key, { uid: pod.metadata.uid ?? '', nodeName: host.nodeName, pod });
  }

  /** sync brings one pod (`namespace/name`) in line; it is idempotent and throws to be retried. */
  async sync(key: string): Promise<void> {
    let pod = this.opts.informer.get(key);
    const rec = this.records.get(key);
    if (rec && (!pod || pod.metadata.uid !== rec.uid)) {
      // Deleted outright (force delete or confirmed): tear it down.
      await this.opts.hostOf(rec.nodeName)?.runtime.stopPod(rec.pod, 0);
      this.records.delete(key);
    }
    if (!pod) return;
    const host = this.opts.hostOf(str(pod, 'spec', 'nodeName') ?? '');
    if (!host?.active) return;
    pod = structuredClone(pod);
    if (pod.metadata.deletionTimestamp) return this.terminate(key, pod, host);
    if (TERMINAL_PHASES.has(str(pod, 'status', 'phase') ?? '')) {
      const r = this.records.get(key);
      if (r && !r.final) await host.runtime.stopPod(pod, 0);
      return;
    }
    const current = this.records.get(key);
    if (current?.final) return this.writeStatus(pod, current.final);
    const rt = await this.runtimeStatus(key, pod, host, current);
    const status = computePodStatus(pod, host.nodeIP, rt, this.opts.clock.now());
    if (TERMINAL_PHASES.has(String(status.phase))) {
      // Containers exited for good: free the sandbox (and its IP), remember the final status.
      await host.runtime.stopPod(pod, 0);
      this.records.set(key, { uid: pod.metadata.uid ?? '', nodeName: host.nodeName, pod, final: status });
    }
    await this.writeStatus(pod, status);
  }

  private async runtimeStatus(key: string, pod: KubeObject, host: PodHost, rec: PodRecord | undefined): Promise<RuntimePodStatus> {
    let rt = rec ? await host.runtime.podStatus(pod) : undefined;
    if (!rec && looksRunning(pod)) rt = await host.runtime.restorePod(pod);
    if (!rt) {
      rt = await host.runtime.startPod(pod);
      this.recordStart(pod);
    }
    this.records.set(key, { uid: pod.metadata.uid ?? '', nodeName: host.nodeName, pod });
    return rt;
  }

  private recordStart(pod: KubeObject): void {
    const r = this.opts.recorder;
    if (!r) return;
    for (const c of arr(pod, 'spec', 'containers')) {
      const name = str(c, 'name') ?? '';
      r.event(pod, 'Normal', 'Pulled', `Container image "${str(c, 'image') ?? ''}" already present on machine`);
      r.event(pod, 'Normal', 'Created', `Created container: ${name}`);
      r.event(pod, 'Normal', 'Started', `Started container ${name}`);
    }
  }

  /** terminate stops a pod being deleted, posts its final status and confirms the deletion. */
  private async terminate(key: string, pod: KubeObject, host: PodHost): Promise<void> {
    const rec = this.records.get(key);
    const terminal = TERMINAL_PHASES.has(str(pod, 'status', 'phase') ?? '');
    if (!terminal && (rec || looksRunning(pod))) {
      let final = rec?.final;
      if (!final) {
        if (!rec) await host.runtime.restorePod(pod);
        for (const name of containerNames(pod)) this.opts.recorder?.event(pod, 'Normal', 'Killing', `Stopping container ${name}`);
        const stopped = await host.runtime.stopPod(pod, pod.metadata.deletionGracePeriodSeconds ?? 30);
        const rt: RuntimePodStatus = stopped ?? { podIP: str(pod, 'status', 'podIP') ?? '', initContainerStatuses: arr(pod, 'status', 'initContainerStatuses') as JsonObject[], containerStatuses: exited(pod) };
        final = computePodStatus(pod, host.nodeIP, rt, this.opts.clock.now(), true);
        this.records.set(key, { uid: pod.metadata.uid ?? '', nodeName: host.nodeName, pod, final });
      }
      await this.writeStatus(pod, final);
    }
    try {
      await this.opts.pods.delete(pod.metadata.namespace ?? '', pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid ?? '' } });
    } catch (e) {
      // Gone already, or replaced by a pod of the same name (uid precondition): nothing to confirm.
      const code = (e as { code?: number }).code;
      if (code !== 404 && code !== 409) throw e;
    }
  }

  /** writeStatus posts status through the status subresource when it differs from what the API has. */
  private async writeStatus(pod: KubeObject, status: JsonObject): Promise<void> {
    if (canonicalJson(objAt(pod, 'status') ?? {}) === canonicalJson(status)) return;
    try {
      await this.opts.pods.patch(pod.metadata.namespace ?? '', pod.metadata.name ?? '', 'merge', { status }, 'status');
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }
}

/** exited turns the API's container statuses of a pod the runtime no longer knows into terminated ones. */
function exited(pod: KubeObject): JsonObject[] {
  return arr(pod, 'status', 'containerStatuses').map((cs) => {
    const c = structuredClone(cs) as JsonObject;
    const startedAt = str(cs, 'state', 'running', 'startedAt');
    if (objAt(cs, 'state', 'terminated') === undefined) {
      c['state'] = { terminated: { exitCode: 0, reason: 'Completed', ...(startedAt ? { startedAt } : {}), containerID: str(cs, 'containerID') ?? '' } };
    }
    return { ...c, ready: false, started: false };
  });
}
