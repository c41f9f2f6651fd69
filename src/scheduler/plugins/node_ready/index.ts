import type { FilterPlugin } from '../../framework/plugin.js';
import type { NodeInfo } from '../../framework/node_info.js';
import type { PodInfo } from '../../framework/pod_info.js';
import { SUCCESS, unresolvable, type Status } from '../../framework/status.js';
import { TAINT_NOT_READY, TAINT_UNREACHABLE, tolerates, type Taint } from '../../framework/taints.js';

const notReady: Taint = { key: TAINT_NOT_READY, value: '', effect: 'NoSchedule' };
const unreachable: Taint = { key: TAINT_UNREACHABLE, value: '', effect: 'NoSchedule' };
const reason = (t: Taint): string => `node(s) had untolerated taint {${t.key}: ${t.value}}`;
const notReadyFailure = unresolvable(reason(notReady));
const unreachableFailure = unresolvable(reason(unreachable));

/**
 * NodeReady rejects nodes whose Ready condition is not True. Upstream relies on the node
 * lifecycle controller's not-ready/unreachable taints alone; this closes the window before the
 * taint lands by treating such a node as already tainted (Ready=False → not-ready, Unknown or
 * missing → unreachable). Pods tolerating that taint (DaemonSet pods) still pass, and the
 * failure reads exactly like the TaintToleration one it anticipates.
 */
export class NodeReady implements FilterPlugin {
  readonly name = 'NodeReady';

  /** filter passes Ready nodes and not-ready ones whose implied taint the pod tolerates. */
  filter(pod: PodInfo, node: NodeInfo): Status {
    if (node.ready === 'True') return SUCCESS;
    const taint = node.ready === 'False' ? notReady : unreachable;
    if (tolerates(pod.tolerations, taint)) return SUCCESS;
    return taint === notReady ? notReadyFailure : unreachableFailure;
  }
}
