import { objAt } from '../../../api/object.js';
import { killContainer, probeGraceSeconds } from './container_kill.js';
import { nsToMs, type ContainerRecord } from './container_record.js';
import type { PodContext } from './pod_context.js';
import { ProbeWorker, type ProbeKind } from './prober.js';
import { event } from './worker_deps.js';

const title: Record<ProbeKind, string> = { startup: 'Startup', liveness: 'Liveness', readiness: 'Readiness' };

/** StartProbeOptions carry over what an adopted container already proved (agent restart). */
export interface StartProbeOptions {
  /** assumeStarted skips the startup probe (the container ran before the agent restarted). */
  assumeStarted?: boolean;
  /** initialReady is the readiness the API last saw for this instance. */
  initialReady?: boolean;
}

function makeWorker(ctx: PodContext, spec: unknown, rec: ContainerRecord, kind: ProbeKind, initial?: boolean): ProbeWorker | undefined {
  const probe = objAt(spec, `${kind}Probe`);
  const cur = rec.current;
  if (!probe || !cur) return undefined;
  const d = ctx.deps;
  const containerId = cur.id;
  return new ProbeWorker({
    kind,
    probe,
    target: { cri: d.cri, containerId, podIP: ctx.podIP || d.nodeIP, container: spec },
    clock: d.clock,
    startedAtMs: nsToMs(cur.startedAt),
    check: d.check,
    ...(initial !== undefined ? { initial } : {}),
    onFailure: (k, output) => event(d, ctx.pod, 'Warning', 'Unhealthy', `${title[k]} probe failed: ${output}`),
    onChange: (k, success) => {
      if (rec.current?.id !== containerId) return;
      if (k === 'readiness') {
        rec.ready = success;
        ctx.changed();
      } else if (k === 'startup' && success) {
        // A passed startup probe is done for this instance.
        for (const p of rec.probes) p.stop();
        rec.probes = [];
        rec.started = true;
        rec.ready = !objAt(spec, 'readinessProbe');
        startMainProbes(ctx, spec, rec);
        ctx.changed();
      } else if (!success) {
        // Liveness or startup failed for good: kill this instance; the restart policy decides what follows.
        void ctx
          .serial(async () => {
            if (rec.current?.id !== containerId || ctx.stopping) return;
            await killContainer(ctx, spec, rec, probeGraceSeconds(ctx, probe), `Container ${rec.name} failed ${k} probe, will be restarted`);
          })
          .catch((e: Error) => d.logger.warn('cannot kill unhealthy container', { pod: ctx.pod.metadata.name, container: rec.name, err: e.message }))
          .finally(() => ctx.kick());
      }
    },
  });
}

function startMainProbes(ctx: PodContext, spec: unknown, rec: ContainerRecord, initialReady?: boolean): void {
  for (const kind of ['liveness', 'readiness'] as const) {
    const w = makeWorker(ctx, spec, rec, kind, kind === 'readiness' ? initialReady : undefined);
    if (!w) continue;
    rec.probes.push(w);
    w.start();
  }
}

/**
 * startProbes begins probing a freshly started (or adopted) instance: the startup probe first when
 * there is one, liveness and readiness once it passed. Without a readiness probe the container is
 * ready as soon as it has started.
 */
export function startProbes(ctx: PodContext, spec: unknown, rec: ContainerRecord, opts: StartProbeOptions = {}): void {
  if (rec.init) {
    rec.started = true;
    return;
  }
  const startup = opts.assumeStarted ? undefined : makeWorker(ctx, spec, rec, 'startup');
  if (startup) {
    rec.started = false;
    rec.ready = false;
    rec.probes.push(startup);
    startup.start();
    return;
  }
  rec.started = true;
  rec.ready = objAt(spec, 'readinessProbe') ? (opts.initialReady ?? false) : true;
  startMainProbes(ctx, spec, rec, opts.initialReady);
}
