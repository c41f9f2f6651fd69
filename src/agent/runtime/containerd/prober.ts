import { num, objAt } from '../../../api/object.js';
import type { Clock } from '../../../lib/clock.js';
import type { ProbeOutcome, ProbeTarget } from './probe_check.js';

/** ProbeKind names the three container probes. */
export type ProbeKind = 'startup' | 'liveness' | 'readiness';

/** ProbeCheck runs one handler (runHandler in production; tests inject their own). */
export type ProbeCheck = (handler: unknown, target: ProbeTarget, timeoutSeconds: number) => Promise<ProbeOutcome>;

/** ProbeWorkerOptions configure one probe of one container instance. */
export interface ProbeWorkerOptions {
  kind: ProbeKind;
  /** probe is the container's probe spec (handler plus timing fields). */
  probe: unknown;
  target: ProbeTarget;
  clock: Clock;
  /** startedAtMs is when the container started; initialDelaySeconds counts from it. */
  startedAtMs: number;
  check: ProbeCheck;
  /** onFailure is called for every failed check (the Unhealthy event). */
  onFailure(kind: ProbeKind, output: string): void;
  /** onChange is called when the thresholded result flips. */
  onChange(kind: ProbeKind, success: boolean, output: string): void;
  /** initial overrides the starting result (readiness kept across an agent restart). */
  initial?: boolean;
}

/**
 * ProbeWorker probes one container every periodSeconds from initialDelaySeconds after it started,
 * applying successThreshold/failureThreshold like the kubelet's prober: the result starts as
 * failure for readiness, success for liveness, unknown for startup, and flips only after enough
 * consecutive checks agree. Unknown outcomes (runtime errors) change nothing.
 */
export class ProbeWorker {
  private success: boolean | undefined;
  private lastCheck: boolean | undefined;
  private run = 0;
  private cancel: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly o: ProbeWorkerOptions) {
    // Startup starts unknown, so reaching failureThreshold counts as a change (and kills).
    this.success = o.initial ?? (o.kind === 'liveness' ? true : o.kind === 'readiness' ? false : undefined);
  }

  /** result is the current thresholded result. */
  get result(): boolean {
    return this.success === true;
  }

  /** start schedules the first check. */
  start(): void {
    const delay = (num(this.o.probe, 'initialDelaySeconds') ?? 0) * 1000;
    this.schedule(Math.max(0, this.o.startedAtMs + delay - this.o.clock.now()));
  }

  /** stop cancels future checks (a check in flight is ignored when it ends). */
  stop(): void {
    this.stopped = true;
    this.cancel?.();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.cancel = this.o.clock.setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    const p = this.o.probe;
    const started = this.o.clock.now();
    const timeout = num(p, 'timeoutSeconds') ?? 1;
    const handler = objAt(p, 'exec') || objAt(p, 'httpGet') || objAt(p, 'tcpSocket') || objAt(p, 'grpc') ? p : {};
    const out = await this.o.check(handler, this.o.target, timeout).catch((e: Error): ProbeOutcome => ({ result: 'unknown', output: e.message }));
    if (this.stopped) return;
    if (out.result !== 'unknown') this.record(out.result === 'success', out.output);
    const period = (num(p, 'periodSeconds') ?? 10) * 1000;
    this.schedule(Math.max(0, started + period - this.o.clock.now()));
  }

  private record(ok: boolean, output: string): void {
    if (!ok) this.o.onFailure(this.o.kind, output);
    this.run = this.lastCheck === ok ? this.run + 1 : 1;
    this.lastCheck = ok;
    const threshold = ok ? (num(this.o.probe, 'successThreshold') ?? 1) : (num(this.o.probe, 'failureThreshold') ?? 3);
    if (this.run < threshold || ok === this.success) return;
    this.success = ok;
    this.o.onChange(this.o.kind, ok, output);
  }
}
