import type { ClusterView, FilterPlugin, PreBindPlugin, ReservePlugin, WeightedScorePlugin } from '../framework/plugin.js';
import { NodeUnschedulable } from './node_unschedulable/index.js';
import { NodeName } from './node_name/index.js';
import { TaintToleration } from './taint_toleration/index.js';
import { NodeReady } from './node_ready/index.js';
import { NodeAffinity } from './node_affinity/index.js';
import { NodePorts } from './node_ports/index.js';
import { NodeResourcesBalancedAllocation, NodeResourcesFit } from './node_resources/index.js';
import { PodTopologySpread } from './pod_topology_spread/index.js';
import { ImageLocality } from './image_locality/index.js';
import type { VolumeBinding } from './volume_binding/index.js';

/** DefaultPlugins are the filter plugins in run order and the weighted score plugins. */
export interface DefaultPlugins {
  filters: FilterPlugin[];
  scores: WeightedScorePlugin[];
  reserves: ReservePlugin[];
  preBinds: PreBindPlugin[];
}

/**
 * defaultPlugins is kube-scheduler's default profile as far as skiff implements it: filters in
 * upstream order (NodeReady, skiff's, right after the taint check whose message it mirrors) and
 * scores with upstream's default weights (TaintToleration 3, NodeAffinity 2,
 * PodTopologySpread 2, NodeResourcesFit 1, NodeResourcesBalancedAllocation 1, ImageLocality 1).
 * VolumeBinding, which needs the volume informers, joins (filter after NodeResourcesFit, as
 * upstream, Reserve and PreBind) when given.
 */
export function defaultPlugins(view: ClusterView, volumeBinding?: VolumeBinding): DefaultPlugins {
  const taints = new TaintToleration();
  const affinity = new NodeAffinity();
  const fit = new NodeResourcesFit();
  return {
    filters: [new NodeUnschedulable(), new NodeName(), taints, new NodeReady(), affinity, new NodePorts(), fit, ...(volumeBinding ? [volumeBinding] : [])],
    scores: [
      { plugin: taints, weight: 3 },
      { plugin: affinity, weight: 2 },
      { plugin: new PodTopologySpread(view), weight: 2 },
      { plugin: fit, weight: 1 },
      { plugin: new NodeResourcesBalancedAllocation(), weight: 1 },
      { plugin: new ImageLocality(view), weight: 1 },
    ],
    reserves: volumeBinding ? [volumeBinding] : [],
    preBinds: volumeBinding ? [volumeBinding] : [],
  };
}
