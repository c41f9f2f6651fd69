import { mkdir, readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../../../api/types.js';
import type { PodSandboxConfig } from '../../cri/types.js';
import { LABEL_POD_UID } from './names.js';
import { buildSandboxConfig } from './sandbox_config.js';
import type { WorkerDeps } from './worker_deps.js';

/** SandboxInfo is a pod's running sandbox: its id, the config it was made from, attempt and IP. */
export interface SandboxInfo {
  id: string;
  config: PodSandboxConfig;
  attempt: number;
  ip: string;
}

/** podSandboxes lists the sandboxes CRI holds for a pod (by its uid label). */
async function podSandboxes(deps: WorkerDeps, uid: string): Promise<{ id: string; attempt: number; ready: boolean }[]> {
  const list = await deps.cri.listPodSandbox({ labelSelector: { [LABEL_POD_UID]: uid } });
  return list.map((s) => ({ id: s.id, attempt: s.metadata.attempt ?? 0, ready: s.state === 'SANDBOX_READY' }));
}

/**
 * runSandbox creates the pod's sandbox (RunPodSandbox) after removing leftovers of earlier ones,
 * creating the pod log directory first, and reads back its IP. The attempt is one past any earlier sandbox.
 */
export async function runSandbox(deps: WorkerDeps, pod: KubeObject, minAttempt: number): Promise<SandboxInfo> {
  const old = await podSandboxes(deps, pod.metadata.uid ?? '');
  const attempt = Math.max(minAttempt, ...old.map((s) => s.attempt + 1));
  await removeSandboxes(deps, old.map((s) => s.id));
  const config = buildSandboxConfig(pod, deps.sandbox, attempt);
  if (config.logDirectory) await mkdir(config.logDirectory, { recursive: true, mode: 0o755 });
  const id = await deps.cri.runPodSandbox(config);
  const st = await deps.cri.podSandboxStatus(id);
  return { id, config, attempt, ip: st.network?.ip ?? '' };
}

/** findSandbox returns the pod's newest ready sandbox (restorePod), or undefined when none is ready. */
export async function findSandbox(deps: WorkerDeps, pod: KubeObject): Promise<SandboxInfo | undefined> {
  const ready = (await podSandboxes(deps, pod.metadata.uid ?? '')).filter((s) => s.ready).sort((a, b) => b.attempt - a.attempt);
  const newest = ready[0];
  if (!newest) return undefined;
  const st = await deps.cri.podSandboxStatus(newest.id);
  return { id: newest.id, config: buildSandboxConfig(pod, deps.sandbox, newest.attempt), attempt: newest.attempt, ip: st.network?.ip ?? '' };
}

/**
 * removeSandboxes stops and removes sandboxes (their containers go with them); given the pod, it
 * also removes the pod's now empty cgroup folders under every controller.
 */
export async function removeSandboxes(deps: WorkerDeps, ids: string[], pod?: KubeObject): Promise<void> {
  for (const id of ids) {
    await deps.cri.stopPodSandbox(id);
    await deps.cri.removePodSandbox(id);
  }
  if (!pod) return;
  const rel = `${deps.sandbox.cgroupParent}/pod${pod.metadata.uid ?? ''}`;
  const controllers = await readdir(deps.cgroupRoot).catch(() => [] as string[]);
  for (const dir of [join(deps.cgroupRoot, rel), ...controllers.map((c) => join(deps.cgroupRoot, c, rel))]) {
    // rmdir only: a cgroup folder is removable once empty, and nothing else may be deleted here.
    await rmdir(dir).catch(() => undefined);
  }
}
