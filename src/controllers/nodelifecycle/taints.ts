import type { KubeObject } from '../../api/types.js';
import { isObject } from '../../api/types.js';
import { arr, field, str } from '../../api/object.js';
import { conditionOf, rfc3339 } from './conditions.js';

/** Well-known taint keys the node lifecycle controller manages. */
export const TAINT = {
  notReady: 'node.kubernetes.io/not-ready',
  unreachable: 'node.kubernetes.io/unreachable',
  unschedulable: 'node.kubernetes.io/unschedulable',
  memoryPressure: 'node.kubernetes.io/memory-pressure',
  diskPressure: 'node.kubernetes.io/disk-pressure',
  pidPressure: 'node.kubernetes.io/pid-pressure',
  networkUnavailable: 'node.kubernetes.io/network-unavailable',
} as const;

/** Taint is a node taint. */
export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

const conditionTaints: [condition: string, status: string, key: string][] = [
  ['Ready', 'False', TAINT.notReady],
  ['Ready', 'Unknown', TAINT.unreachable],
  ['MemoryPressure', 'True', TAINT.memoryPressure],
  ['DiskPressure', 'True', TAINT.diskPressure],
  ['PIDPressure', 'True', TAINT.pidPressure],
  ['NetworkUnavailable', 'True', TAINT.networkUnavailable],
];

const managed = new Set<string>([
  ...conditionTaints.map(([, , k]) => `${k}:NoSchedule`),
  `${TAINT.notReady}:NoExecute`,
  `${TAINT.unreachable}:NoExecute`,
  `${TAINT.unschedulable}:NoSchedule`,
]);

const id = (t: Taint): string => `${t.key}:${t.effect}`;

/** nodeTaints returns a node's spec.taints. */
export function nodeTaints(node: KubeObject): Taint[] {
  return arr(node, 'spec', 'taints').filter(isObject).map((t) => t as unknown as Taint);
}

/** wantedTaints returns the controller-managed taints a node's conditions and spec call for (without times). */
export function wantedTaints(node: KubeObject): Taint[] {
  const out: Taint[] = [];
  for (const [type, status, key] of conditionTaints) {
    if (str(conditionOf(node, type), 'status') === status) out.push({ key, effect: 'NoSchedule' });
  }
  const ready = str(conditionOf(node, 'Ready'), 'status');
  if (ready === 'False') out.push({ key: TAINT.notReady, effect: 'NoExecute' });
  if (ready === 'Unknown') out.push({ key: TAINT.unreachable, effect: 'NoExecute' });
  if (field(node, 'spec', 'unschedulable') === true) out.push({ key: TAINT.unschedulable, effect: 'NoSchedule' });
  return out;
}

/**
 * reconcileTaints returns the node's new taint list, or undefined when it is already right:
 * managed taints that no longer apply are removed, missing ones added (NoExecute ones stamped with
 * timeAdded, which taint eviction counts from), and every other taint is kept untouched.
 */
export function reconcileTaints(node: KubeObject, now: number): Taint[] | undefined {
  const current = nodeTaints(node);
  const wanted = wantedTaints(node);
  const wantedIds = new Set(wanted.map(id));
  const kept = current.filter((t) => !managed.has(id(t)) || wantedIds.has(id(t)));
  const have = new Set(kept.map(id));
  const added = wanted.filter((t) => !have.has(id(t))).map((t) => (t.effect === 'NoExecute' ? { ...t, timeAdded: rfc3339(now) } : t));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}
