import { MAX_NODE_SCORE, type ClusterView, type ScorePlugin } from '../../framework/plugin.js';
import type { NodeInfo } from '../../framework/node_info.js';
import type { PodInfo } from '../../framework/pod_info.js';
import { SKIP, SUCCESS, type Status } from '../../framework/status.js';

const MB = 1024 * 1024;
/** MIN_THRESHOLD and MAX_CONTAINER_THRESHOLD bound the image bytes that count, as upstream. */
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/**
 * ImageLocality favours nodes that already hold the pod's images (node.status.images): the sum
 * of their sizes, each scaled by the share of nodes holding it (so an image everywhere does not
 * pull every pod to one node), mapped onto 0–100 between 23 MiB and 1000 MiB per container.
 */
export class ImageLocality implements ScorePlugin {
  readonly name = 'ImageLocality';

  constructor(private readonly view: ClusterView) {}

  /** preScore skips pods without images (and clusters where no node reports images). */
  preScore(pod: PodInfo): Status {
    return pod.images.length === 0 || !this.view.anyImages() ? SKIP : SUCCESS;
  }

  /** score is the scaled size of the pod's images present on the node. */
  score(pod: PodInfo, node: NodeInfo): number {
    if (pod.images.length === 0 || node.images.size === 0) return 0;
    const total = Math.max(1, this.view.nodeCount());
    let sum = 0;
    for (const img of pod.images) {
      const size = node.images.get(img);
      if (size) sum += size * (this.view.imageNodeCount(img) / total);
    }
    const max = MAX_CONTAINER_THRESHOLD * pod.images.length;
    const clamped = Math.min(max, Math.max(MIN_THRESHOLD, sum));
    return Math.floor((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (max - MIN_THRESHOLD));
  }
}
