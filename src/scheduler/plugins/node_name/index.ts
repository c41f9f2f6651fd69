import type { FilterPlugin } from '../../framework/plugin.js';
import type { NodeInfo } from '../../framework/node_info.js';
import type { PodInfo } from '../../framework/pod_info.js';
import { SKIP, SUCCESS, unresolvable, type Status } from '../../framework/status.js';

/** ERR_REASON_NODE_NAME is upstream's NodeName failure reason. */
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

const failure = unresolvable(ERR_REASON_NODE_NAME);

/** NodeName passes only the node a pod names in spec.nodeName (every node when it names none). */
export class NodeName implements FilterPlugin {
  readonly name = 'NodeName';

  /** preFilter skips pods that name no node. */
  preFilter(pod: PodInfo): Status {
    return pod.nodeName === '' ? SKIP : SUCCESS;
  }

  /** filter compares spec.nodeName with the node's name. */
  filter(pod: PodInfo, node: NodeInfo): Status {
    return pod.nodeName === '' || pod.nodeName === node.name ? SUCCESS : failure;
  }
}
