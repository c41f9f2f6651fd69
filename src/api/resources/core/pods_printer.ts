/** The Pod Table row as kube-apiserver's pod printer computes it (READY, STATUS, RESTARTS, wide columns). */
import { arr, field, objAt, str } from '../../object.js';
import { age } from '../../table/format.js';
import { isObject, type JsonObject, type KubeObject } from '../../types.js';

interface ContainerStatus {
  name: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  waitingReason: string | undefined;
  running: boolean;
  terminated: { reason: string; exitCode: number; signal: number } | undefined;
  lastFinishedAt: number | undefined;
}

function readStatus(raw: unknown): ContainerStatus {
  const term = objAt(raw, 'state', 'terminated');
  const finished = str(raw, 'lastState', 'terminated', 'finishedAt');
  const t = finished ? Date.parse(finished) : NaN;
  return {
    name: str(raw, 'name') ?? '',
    ready: field(raw, 'ready') === true,
    started: field(raw, 'started') === true,
    restartCount: Number(field(raw, 'restartCount') ?? 0) || 0,
    waitingReason: objAt(raw, 'state', 'waiting') ? (str(raw, 'state', 'waiting', 'reason') ?? '') : undefined,
    running: objAt(raw, 'state', 'running') !== undefined,
    terminated: term
      ? { reason: str(term, 'reason') ?? '', exitCode: Number(term['exitCode'] ?? 0) || 0, signal: Number(term['signal'] ?? 0) || 0 }
      : undefined,
    lastFinishedAt: Number.isNaN(t) ? undefined : t,
  };
}

function conditionTrue(pod: KubeObject, type: string): boolean {
  return arr(pod, 'status', 'conditions').some((c) => isObject(c) && c['type'] === type && c['status'] === 'True');
}

function terminatedReason(t: { reason: string; exitCode: number; signal: number }, prefix: string): string {
  if (t.reason) return `${prefix}${t.reason}`;
  return t.signal !== 0 ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode}`;
}

/** Tally accumulates what the printer reports. */
interface Tally {
  reason: string;
  ready: number;
  restarts: number;
  lastRestart: number | undefined;
}

function later(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.max(a, b);
}

/** initContainersPass mirrors the printer's init container loop; returns whether the pod is still initializing and the sidecar tallies. */
function initContainersPass(pod: KubeObject, t: Tally): { initializing: boolean; sidecarRestarts: number; sidecarLast: number | undefined } {
  const specs = new Map(arr(pod, 'spec', 'initContainers').filter(isObject).map((c) => [String(c['name']), c] as [string, JsonObject]));
  const restartable = (name: string): boolean => specs.get(name)?.['restartPolicy'] === 'Always';
  const statuses = arr(pod, 'status', 'initContainerStatuses').map(readStatus);
  let sidecarRestarts = 0;
  let sidecarLast: number | undefined;
  for (const [i, c] of statuses.entries()) {
    t.restarts += c.restartCount;
    t.lastRestart = later(t.lastRestart, c.lastFinishedAt);
    if (restartable(c.name)) {
      sidecarRestarts += c.restartCount;
      sidecarLast = later(sidecarLast, c.lastFinishedAt);
    }
    if (c.terminated && c.terminated.exitCode === 0) continue;
    if (restartable(c.name) && c.started) {
      if (c.ready) t.ready++;
      continue;
    }
    if (c.terminated) t.reason = terminatedReason(c.terminated, 'Init:');
    else if (c.waitingReason && c.waitingReason !== 'PodInitializing') t.reason = `Init:${c.waitingReason}`;
    else t.reason = `Init:${i}/${specs.size}`;
    return { initializing: true, sidecarRestarts, sidecarLast };
  }
  return { initializing: false, sidecarRestarts, sidecarLast };
}

function containersPass(pod: KubeObject, t: Tally): void {
  const statuses = arr(pod, 'status', 'containerStatuses').map(readStatus);
  let hasRunning = false;
  // The printer walks containers from last to first, so the first container's state wins.
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i];
    if (!c) continue;
    t.restarts += c.restartCount;
    t.lastRestart = later(t.lastRestart, c.lastFinishedAt);
    if (c.waitingReason) t.reason = c.waitingReason;
    else if (c.terminated) t.reason = terminatedReason(c.terminated, '');
    else if (c.ready && c.running) {
      hasRunning = true;
      t.ready++;
    }
  }
  if (t.reason === 'Completed' && hasRunning) t.reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
}

/** podStatusSummary returns READY, STATUS and RESTARTS as the pod printer computes them; now (ms) dates the last restart. */
export function podStatusSummary(pod: KubeObject, now: number): { ready: string; status: string; restarts: string } {
  const phase = str(pod, 'status', 'phase') ?? '';
  const statusReason = str(pod, 'status', 'reason') ?? '';
  const t: Tally = { reason: statusReason || phase, ready: 0, restarts: 0, lastRestart: undefined };
  const gated = arr(pod, 'status', 'conditions').some((c) => isObject(c) && c['type'] === 'PodScheduled' && c['reason'] === 'SchedulingGated');
  if (gated) t.reason = 'SchedulingGated';
  const sidecars = arr(pod, 'spec', 'initContainers').filter((c) => isObject(c) && c['restartPolicy'] === 'Always').length;
  const total = arr(pod, 'spec', 'containers').length + sidecars;
  const init = initContainersPass(pod, t);
  if (!init.initializing || conditionTrue(pod, 'Initialized')) {
    t.restarts = init.sidecarRestarts;
    t.lastRestart = init.sidecarLast;
    containersPass(pod, t);
  }
  const deleting = str(pod, 'metadata', 'deletionTimestamp') !== undefined;
  if (deleting && statusReason === 'NodeLost') t.reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') t.reason = 'Terminating';
  let restarts = String(t.restarts);
  if (t.restarts !== 0 && t.lastRestart !== undefined) restarts = `${t.restarts} (${age(new Date(t.lastRestart).toISOString(), now)} ago)`;
  return { ready: `${t.ready}/${total}`, status: t.reason, restarts };
}

/** podIP returns the first pod IP (status.podIPs[0].ip, falling back to status.podIP), or "". */
export function podIP(pod: KubeObject): string {
  return str(pod, 'status', 'podIPs', 0, 'ip') ?? str(pod, 'status', 'podIP') ?? '';
}

function readinessGates(pod: KubeObject): string {
  const gates = arr(pod, 'spec', 'readinessGates');
  if (gates.length === 0) return '<none>';
  const conds = arr(pod, 'status', 'conditions').filter(isObject);
  const trueCount = gates.filter((g) => {
    const c = conds.find((x) => x['type'] === field(g, 'conditionType'));
    return c?.['status'] === 'True';
  }).length;
  return `${trueCount}/${gates.length}`;
}

/** podRow returns the cells NAME, READY, STATUS, RESTARTS, AGE, IP, NODE, NOMINATED NODE, READINESS GATES. */
export function podRow(pod: KubeObject, now: number): unknown[] {
  const s = podStatusSummary(pod, now);
  return [
    pod.metadata.name ?? '',
    s.ready,
    s.status,
    s.restarts,
    age(pod.metadata.creationTimestamp, now),
    podIP(pod) || '<none>',
    str(pod, 'spec', 'nodeName') || '<none>',
    str(pod, 'status', 'nominatedNodeName') || '<none>',
    readinessGates(pod),
  ];
}
