import type { KubeObject } from '../api/types.js';
import { arr, str } from '../api/object.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import { R, type Client } from '../client/client.js';
import type { EventRecorder } from '../client/events.js';
import type { SchedulerCache } from './cache/cache.js';
import type { PodInfo } from './framework/pod_info.js';
import type { CycleState } from './framework/plugin.js';
import type { Status } from './framework/status.js';
import type { QueuedPod, SchedulingQueue } from './queue/scheduling_queue.js';

/** BinderOptions wire the binder to the API and to the scheduler's cache and queue. */
export interface BinderOptions {
  client: Client;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  parallelBinds: number;
  cache: SchedulerCache;
  queue: SchedulingQueue;
  stats: { scheduled: number; bindErrors: number };
  /** stillPending returns fresh info when the pod still waits for this scheduler. */
  stillPending(qp: QueuedPod): PodInfo | undefined;
  /** preBind runs the PreBind plugins (synchronously when none has work for the pod). */
  preBind(qp: QueuedPod, node: string, state: CycleState): Status | Promise<Status>;
  /** unreserve undoes the Reserve plugins after a failed pre-bind or bind. */
  unreserve(qp: QueuedPod, node: string, state: CycleState): void;
}

const rfc3339 = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const errorCode = (e: unknown): number | undefined => (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'number' ? (e as { code: number }).code : undefined);

/**
 * Binder performs the API side of scheduling: the PreBind plugins, then POST pods/NAME/binding
 * with up to parallelBinds calls in flight, the Scheduled / FailedScheduling events, and the
 * PodScheduled=False condition of unschedulable pods. A failed pre-bind or bind unreserves,
 * forgets the assumed pod and requeues it with backoff. Pods whose PreBind waits (for volumes
 * to bind) wait outside the parallelBinds slots, so they never hold up other pods.
 */
export class Binder {
  private readonly inFlight = new Set<string>();
  private readonly preBinding = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private slotWaiters: (() => void)[] = [];

  constructor(private readonly opts: BinderOptions) {}

  /** binding tells whether the pod is in its binding cycle (pre-binding or its bind call in flight). */
  binding(key: string): boolean {
    return this.inFlight.has(key) || this.preBinding.has(key);
  }

  /** slot resolves once fewer than parallelBinds binds are in flight. */
  slot(): Promise<void> {
    if (this.inFlight.size < this.opts.parallelBinds) return Promise.resolve();
    return new Promise((r) => this.slotWaiters.push(r));
  }

  /** drain waits for every bind in flight. */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** bind starts the binding cycle of an assumed (and reserved) pod on a node. */
  bind(qp: QueuedPod, node: string, state: CycleState): void {
    const pre = this.opts.preBind(qp, node, state);
    if (!(pre instanceof Promise)) {
      if (pre.code === 'Success') return this.startBind(qp, node, state);
      return this.preBindFailed(qp, node, state, pre);
    }
    const { key } = qp.info;
    this.preBinding.add(key);
    const p = pre
      .then((s) => (s.code === 'Success' ? this.startBind(qp, node, state) : this.preBindFailed(qp, node, state, s)))
      .finally(() => {
        this.preBinding.delete(key);
        this.pending.delete(p);
      });
    this.pending.add(p);
  }

  private startBind(qp: QueuedPod, node: string, state: CycleState): void {
    const { key } = qp.info;
    this.inFlight.add(key);
    const p = this.doBind(qp, node, state).finally(() => {
      this.inFlight.delete(key);
      this.pending.delete(p);
      this.slotWaiters.shift()?.();
    });
    this.pending.add(p);
  }

  /** preBindFailed is upstream's handleBindingCycleError for a PreBind failure. */
  private preBindFailed(qp: QueuedPod, node: string, state: CycleState, s: Status): void {
    const message = s.reasons.join(', ');
    this.opts.stats.bindErrors++;
    this.opts.unreserve(qp, node, state);
    this.opts.cache.forgetPod(qp.info.key);
    this.opts.queue.moveAllToActiveOrBackoff();
    this.opts.logger.debug('pre-bind failed', { pod: qp.info.key, node, err: message });
    const fresh = this.opts.stillPending(qp);
    if (!fresh) return;
    this.reportUnschedulable(fresh.pod, message, 'SchedulerError');
    this.opts.queue.addBackoff({ ...qp, info: fresh });
  }

  private async doBind(qp: QueuedPod, node: string, state: CycleState): Promise<void> {
    const { pod, namespace, name, key } = qp.info;
    const body = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: node } };
    try {
      await this.opts.client.resource(R.pods).createSubresource(namespace, name, 'binding', body);
      this.opts.stats.scheduled++;
      this.opts.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node}`);
    } catch (e) {
      this.opts.stats.bindErrors++;
      this.opts.unreserve(qp, node, state);
      this.opts.cache.forgetPod(key);
      // The assumed pod's resources are free again: other pods may fit.
      this.opts.queue.moveAllToActiveOrBackoff();
      const code = errorCode(e);
      this.opts.logger.debug('bind failed', { pod: key, node, code, err: e instanceof Error ? e.message : String(e) });
      if (code === 404 || code === 409 || !this.opts.stillPending(qp)) return;
      this.opts.recorder.event(pod, 'Warning', 'FailedScheduling', `Binding rejected: ${e instanceof Error ? e.message : String(e)}`);
      this.opts.queue.addBackoff(qp);
    }
  }

  /**
   * reportUnschedulable records FailedScheduling and sets PodScheduled=False (reason
   * Unschedulable, or SchedulerError for errors as upstream) through pods/status, skipping the write when the condition already says so.
   */
  reportUnschedulable(pod: KubeObject, message: string, reason = 'Unschedulable'): void {
    this.opts.recorder.event(pod, 'Warning', 'FailedScheduling', message);
    const cond = arr(pod, 'status', 'conditions').find((c) => str(c, 'type') === 'PodScheduled');
    if (str(cond, 'status') === 'False' && str(cond, 'reason') === reason && str(cond, 'message') === message) return;
    const lastTransitionTime = str(cond, 'status') === 'False' ? str(cond, 'lastTransitionTime') ?? rfc3339(this.opts.clock.now()) : rfc3339(this.opts.clock.now());
    const patch = { status: { conditions: [{ type: 'PodScheduled', status: 'False', reason, message, lastProbeTime: null, lastTransitionTime }] } };
    this.opts.client
      .resource(R.pods)
      .patch(pod.metadata.namespace ?? '', pod.metadata.name ?? '', 'strategic', patch, 'status')
      .catch((e: unknown) => this.opts.logger.debug('pod condition update failed', { pod: pod.metadata.name, err: e instanceof Error ? e.message : String(e) }));
  }
}
