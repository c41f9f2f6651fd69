import type { KubeObject } from '../../api/types.js';
import { arr, str } from '../../api/object.js';
import { R, type Client } from '../../client/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import { forEachLimit } from '../limit.js';
import { nodeConditions, nodeStatus, type NodeConfig } from './node_object.js';
import type { SystemInfo } from './system_info.js';
import type { NodeImage } from '../runtime/runtime.js';

/** NodeStatusPosterOptions configure a NodeStatusPoster. */
export interface NodeStatusPosterOptions {
  client: Client;
  clock: Clock;
  logger: Logger;
  system: SystemInfo;
  /** frequencyMs is `--node-status-update-frequency`. */
  frequencyMs: number;
  /** nodeFromCache returns the last Node seen (for lastTransitionTime and change detection). */
  nodeFromCache(name: string): KubeObject | undefined;
  /** imagesOf reports a node's images for status.images (nodes whose runtime has none: undefined). */
  imagesOf?(name: string): Promise<NodeImage[]> | undefined;
  concurrency?: number;
}

/** MAX_NODE_IMAGES is how many images a node reports, largest first (the kubelet's default). */
const MAX_NODE_IMAGES = 50;

/**
 * NodeStatusPoster posts each held node's status (addresses, capacity, nodeInfo, conditions with a
 * fresh lastHeartbeatTime) every frequencyMs, and at once when the API's copy drifts from what the
 * agent reports (e.g. the node controller marked it Unknown while the agent was away).
 */
export class NodeStatusPoster {
  private readonly nodes = new Map<string, NodeConfig>();
  private readonly inFlight = new Set<string>();
  private cancel: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly opts: NodeStatusPosterOptions) {}

  /** add holds a node; its status is posted at the next round. */
  add(cfg: NodeConfig): void {
    this.nodes.set(cfg.nodeName, cfg);
  }

  /** start posts every node's status now and then every frequencyMs, until stop(). */
  start(): void {
    const round = async (): Promise<void> => {
      if (this.stopped) return;
      await forEachLimit([...this.nodes.keys()], this.opts.concurrency ?? 8, (name) => this.post(name));
      if (!this.stopped) this.cancel = this.opts.clock.setTimeout(() => void round(), this.opts.frequencyMs);
    };
    void round();
  }

  /** stop ends posting. */
  stop(): void {
    this.stopped = true;
    this.cancel?.();
  }

  /** observe checks a Node seen in the API and posts its status at once when its conditions drifted. */
  observe(node: KubeObject): void {
    const name = node.metadata.name ?? '';
    if (this.stopped || !this.nodes.has(name) || this.inFlight.has(name)) return;
    const want = nodeConditions(this.opts.clock.now());
    const have = arr(node, 'status', 'conditions');
    const drifted = want.some((w) => !have.some((h) => str(h, 'type') === w['type'] && str(h, 'status') === w['status']));
    if (drifted) void this.post(name);
  }

  /** post sends one node's status; failures are logged and retried at the next round. */
  async post(name: string): Promise<void> {
    const cfg = this.nodes.get(name);
    if (!cfg || this.inFlight.has(name)) return;
    this.inFlight.add(name);
    try {
      const prev = arr(this.opts.nodeFromCache(name), 'status', 'conditions');
      const status: Record<string, unknown> = nodeStatus(cfg, this.opts.system, this.opts.clock.now(), prev);
      const images = await this.opts.imagesOf?.(name)?.catch(() => undefined);
      if (images) status.images = [...images].sort((a, b) => b.sizeBytes - a.sizeBytes).slice(0, MAX_NODE_IMAGES);
      await this.opts.client.resource(R.nodes).patch('', name, 'merge', { status }, 'status');
    } catch (e) {
      this.opts.logger.warn('failed to post node status', { node: name, err: (e as Error).message });
    } finally {
      this.inFlight.delete(name);
    }
  }
}
