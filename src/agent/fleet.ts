import type { KubeObject } from '../api/types.js';
import { str } from '../api/object.js';
import { R, type Client } from '../client/client.js';
import { runController } from '../client/controller.js';
import type { EventRecorder } from '../client/events.js';
import { Informer, objectKeyOf } from '../client/informer.js';
import { WorkQueue } from '../client/workqueue.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import { forEachLimit } from './limit.js';
import { LeaseRenewer } from './node/heartbeat.js';
import { buildNode, type NodeConfig } from './node/node_object.js';
import { registerNode } from './node/registration.js';
import { NodeStatusPoster } from './node/status_poster.js';
import type { SystemInfo } from './node/system_info.js';
import { PodSyncer, type PodHost } from './pods/pod_sync.js';
import type { Runtime } from './runtime/runtime.js';

/** FleetNode is one node a fleet runs: its object's shape and its runtime. */
export interface FleetNode {
  config: NodeConfig;
  runtime: Runtime;
}

/** NodeFleetOptions configure a NodeFleet. */
export interface NodeFleetOptions {
  client: Client;
  clock: Clock;
  logger: Logger;
  system: SystemInfo;
  leaseDurationSeconds: number;
  statusUpdateFrequencyMs: number;
  /** podFieldSelector picks the pods mirrored: `spec.nodeName=<node>` for one node, `spec.nodeName!=` for many. */
  podFieldSelector: string;
  /** nodeFieldSelector picks the Nodes mirrored (`metadata.name=<node>` for one node; all when absent). */
  nodeFieldSelector?: string;
  /** workers sync pods in parallel (default 4); concurrency caps registrations and heartbeats in flight (default 8). */
  workers?: number;
  concurrency?: number;
  recorder?: EventRecorder;
}

interface Host extends PodHost {
  config: NodeConfig;
  activating: boolean;
  podCIDR?: string;
}

/**
 * NodeFleet is the node agent for one or many nodes in one process: it registers the Nodes,
 * renews their leases, posts their status, waits for each node's pod CIDR, re-adopts the pods the
 * API says run there, then runs their pods through each node's runtime. All nodes share one Node
 * informer, one pod informer, one work queue and batched heartbeats, so a node costs little memory.
 */
export class NodeFleet {
  private readonly hosts = new Map<string, Host>();
  private readonly abort = new AbortController();
  private readonly queue: WorkQueue;
  private readonly nodeInformer: Informer;
  private readonly podInformer: Informer;
  private readonly leases: LeaseRenewer;
  private readonly poster: NodeStatusPoster;
  private readonly syncer: PodSyncer;

  constructor(private readonly opts: NodeFleetOptions, nodes: FleetNode[]) {
    const { client, clock, logger } = opts;
    for (const n of nodes) this.hosts.set(n.config.nodeName, { config: n.config, nodeName: n.config.nodeName, nodeIP: n.config.nodeIP, runtime: n.runtime, active: false, activating: false });
    this.queue = new WorkQueue(clock, { baseDelayMs: 200, maxDelayMs: 30_000 });
    // Runtimes that notice status changes themselves (container exits, probes) ask for a re-sync.
    for (const n of nodes) n.runtime.setChangeHandler?.((p) => this.queue.add(`${p.namespace}/${p.name}`));
    const nodeOpts = opts.nodeFieldSelector ? { fieldSelector: opts.nodeFieldSelector } : {};
    this.nodeInformer = new Informer({ client: client.resource(R.nodes), logger: logger.child('informer/nodes'), ...nodeOpts });
    this.podInformer = new Informer({ client: client.resource(R.pods), fieldSelector: opts.podFieldSelector, logger: logger.child('informer/pods'), indexers: { node: (p) => [str(p, 'spec', 'nodeName') ?? ''] } });
    const concurrency = opts.concurrency ?? 8;
    this.leases = new LeaseRenewer({ client, clock, logger, leaseDurationSeconds: opts.leaseDurationSeconds, concurrency });
    this.poster = new NodeStatusPoster({ client, clock, logger, system: opts.system, frequencyMs: opts.statusUpdateFrequencyMs, concurrency, nodeFromCache: (name) => this.nodeInformer.get(name), imagesOf: (name) => this.hosts.get(name)?.runtime.listImages?.() });
    const syncerOpts = { pods: client.resource(R.pods), informer: this.podInformer, hostOf: (name: string) => this.hosts.get(name), clock, logger };
    this.syncer = new PodSyncer(opts.recorder ? { ...syncerOpts, recorder: opts.recorder } : syncerOpts);
    const onNode = (n: KubeObject): void => this.onNode(n);
    this.nodeInformer.addHandlers({ onAdd: onNode, onUpdate: (_, n) => onNode(n) });
    const onPod = (p: KubeObject): void => {
      if (this.hosts.get(str(p, 'spec', 'nodeName') ?? '')?.active) this.queue.add(objectKeyOf(p));
    };
    this.podInformer.addHandlers({ onAdd: onPod, onUpdate: (_, p) => onPod(p), onDelete: onPod });
  }

