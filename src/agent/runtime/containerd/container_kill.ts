import { field, num, objAt, str } from '../../../api/object.js';
import type { ContainerRecord } from './container_record.js';
import type { PodContext } from './pod_context.js';
import { event } from './worker_deps.js';

/** MIN_GRACE_SECONDS is the shortest stop window a container gets after its preStop hook. */
const MIN_GRACE_SECONDS = 2;

/** runHook runs a lifecycle handler (exec, httpGet, sleep) bounded by timeoutSeconds; it returns the failure message or undefined. */
export async function runHook(ctx: PodContext, hook: unknown, spec: unknown, containerId: string, timeoutSeconds: number): Promise<string | undefined> {
  const sleep = num(hook, 'sleep', 'seconds');
  if (sleep !== undefined) {
    await new Promise<void>((r) => ctx.deps.clock.setTimeout(r, Math.min(sleep, timeoutSeconds) * 1000));
    return undefined;
  }
  const out = await ctx.deps.check(hook, { cri: ctx.deps.cri, containerId, podIP: ctx.podIP || ctx.deps.nodeIP, container: spec }, timeoutSeconds);
  if (out.result === 'success') return undefined;
  const kind = objAt(hook, 'exec') ? 'Exec' : 'HTTP';
  return `${kind} lifecycle hook for Container "${str(spec, 'name') ?? ''}" in Pod "${podName(ctx)}" failed - error: ${out.output}`;
}

function podName(ctx: PodContext): string {
  return `${ctx.pod.metadata.name ?? ''}_${ctx.pod.metadata.namespace ?? ''}(${ctx.pod.metadata.uid ?? ''})`;
}

/**
 * killContainer stops a running instance as the kubelet does: probes stop, the preStop hook runs
 * (bounded by the grace period), then StopContainer gets the remaining grace (at least 2 s when a
 * grace period was given; 0 kills at once). `message` is recorded as a Killing event.
 */
export async function killContainer(ctx: PodContext, spec: unknown, rec: ContainerRecord, graceSeconds: number, message?: string): Promise<void> {
  const d = ctx.deps;
  for (const p of rec.probes) p.stop();
  rec.probes = [];
  rec.ready = false;
  const cur = rec.current;
  if (!cur || cur.state === 'CONTAINER_EXITED') return;
  if (message) event(d, ctx.pod, 'Normal', 'Killing', message);
  let remaining = graceSeconds;
  const preStop = objAt(spec, 'lifecycle', 'preStop');
  if (preStop && graceSeconds > 0 && cur.state === 'CONTAINER_RUNNING') {
    const t0 = d.clock.now();
    const failed = await runHook(ctx, preStop, spec, cur.id, graceSeconds);
    if (failed) event(d, ctx.pod, 'Warning', 'FailedPreStopHook', failed);
    remaining = Math.max(MIN_GRACE_SECONDS, graceSeconds - Math.floor((d.clock.now() - t0) / 1000));
  } else if (graceSeconds > 0) remaining = Math.max(MIN_GRACE_SECONDS, graceSeconds);
  await d.cri.stopContainer(cur.id, remaining);
  rec.current = await d.cri.containerStatus(cur.id).catch(() => cur);
}

/** probeGraceSeconds is the grace for a container killed by a failed probe (probe-level override, else the pod's). */
export function probeGraceSeconds(ctx: PodContext, probe: unknown): number {
  const own = field(probe, 'terminationGracePeriodSeconds');
  return typeof own === 'number' ? own : (num(ctx.pod, 'spec', 'terminationGracePeriodSeconds') ?? 30);
}
