import type { JsonObject, KubeObject } from '../../api/types.js';
import { arr, field, num, objAt, str } from '../../api/object.js';
import type { RuntimePodStatus } from '../runtime/runtime.js';
import { rfc3339 } from '../time.js';

/** TERMINAL_PHASES are the phases a pod never leaves. */
export const TERMINAL_PHASES = new Set(['Succeeded', 'Failed']);

const OWN_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

function exitCodeOf(cs: unknown): number | undefined {
  return num(cs, 'state', 'terminated', 'exitCode');
}

/**
 * podPhase derives the phase from container states as the kubelet does: all containers exited →
 * Succeeded/Failed by exit codes when they will not restart (restartPolicy Never, OnFailure after
 * success, or the pod is being deleted), otherwise Running (a container waiting to restart after
 * an exit counts as having run); no container known yet → Pending; a failed init container with
 * restartPolicy Never → Failed.
 */
export function podPhase(restartPolicy: string, containerStatuses: unknown[], terminating: boolean, initContainerStatuses: unknown[] = []): string {
  if (restartPolicy === 'Never' && initContainerStatuses.some((cs) => (exitCodeOf(cs) ?? 0) !== 0)) return 'Failed';
  if (containerStatuses.length === 0) return 'Pending';
  const exited = containerStatuses.filter((cs) => exitCodeOf(cs) !== undefined);
  if (exited.length < containerStatuses.length) {
    const ran = (cs: unknown): boolean => objAt(cs, 'state', 'running') !== undefined || exitCodeOf(cs) !== undefined || num(cs, 'lastState', 'terminated', 'exitCode') !== undefined;
    return containerStatuses.some(ran) ? 'Running' : 'Pending';
  }
  const failed = exited.some((cs) => exitCodeOf(cs) !== 0);
  if (terminating || restartPolicy === 'Never') return failed ? 'Failed' : 'Succeeded';
  if (restartPolicy === 'OnFailure') return failed ? 'Running' : 'Succeeded';
  return 'Running';
}

interface Cond {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  message?: string;
}

function ownConditions(pod: KubeObject, phase: string, containerStatuses: unknown[]): Cond[] {
  const terminal = TERMINAL_PHASES.has(phase);
  const unready = containerStatuses.filter((cs) => field(cs, 'ready') !== true).map((cs) => str(cs, 'name') ?? '');
  const containersReady: Cond = terminal
    ? { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' }
    : unready.length
      ? { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` }
      : { type: 'ContainersReady', status: 'True' };
  const gates = arr(pod, 'spec', 'readinessGates').map((g) => str(g, 'conditionType') ?? '');
  const unmetGates = gates.filter((g) => !arr(pod, 'status', 'conditions').some((c) => str(c, 'type') === g && str(c, 'status') === 'True'));
  let ready: Cond = { ...containersReady, type: 'Ready' };
  if (ready.status === 'True' && unmetGates.length) {
    ready = { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: `corresponding condition of pod readiness gate "${unmetGates[0] ?? ''}" does not exist.` };
  }
  const initialized: Cond = terminal && phase === 'Succeeded' ? { type: 'Initialized', status: 'True', reason: 'PodCompleted' } : { type: 'Initialized', status: 'True' };
  return [
    { type: 'PodReadyToStartContainers', status: terminal ? 'False' : 'True' },
    initialized,
    ready,
    containersReady,
    { type: 'PodScheduled', status: 'True' },
  ];
}

/** podConditions merges the kubelet's conditions into the existing ones, keeping lastTransitionTime of unchanged ones and conditions owned by others. */
function podConditions(pod: KubeObject, own: Cond[], now: number): JsonObject[] {
  const existing = arr(pod, 'status', 'conditions');
  const out: JsonObject[] = own.map((c) => {
    const prev = existing.find((e) => str(e, 'type') === c.type);
    const keep = prev && str(prev, 'status') === c.status ? str(prev, 'lastTransitionTime') : undefined;
    return { ...c, lastProbeTime: null, lastTransitionTime: keep ?? rfc3339(now) };
  });
  for (const e of existing) {
    const t = str(e, 'type') ?? '';
    if (!OWN_CONDITIONS.includes(t) && typeof e === 'object' && e !== null) out.push(e as JsonObject);
  }
  return out;
}

/**
 * computePodStatus returns the pod's whole status as the kubelet would post it from what the
 * runtime reports: phase, conditions, host and pod IPs, start time and container statuses. Fields
 * it does not own (qosClass, nominatedNodeName, others' conditions) are kept. A hostNetwork pod
 * (empty runtime IP) takes the host IP; `terminating` marks a pod being deleted.
 */
export function computePodStatus(pod: KubeObject, hostIP: string, rt: RuntimePodStatus, now: number, terminating = false): JsonObject {
  const prev = objAt(pod, 'status') ?? {};
  const phase = podPhase(str(pod, 'spec', 'restartPolicy') ?? 'Always', rt.containerStatuses, terminating, rt.initContainerStatuses);
  const podIP = rt.podIP || (field(pod, 'spec', 'hostNetwork') === true ? hostIP : '');
  const status: JsonObject = {
    ...prev,
    phase,
    conditions: podConditions(pod, ownConditions(pod, phase, rt.containerStatuses), now),
    hostIP,
    hostIPs: [{ ip: hostIP }],
    startTime: str(prev, 'startTime') ?? rfc3339(now),
    containerStatuses: rt.containerStatuses,
  };
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  if (rt.initContainerStatuses.length) status.initContainerStatuses = rt.initContainerStatuses;
  if (rt.ephemeralContainerStatuses?.length) status.ephemeralContainerStatuses = rt.ephemeralContainerStatuses;
  return status;
}

/** canonicalJson serializes with sorted keys, so equal statuses compare equal whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** looksRunning tells whether the API reports the pod as started on its node (what a restarted agent re-adopts). */
export function looksRunning(pod: KubeObject): boolean {
  if (TERMINAL_PHASES.has(str(pod, 'status', 'phase') ?? '')) return false;
  return str(pod, 'status', 'phase') === 'Running' || arr(pod, 'status', 'containerStatuses').some((cs) => objAt(cs, 'state', 'running') !== undefined);
}
