import type { Clock } from '../../lib/clock.js';
import type { PodInfo } from '../framework/pod_info.js';
import { Heap } from './heap.js';

/** QueuedPod is a pending pod with its scheduling history. */
export interface QueuedPod {
  info: PodInfo;
  /** attempts counts scheduling cycles so far (backoff doubles with each). */
  attempts: number;
  /** backoffUntil: before this time (ms) a failed pod is not retried. */
  backoffUntil: number;
  /** moveEpoch: the queue's move counter when the pod was popped. */
  moveEpoch: number;
}

/** SchedulingQueueOptions are the backoff settings (upstream defaults 1 s, 10 s; 60 s at most unschedulable here). */
export interface SchedulingQueueOptions {
  clock: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  unschedulableTimeoutMs?: number;
}

interface Parked {
  qp: QueuedPod;
  cancel: () => void;
}

const before = (a: QueuedPod, b: QueuedPod): boolean => {
  if (a.info.priority !== b.info.priority) return a.info.priority > b.info.priority;
  if (a.info.creationMs !== b.info.creationMs) return a.info.creationMs < b.info.creationMs;
  return a.info.key < b.info.key;
};

/**
 * SchedulingQueue is kube-scheduler's three-part queue: an active heap (priority, then age), a
 * backoff pool (pods that failed wait 1 s doubling to 10 s) and an unschedulable pool (pods
 * wait there until a cluster event may help them — moveAll — or 60 s pass). A pod that fails
 * while a move happened during its cycle goes to backoff instead, so the event is not missed.
 */
export class SchedulingQueue {
  private readonly active = new Heap<QueuedPod>((q) => q.info.key, before);
  private readonly backoff = new Map<string, Parked>();
  private readonly unschedulable = new Map<string, Parked>();
  private readonly waiters: ((qp: QueuedPod | undefined) => void)[] = [];
  private moveEpoch = 0;
  private closed = false;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly unschedulableTimeoutMs: number;

  constructor(private readonly opts: SchedulingQueueOptions) {
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.unschedulableTimeoutMs = opts.unschedulableTimeoutMs ?? 60_000;
  }

  /** add queues a new pending pod (no-op if already queued anywhere). */
  add(info: PodInfo): void {
    if (this.has(info.key)) return;
    this.activate({ info, attempts: 0, backoffUntil: 0, moveEpoch: 0 });
  }

  /** update replaces a queued pod's info; an unschedulable pod gets another chance at once. */
  update(info: PodInfo): void {
    const a = this.active.get(info.key);
    if (a) return this.active.push({ ...a, info });
    const b = this.backoff.get(info.key);
    if (b) {
      b.qp.info = info;
      return;
    }
    const u = this.unschedulable.get(info.key);
    if (u) {
      this.unpark(this.unschedulable, info.key);
      u.qp.info = info;
      return this.requeue(u.qp);
    }
    this.add(info);
  }

  /** delete forgets a pod wherever it waits. */
  delete(key: string): void {
    this.active.remove(key);
    this.unpark(this.backoff, key);
    this.unpark(this.unschedulable, key);
  }

  /** has tells whether the pod waits in any part of the queue. */
  has(key: string): boolean {
    return this.active.has(key) || this.backoff.has(key) || this.unschedulable.has(key);
  }

  /** pop resolves with the next active pod (waiting for one), or undefined once closed. */
  pop(): Promise<QueuedPod | undefined> {
    const qp = this.take();
    if (qp || this.closed) return Promise.resolve(qp);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** tryPop returns the next active pod without waiting. */
  tryPop(): QueuedPod | undefined {
    return this.take();
  }

  /** addUnschedulable parks a pod that failed to schedule (see the class comment). */
  addUnschedulable(qp: QueuedPod): void {
    if (this.closed || this.has(qp.info.key)) return;
    qp.backoffUntil = this.opts.clock.now() + this.backoffMs(qp.attempts);
    if (this.moveEpoch > qp.moveEpoch) return this.toBackoff(qp);
    const cancel = this.opts.clock.setTimeout(() => {
      if (this.unpark(this.unschedulable, qp.info.key)) this.requeue(qp);
    }, this.unschedulableTimeoutMs);
    this.unschedulable.set(qp.info.key, { qp, cancel });
  }

  /** addBackoff requeues a pod after its backoff (errors such as a failed bind). */
  addBackoff(qp: QueuedPod): void {
    if (this.closed || this.has(qp.info.key)) return;
    qp.backoffUntil = this.opts.clock.now() + this.backoffMs(qp.attempts);
    this.toBackoff(qp);
  }

  /** moveAllToActiveOrBackoff retries every unschedulable pod: a cluster event may have helped. */
  moveAllToActiveOrBackoff(): void {
    this.moveEpoch++;
    for (const key of [...this.unschedulable.keys()]) {
      const parked = this.unpark(this.unschedulable, key);
      if (parked) this.requeue(parked.qp);
    }
  }

  /** counts reports the sizes of the three parts (for tests and logs). */
  counts(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size };
  }

  /** close wakes waiting pops with undefined and cancels timers. */
  close(): void {
    this.closed = true;
    for (const p of [...this.backoff.values(), ...this.unschedulable.values()]) p.cancel();
    this.backoff.clear();
    this.unschedulable.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  private backoffMs(attempts: number): number {
    const n = Math.max(1, attempts);
    return Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(30, n - 1));
  }

  private take(): QueuedPod | undefined {
    const qp = this.active.pop();
    if (!qp) return undefined;
    qp.attempts++;
    qp.moveEpoch = this.moveEpoch;
    return qp;
  }

  private activate(qp: QueuedPod): void {
    if (this.closed) return;
    const w = this.waiters.shift();
    if (w) {
      this.active.push(qp);
      w(this.take());
      return;
    }
    this.active.push(qp);
  }

  private requeue(qp: QueuedPod): void {
    if (this.opts.clock.now() >= qp.backoffUntil) this.activate(qp);
    else this.toBackoff(qp);
  }

  private toBackoff(qp: QueuedPod): void {
    const delay = Math.max(0, qp.backoffUntil - this.opts.clock.now());
    const cancel = this.opts.clock.setTimeout(() => {
      if (this.unpark(this.backoff, qp.info.key)) this.activate(qp);
    }, delay);
    this.backoff.set(qp.info.key, { qp, cancel });
  }

  private unpark(pool: Map<string, Parked>, key: string): Parked | undefined {
    const p = pool.get(key);
    if (!p) return undefined;
    pool.delete(key);
    p.cancel();
    return p;
  }
}