  /** start registers every node, then runs heartbeats and pods in the background until stop() or the signal; it resolves once all nodes are registered. */
  async start(signal: AbortSignal): Promise<void> {
    const inner = this.abort.signal;
    if (signal.aborted) this.stop();
    else signal.addEventListener('abort', () => this.stop(), { once: true });
    void this.nodeInformer.run(inner);
    void this.podInformer.run(inner);
    await forEachLimit([...this.hosts.values()], this.opts.concurrency ?? 8, async (host) => {
      const node = await registerNode(this.opts.client, buildNode(host.config, this.opts.system, this.opts.clock.now()), { clock: this.opts.clock, logger: this.opts.logger, signal: inner });
      this.leases.add(host.nodeName, node.metadata.uid ?? '');
      this.poster.add(host.config);
      // One line per node is useful for one agent, noise for a thousand simulated nodes.
      const log = this.hosts.size === 1 ? this.opts.logger.info : this.opts.logger.debug;
      log('node registered', { node: host.nodeName });
      if (!str(node, 'spec', 'podCIDR')) log('waiting for pod CIDR', { node: host.nodeName });
      this.onNode(node);
    });
    if (inner.aborted) throw new Error('node agent stopped before its nodes registered');
    this.leases.start();
    this.poster.start();
    void runController({ name: 'kubelet-pods', queue: this.queue, sync: (key) => this.syncer.sync(key), workers: this.opts.workers ?? 4, logger: this.opts.logger, signal: inner });
  }

  /** stop ends heartbeats and pod work; pods are left as they are (as on a node that powered off). */
  stop(): void {
    this.leases.stop();
    this.poster.stop();
    this.abort.abort();
  }

  /** podCIDR is a node's pod CIDR once the server assigned it. */
  podCIDR(nodeName: string): string | undefined {
    return this.hosts.get(nodeName)?.podCIDR;
  }

  /** pods lists the pods bound to a node, as the pod informer last saw them (not copies: read only). */
  pods(nodeName: string): KubeObject[] {
    return this.podInformer.byIndex('node', nodeName);
  }

  /** active tells whether a node runs pods (it has a pod CIDR and re-adopted its pods). */
  isActive(nodeName: string): boolean {
    return this.hosts.get(nodeName)?.active === true;
  }

  private onNode(node: KubeObject): void {
    const host = this.hosts.get(node.metadata.name ?? '');
    if (!host || this.abort.signal.aborted) return;
    this.poster.observe(node);
    const cidr = str(node, 'spec', 'podCIDR');
    if (!cidr || host.active || host.activating) return;
    host.activating = true;
    void this.activate(host, cidr).catch((e: Error) => {
      host.activating = false;
      this.opts.logger.error('cannot use the node pod CIDR', { node: host.nodeName, podCIDR: cidr, err: e.message });
    });
  }

  /** activate hands the pod CIDR to the runtime, re-adopts running pods, then lets the node's pods sync. */
  private async activate(host: Host, cidr: string): Promise<void> {
    host.runtime.updatePodCIDR(cidr);
    host.podCIDR = cidr;
    await this.podInformer.waitForSync();
    for (const pod of this.podInformer.byIndex('node', host.nodeName)) await this.syncer.restore(pod, host);
    host.active = true;
    host.activating = false;
    (this.hosts.size === 1 ? this.opts.logger.info : this.opts.logger.debug)('pod CIDR assigned; running pods', { node: host.nodeName, podCIDR: cidr });
    for (const pod of this.podInformer.byIndex('node', host.nodeName)) this.queue.add(objectKeyOf(pod));
  }
}
