import type { JsonObject } from '../../../api/types.js';
import { str } from '../../../api/object.js';
import type { ContainerStatus } from '../../cri/types.js';
import { rfc3339 } from '../../time.js';
import { CONTAINER_ID_PREFIX } from './names.js';
import type { ProbeWorker } from './prober.js';

/** ContainerRecord is what a pod worker knows of one container of the spec across its restarts. */
export interface ContainerRecord {
  name: string;
  init: boolean;
  restartCount: number;
  /** current is the CRI status of the newest instance; previous the one before (lastState). */
  current?: ContainerStatus | undefined;
  previous?: ContainerStatus | undefined;
  /** waiting explains why the container is not running (CrashLoopBackOff, ErrImagePull, …). */
  waiting?: { reason: string; message: string } | undefined;
  /** notBefore delays the next create attempt (ms epoch), e.g. during an image pull back-off. */
  notBefore?: number;
  /** started: the startup probe passed (or there is none) while the container runs. */
  started: boolean;
  ready: boolean;
  probes: ProbeWorker[];
  /** restartFor is the exited instance whose restart the back-off already allowed. */
  restartFor?: string;
  /** backoffEventFor is the instance id a BackOff event was already recorded for. */
  backoffEventFor?: string;
}

/** newRecord returns the record of a container never created. */
export function newRecord(name: string, init: boolean): ContainerRecord {
  return { name, init, restartCount: 0, started: false, ready: false, probes: [] };
}

/** nsToMs converts CRI nanosecond timestamps to ms (0 stays 0). */
export function nsToMs(ns: bigint): number {
  return Number(ns / 1_000_000n);
}

/** terminatedState renders an exited instance as core/v1 ContainerStateTerminated. */
export function terminatedState(cs: ContainerStatus): JsonObject {
  const t: JsonObject = { exitCode: cs.exitCode, reason: cs.reason || (cs.exitCode === 0 ? 'Completed' : 'Error') };
  if (cs.message) t['message'] = cs.message;
  if (cs.startedAt > 0n) t['startedAt'] = rfc3339(nsToMs(cs.startedAt));
  if (cs.finishedAt > 0n) t['finishedAt'] = rfc3339(nsToMs(cs.finishedAt));
  t['containerID'] = CONTAINER_ID_PREFIX + cs.id;
  return t;
}

function waiting(reason: string, message?: string): JsonObject {
  return { waiting: message ? { reason, message } : { reason } };
}

/**
 * renderContainerStatus builds a core/v1 ContainerStatus from a record: running, waiting (with
 * the record's reason, or `defaultReason` before the first instance), or terminated; lastState
 * is the instance before. `final` (the pod is stopping) shows exited instances as terminated.
 */
export function renderContainerStatus(spec: unknown, rec: ContainerRecord, defaultReason: string, final: boolean): JsonObject {
  const cur = rec.current;
  let state: JsonObject;
  let lastState: JsonObject = rec.previous ? { terminated: terminatedState(rec.previous) } : {};
  let ready = false;
  let started = false;
  if (!cur) state = waiting(rec.waiting?.reason ?? defaultReason, rec.waiting?.message);
  else if (cur.state === 'CONTAINER_RUNNING') {
    state = { running: { startedAt: rfc3339(nsToMs(cur.startedAt)) } };
    ready = !rec.init && rec.ready;
    started = rec.started;
  } else if (cur.state === 'CONTAINER_EXITED') {
    if (rec.waiting && !final) {
      state = waiting(rec.waiting.reason, rec.waiting.message);
      lastState = { terminated: terminatedState(cur) };
    } else state = { terminated: terminatedState(cur) };
    ready = rec.init && cur.exitCode === 0;
  } else state = waiting(cur.state === 'CONTAINER_CREATED' ? 'ContainerCreating' : 'ContainerStatusUnknown');
  const out: JsonObject = {
    name: rec.name,
    state,
    lastState,
    ready,
    restartCount: rec.restartCount,
    image: cur?.image.image || str(spec, 'image') || '',
    imageID: cur?.imageRef ?? '',
  };
  if (cur) out['containerID'] = CONTAINER_ID_PREFIX + cur.id;
  out['started'] = started;
  return out;
}
