import type { KubeObject } from '../../api/types.js';
import { arr, num, objAt, str } from '../../api/object.js';

/** KubeletError is a failed kubelet API request: an HTTP code and the plain-text message the kubelet writes. */
export class KubeletError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'KubeletError';
  }
}

/** containerStatusOf finds a container's status among the pod's containers, init and ephemeral containers. */
export function containerStatusOf(pod: KubeObject, container: string): unknown {
  for (const list of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    const found = arr(pod, 'status', list).find((cs) => str(cs, 'name') === container);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** hasContainer tells whether the pod spec names the container (regular, init or ephemeral). */
export function hasContainer(pod: KubeObject, container: string): boolean {
  return ['containers', 'initContainers', 'ephemeralContainers'].some((list) => arr(pod, 'spec', list).some((c) => str(c, 'name') === container));
}

/** stripRuntimeScheme turns a status containerID (`containerd://abc`) into the runtime's id (`abc`). */
export function stripRuntimeScheme(id: string): string {
  const i = id.indexOf('://');
  return i < 0 ? id : id.slice(i + 3);
}

/** LogTarget is which run of a container a log request reads: its restart count and container id. */
export interface LogTarget {
  restartCount: number;
  containerID: string;
  /** running: the container may still write (follow waits for more). */
  running: boolean;
}

/**
 * logTarget picks the container run whose log a request reads, with the kubelet's messages when
 * there is none (400s): the current run when running or terminated, else the last terminated
 * one; `previous` asks for the last terminated run.
 */
export function logTarget(pod: KubeObject, container: string, previous: boolean): LogTarget {
  const podName = pod.metadata.name ?? '';
  const cs = containerStatusOf(pod, container);
  const fail = (why: string): KubeletError => new KubeletError(400, `container "${container}" in pod "${podName}" ${why}`);
  if (cs === undefined) throw fail('is not available');
  const restarts = num(cs, 'restartCount') ?? 0;
  const last = objAt(cs, 'lastState', 'terminated');
  const lastID = str(last, 'containerID') ?? '';
  const previousRun = (): LogTarget => ({ restartCount: Math.max(0, restarts - 1), containerID: lastID, running: false });
  if (previous) {
    if (!last || !lastID) throw new KubeletError(400, `previous terminated container "${container}" in pod "${podName}" not found`);
    return previousRun();
  }
  const running = objAt(cs, 'state', 'running');
  const terminated = objAt(cs, 'state', 'terminated');
  const waiting = objAt(cs, 'state', 'waiting');
  const currentID = str(cs, 'containerID') ?? '';
  if (running) return { restartCount: restarts, containerID: currentID, running: true };
  if (terminated) {
    const id = str(terminated, 'containerID') ?? currentID;
    if (id) return { restartCount: restarts, containerID: id, running: false };
    if (last && lastID) return previousRun();
    throw fail('is terminated');
  }
  if (last) {
    if (!lastID) throw fail('is terminated');
    return previousRun();
  }
  if (waiting) {
    const reason = str(waiting, 'reason') ?? '';
    if (reason === 'ErrImagePull') throw fail(`is waiting to start: image can't be pulled`);
    if (reason === 'ImagePullBackOff') throw fail('is waiting to start: trying and failing to pull image');
    throw fail(`is waiting to start: ${reason}`);
  }
  throw fail('is waiting to start - no logs yet');
}

/** runningContainerID is the runtime id of a running container, for exec and attach (the kubelet's "container not found"). */
export function runningContainerID(pod: KubeObject, container: string): string {
  const cs = containerStatusOf(pod, container);
  const id = str(cs, 'containerID') ?? '';
  if (cs === undefined || !objAt(cs, 'state', 'running') || !id) throw new KubeletError(500, `container not found ("${container}")`);
  return stripRuntimeScheme(id);
}
