import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import type { Client } from '../client/client.js';
import type { SharedInformers } from '../client/shared_informers.js';
import type { EventRecorder } from '../client/events.js';

/** ControllerConfig carries the server flags controllers act on. */
export interface ControllerConfig {
  clusterCIDR: string;
  /** nodeCIDRMaskSize: the prefix length of each node's pod CIDR (24). */
  nodeCIDRMaskSize: number;
  serviceCIDR: string;
  /** nodeMonitorGracePeriodMs: lease silence after which a node is Unknown (40 s upstream). */
  nodeMonitorGracePeriodMs: number;
  /** podEvictionTimeoutMs is unused upstream since taint-based eviction; kept for completeness. */
  clusterDomain: string;
  /** rootCAPem is the CA bundle that verifies the API server, published to every namespace as `kube-root-ca.crt`. */
  rootCAPem?: string;
}

/** ControllerContext is everything a controller receives: no globals, no other controllers. */
export interface ControllerContext {
  client: Client;
  informers: SharedInformers;
  recorder: (component: string) => EventRecorder;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  config: ControllerConfig;
}

/** ControllerStarter registers informer handlers synchronously and returns the controller's run promise. */
export type ControllerStarter = (ctx: ControllerContext) => Promise<void>;
