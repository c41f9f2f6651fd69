import type { KubeObject } from '../../api/types.js';
import { NodeInfo } from '../framework/node_info.js';
import type { PodInfo } from '../framework/pod_info.js';

interface PodState {
  info: PodInfo;
  node: string;
  /** assumed: placed by this scheduler, bind not yet seen through the informer. */
  assumed: boolean;
}

/**
 * SchedulerCache aggregates nodes and the pods bound to them into NodeInfos. Pods the scheduler
 * has decided on are "assumed" at once, so the next pod sees their requests without waiting for
 * the bind to come back through the informer; a failed bind forgets them. It also keeps the
 * per-owner placement and per-image node counts that scoring reads.
 */
export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, PodState>();
  private readonly owners = new Map<string, Map<string, number>>();
  private readonly imageNodes = new Map<string, number>();
  private listCache: NodeInfo[] | undefined;

  /** setNode adds or updates a node. */
  setNode(node: KubeObject): void {
    const name = node.metadata.name ?? '';
    const info = this.ensureNode(name);
    if (!info.node) this.listCache = undefined;
    this.countImages(info, -1);
    info.setNode(node);
    this.countImages(info, 1);
  }

  /** removeNode forgets a node; pods still bound there keep a placeholder until they go. */
  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    this.countImages(info, -1);
    info.node = undefined;
    info.images = new Map();
    if (info.pods.size === 0) this.nodes.delete(name);
    this.listCache = undefined;
  }

  /** nodeList returns the nodes (with a Node object) in a stable order; do not modify. */
  nodeList(): readonly NodeInfo[] {
    this.listCache ??= [...this.nodes.values()].filter((n) => n.node !== undefined);
    return this.listCache;
  }

  /** nodeInfo returns a node's info by name. */
  nodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  /** nodeCount is the number of nodes with a Node object. */
  nodeCount(): number {
    return this.nodeList().length;
  }

  /** addPod records a pod the informer shows bound (confirming or moving an assumed one). */
  addPod(info: PodInfo): void {
    this.place(info, info.nodeName, false);
  }

  /** assumePod places a pod on a node before its binding is confirmed. */
  assumePod(info: PodInfo, nodeName: string): void {
    this.place(info, nodeName, true);
  }

  /** forgetPod drops an assumed pod (its bind failed); confirmed pods are kept. */
  forgetPod(key: string): void {
    if (this.pods.get(key)?.assumed) this.removePod(key);
  }

  /** isAssumed tells whether a pod is assumed and not yet confirmed. */
  isAssumed(key: string): boolean {
    return this.pods.get(key)?.assumed === true;
  }

  /** hasPod tells whether the cache places the pod on some node (assumed or bound). */
  hasPod(key: string): boolean {
    return this.pods.has(key);
  }

  /** removePod drops a pod from its node. */
  removePod(key: string): void {
    const st = this.pods.get(key);
    if (!st) return;
    this.pods.delete(key);
    const node = this.nodes.get(st.node);
    node?.removePod(key);
    if (node && !node.node && node.pods.size === 0) this.nodes.delete(st.node);
    this.countOwner(st.info, st.node, -1);
  }

  /** ownerPlacement maps node name → pods of the owner there. */
  ownerPlacement(ownerUID: string): ReadonlyMap<string, number> {
    return this.owners.get(ownerUID) ?? new Map<string, number>();
  }

  /** anyImages tells whether any node reports images. */
  anyImages(): boolean {
    return this.imageNodes.size > 0;
  }

  /** imageNodeCount is how many nodes report the image. */
  imageNodeCount(image: string): number {
    return this.imageNodes.get(image) ?? 0;
  }

  private place(info: PodInfo, nodeName: string, assumed: boolean): void {
    if (this.pods.has(info.key)) this.removePod(info.key);
    this.pods.set(info.key, { info, node: nodeName, assumed });
    this.ensureNode(nodeName).addPod(info);
    this.countOwner(info, nodeName, 1);
  }

  private ensureNode(name: string): NodeInfo {
    let info = this.nodes.get(name);
    if (!info) this.nodes.set(name, (info = new NodeInfo(name)));
    return info;
  }

  private countOwner(info: PodInfo, nodeName: string, delta: number): void {
    if (!info.ownerUID) return;
    let m = this.owners.get(info.ownerUID);
    if (!m) this.owners.set(info.ownerUID, (m = new Map()));
    const n = (m.get(nodeName) ?? 0) + delta;
    if (n > 0) m.set(nodeName, n);
    else m.delete(nodeName);
    if (m.size === 0) this.owners.delete(info.ownerUID);
  }

  private countImages(info: NodeInfo, delta: number): void {
    for (const img of info.images.keys()) {
      const n = (this.imageNodes.get(img) ?? 0) + delta;
      if (n > 0) this.imageNodes.set(img, n);
      else this.imageNodes.delete(img);
    }
  }
}
