import type { FilterPlugin } from '../../framework/plugin.js';
import type { NodeInfo } from '../../framework/node_info.js';
import type { PodInfo } from '../../framework/pod_info.js';
import { SUCCESS, unresolvable, type Status } from '../../framework/status.js';
import { TAINT_UNSCHEDULABLE, tolerates } from '../../framework/taints.js';

/** ERR_REASON_UNSCHEDULABLE is upstream's NodeUnschedulable failure reason. */
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

const failure = unresolvable(ERR_REASON_UNSCHEDULABLE);
const cordonTaint = { key: TAINT_UNSCHEDULABLE, value: '', effect: 'NoSchedule' };

/**
 * NodeUnschedulable rejects cordoned nodes (spec.unschedulable) unless the pod tolerates the
 * node.kubernetes.io/unschedulable:NoSchedule taint, as DaemonSet pods do.
 */
export class NodeUnschedulable implements FilterPlugin {
  readonly name = 'NodeUnschedulable';

  /** filter passes schedulable nodes and cordoned nodes the pod tolerates. */
  filter(pod: PodInfo, node: NodeInfo): Status {
    if (!node.unschedulable || tolerates(pod.tolerations, cordonTaint)) return SUCCESS;
    return failure;
  }
}
