import { num, objAt } from '../../../api/object.js';
import type { ContainerStatus } from '../../cri/types.js';
import { buildContainerConfig, containerMounts } from './container_config.js';
import type { ContainerRecord } from './container_record.js';
import { EnvConfigError, resolveEnv } from './env.js';
import type { PodContext } from './pod_context.js';
import { podNamespaceOptions } from './sandbox_config.js';
import { VolumeError } from './volume_sources.js';
import { killContainer, runHook } from './container_kill.js';
import { startProbes } from './container_probes.js';
import { event } from './worker_deps.js';

const CONFIG_RETRY_MS = 10_000;

function fail(ctx: PodContext, rec: ContainerRecord, reason: string, message: string): void {
  rec.waiting = { reason, message };
  rec.notBefore = ctx.deps.clock.now() + CONFIG_RETRY_MS;
  event(ctx.deps, ctx.pod, 'Warning', 'Failed', `Error: ${message}`);
}

/** startFailed is the status of an instance that could not start (CRI may leave it "created"). */
function startFailed(cs: ContainerStatus, message: string, nowMs: number): ContainerStatus {
  if (cs.state === 'CONTAINER_EXITED') return cs;
  const ns = BigInt(nowMs) * 1_000_000n;
  return { ...cs, state: 'CONTAINER_EXITED', exitCode: 128, reason: 'StartError', message, finishedAt: ns };
}

/**
 * createAndStart runs a new instance of a container: image (per pull policy), environment,
 * mounts, CreateContainer (attempt = restart count), StartContainer, then the postStart hook and
 * probes. Problems before the container exists leave a waiting reason on the record.
 */
export async function createAndStart(ctx: PodContext, spec: unknown, rec: ContainerRecord): Promise<void> {
  const d = ctx.deps;
  if (!ctx.sandboxId || !ctx.sandboxConfig) return;
  const restartCount = rec.current ? rec.restartCount + 1 : rec.restartCount;
  const img = await d.images.ensure(ctx.pod, spec, ctx.sandboxConfig);
  if (!img.ok) {
    rec.waiting = { reason: img.reason, message: img.message };
    rec.notBefore = img.retryAt;
    return;
  }
  if (ctx.stopping) return;
  let config;
  try {
    const podIP = ctx.podIP || d.nodeIP;
    const env = await resolveEnv({ pod: ctx.pod, podIP, hostIP: d.nodeIP, allocatable: d.allocatable, getConfigMap: d.getConfigMap, getSecret: d.getSecret, serviceEnv: d.serviceEnv }, spec);
    const mounts = await containerMounts(spec, ctx.volumePaths, env, ctx.etcHosts);
    config = buildContainerConfig(ctx.pod, spec, { restartCount, env, mounts, namespaceOptions: podNamespaceOptions(ctx.pod), nodeName: d.nodeName, nodeMemoryBytes: d.allocatable.memory });
  } catch (e) {
    if (e instanceof EnvConfigError || e instanceof VolumeError) return fail(ctx, rec, 'CreateContainerConfigError', e.message);
    throw e;
  }
  let id: string;
  try {
    id = await d.cri.createContainer(ctx.sandboxId, config, ctx.sandboxConfig);
  } catch (e) {
    return fail(ctx, rec, 'CreateContainerError', (e as Error).message);
  }
  event(d, ctx.pod, 'Normal', 'Created', `Created container: ${rec.name}`);
  if (rec.current) {
    // Keep the last instance for lastState and `kubectl logs --previous`; drop the one before.
    const old = rec.previous;
    rec.previous = rec.current;
    if (old) await d.cri.removeContainer(old.id).catch((e: Error) => d.logger.debug('cannot remove old container', { id: old.id, err: e.message }));
  }
  rec.restartCount = restartCount;
  rec.waiting = undefined;
  rec.started = false;
  rec.ready = false;
  try {
    await d.cri.startContainer(id);
  } catch (e) {
    const message = (e as Error).message;
    event(d, ctx.pod, 'Warning', 'Failed', `Error: ${message}`);
    rec.current = startFailed(await d.cri.containerStatus(id), message, d.clock.now());
    return;
  }
  event(d, ctx.pod, 'Normal', 'Started', `Started container ${rec.name}`);
  rec.current = await d.cri.containerStatus(id);
  if (await postStart(ctx, spec, rec)) startProbes(ctx, spec, rec);
}

/** postStart runs the postStart hook; on failure the container is killed and false is returned. */
async function postStart(ctx: PodContext, spec: unknown, rec: ContainerRecord): Promise<boolean> {
  const hook = objAt(spec, 'lifecycle', 'postStart');
  const cur = rec.current;
  if (!hook || !cur) return true;
  const grace = num(ctx.pod, 'spec', 'terminationGracePeriodSeconds') ?? 30;
  const out = await runHook(ctx, hook, spec, cur.id, grace);
  if (out === undefined) return true;
  event(ctx.deps, ctx.pod, 'Warning', 'FailedPostStartHook', out);
  await killContainer(ctx, spec, rec, grace, `FailedPostStartHook`);
  return false;
}

