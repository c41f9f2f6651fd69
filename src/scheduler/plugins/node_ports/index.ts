import type { FilterPlugin } from '../../framework/plugin.js';
import type { NodeInfo } from '../../framework/node_info.js';
import type { PodInfo } from '../../framework/pod_info.js';
import { SKIP, SUCCESS, unschedulable, type Status } from '../../framework/status.js';

/** ERR_REASON_NODE_PORTS is upstream's NodePorts failure reason. */
export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

const failure = unschedulable(ERR_REASON_NODE_PORTS);

/**
 * NodePorts rejects nodes where a requested hostPort (same protocol and port, overlapping host
 * IP, 0.0.0.0 overlapping every IP) is already used by a pod there.
 */
export class NodePorts implements FilterPlugin {
  readonly name = 'NodePorts';

  /** preFilter skips pods without host ports. */
  preFilter(pod: PodInfo): Status {
    return pod.hostPorts.length === 0 ? SKIP : SUCCESS;
  }

  /** filter checks each of the pod's host ports against the node's used ports. */
  filter(pod: PodInfo, node: NodeInfo): Status {
    for (const hp of pod.hostPorts) if (node.portConflicts(hp)) return failure;
    return SUCCESS;
  }
}
