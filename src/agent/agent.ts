import type { Client } from '../client/client.js';
import { createEventRecorder, type EventRecorder } from '../client/events.js';
import { realClock, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import { NodeFleet } from './fleet.js';
import { nodeCapacity, type Taint } from './node/config.js';
import { readSystemInfo, type SystemInfo } from './node/system_info.js';
import type { Runtime } from './runtime/runtime.js';
import { apiPodSource, KubeletMetrics, KubeletServer, type KubeletTLS, type StreamingRuntime } from './server/index.js';
import { machineOf, NodeStatsCollector } from './stats/index.js';

/** AgentOptions configure one node's agent; only client, nodeName, runtime and logger are required. */
export interface AgentOptions {
  client: Client;
  nodeName: string;
  runtime: Runtime;
  logger: Logger;
  /** labels are extra node labels (`--node-label`). */
  labels?: Record<string, string>;
  /** annotations are extra node annotations the agent owns (kept up to date at every start). */
  annotations?: Record<string, string>;
  /** taints are registered with the node (`--node-taint`). */
  taints?: Taint[];
  /** capacity overrides the machine's resources (`--node-capacity`), e.g. {cpu: '2', memory: '3Gi'}. */
  capacity?: Record<string, string>;
  /** leaseDurationSeconds: the node Lease's duration (default 40); it is renewed every quarter of it. */
  leaseDurationSeconds?: number;
  /** statusUpdateFrequencyMs: how often node status is posted (default 10 s). */
  statusUpdateFrequencyMs?: number;
  /** nodeIP is the InternalIP (default: the first non-loopback IPv4 address). */
  nodeIP?: string;
  /** nodeExternalIP is the node's ExternalIP address (`--node-external-ip`). */
  nodeExternalIP?: string;
  clock?: Clock;
  /** roles become node-role.kubernetes.io/<role>=true labels: ['control-plane', 'master'] on a server, [] on agents. */
  roles?: string[];
  /** system describes the machine (default: read from it, sizing ephemeral storage from dataDir). */
  system?: SystemInfo;
  dataDir?: string;
  /** recorder writes the kubelet's Events (default: a recorder for component "kubelet"; false for none). */
  recorder?: EventRecorder | false;
  /** kubelet serves the kubelet API (logs, exec, attach, port-forward) on nodeIP:port (default 10250) when set. */
  kubelet?: { tls: KubeletTLS; streaming: StreamingRuntime; port?: number };
}

/**
 * Agent is the node agent (the kubelet's job) for one node: it registers the Node, keeps its lease
 * and status fresh, and runs the pods bound to it through a Runtime. `skiff agent` and the server's
 * embedded agent both use it.
 */
export class Agent {
  private fleet: NodeFleet | undefined;
  private kubelet: KubeletServer | undefined;

  constructor(private readonly opts: AgentOptions) {
    if (!opts.nodeName) throw new Error('the node agent needs a node name');
  }

  /**
   * start registers the node (retrying until the API answers), then keeps running in the
   * background until stop() or the signal aborts; it resolves once the node is registered. Pods
   * start once the server has assigned the node a pod CIDR.
   */
  async start(signal: AbortSignal): Promise<void> {
    const o = this.opts;
    const clock = o.clock ?? realClock;
    const system = o.system ?? (await readSystemInfo(o.dataDir));
    const config = {
      nodeName: o.nodeName,
      nodeIP: o.nodeIP || system.defaultIPv4,
      ...(o.nodeExternalIP ? { nodeExternalIP: o.nodeExternalIP } : {}),
      labels: o.labels ?? {},
      taints: o.taints ?? [],
      capacity: nodeCapacity(system, o.capacity),
      roles: o.roles ?? [],
      runtimeVersion: o.runtime.version(),
      ...(o.annotations ? { annotations: o.annotations } : {}),
    };
    const recorder = o.recorder === false ? undefined : (o.recorder ?? createEventRecorder({ client: o.client, component: 'kubelet', host: o.nodeName, clock, logger: o.logger }));
    const fleetOpts = {
      client: o.client,
      clock,
      logger: o.logger,
      system,
      leaseDurationSeconds: o.leaseDurationSeconds ?? 40,
      statusUpdateFrequencyMs: o.statusUpdateFrequencyMs ?? 10_000,
      podFieldSelector: `spec.nodeName=${o.nodeName}`,
      nodeFieldSelector: `metadata.name=${o.nodeName}`,
    };
    this.fleet = new NodeFleet(recorder ? { ...fleetOpts, recorder } : fleetOpts, [{ config, runtime: o.runtime }]);
    await this.fleet.start(signal);
    if (o.kubelet && !signal.aborted) {
      const k = o.kubelet;
      const rt = o.runtime;
      const stats = rt.stats ? new NodeStatsCollector({ nodeName: o.nodeName, source: () => rt.stats?.() ?? Promise.reject(new Error('no stats')), clock, machine: machineOf(config.capacity) }) : undefined;
      this.kubelet = new KubeletServer({ bindAddress: config.nodeIP, tls: k.tls, runtime: k.streaming, pods: apiPodSource(o.client, o.nodeName), metrics: new KubeletMetrics(() => this.fleet?.pods(o.nodeName) ?? []), logger: o.logger.child('kubelet-api'), clock, ...(k.port !== undefined ? { port: k.port } : {}), ...(stats ? { stats } : {}) });
      await this.kubelet.start();
      signal.addEventListener('abort', () => void this.kubelet?.stop(), { once: true });
    }
  }

  /** stop ends heartbeats and pod work, leaving pods as they are (a powered-off node). */
  stop(): void {
    this.fleet?.stop();
    void this.kubelet?.stop();
  }

  /** updateKubeletTLS serves the kubelet API with a renewed certificate from the next connection on; false when there is no kubelet API. */
  updateKubeletTLS(tls: KubeletTLS): boolean {
    if (!this.kubelet) return false;
    this.kubelet.updateTLS(tls);
    return true;
  }

  /** podCIDR is the node's pod CIDR once assigned. */
  get podCIDR(): string | undefined {
    return this.fleet?.podCIDR(this.opts.nodeName);
  }

  /** running tells whether the node runs pods (pod CIDR known, earlier pods re-adopted). */
  get running(): boolean {
    return this.fleet?.isActive(this.opts.nodeName) === true;
  }
}
