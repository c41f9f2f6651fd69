import type { KubeObject } from '../../api/types.js';
import { isObject } from '../../api/types.js';
import { arr, ensureObj, str } from '../../api/object.js';

/** MONITORED_CONDITIONS are the node conditions set to Unknown when the kubelet goes silent. */
export const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** rfc3339 formats ms since the epoch as Kubernetes timestamps (seconds precision). */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** conditionOf returns a node or pod condition by type. */
export function conditionOf(obj: KubeObject, type: string): Record<string, unknown> | undefined {
  return arr(obj, 'status', 'conditions').filter(isObject).find((c) => c.type === type);
}

/** readyStatus returns the node's Ready condition status ("True", "False", "Unknown"), or undefined. */
export function readyStatus(node: KubeObject): string | undefined {
  return str(conditionOf(node, 'Ready'), 'status');
}

/**
 * markNodeUnknown sets the monitored conditions of a node (a private copy) to Unknown, as the node
 * lifecycle controller does for a silent kubelet: reason NodeStatusUnknown, or NodeStatusNeverUpdated
 * for conditions the kubelet never posted. Returns whether anything changed.
 */
export function markNodeUnknown(node: KubeObject, now: number): boolean {
  const status = ensureObj(node, 'status');
  const conditions = arr(node, 'status', 'conditions').filter(isObject);
  let changed = false;
  for (const type of MONITORED_CONDITIONS) {
    const c = conditions.find((x) => x.type === type);
    if (!c) {
      conditions.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata.creationTimestamp ?? rfc3339(now),
        lastTransitionTime: rfc3339(now),
      });
      changed = true;
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: rfc3339(now) });
      changed = true;
    }
  }
  status.conditions = conditions;
  return changed;
}
