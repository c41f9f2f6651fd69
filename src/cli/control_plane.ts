import type { Logger } from '../lib/log.js';
import { realClock } from '../lib/clock.js';
import { Client } from '../client/client.js';
import { SharedInformers } from '../client/shared_informers.js';
import { createEventRecorder } from '../client/events.js';
import type { ApiCore } from '../apiserver/core.js';
import { InProcessTransport } from '../apiserver/in_process.js';
import type { ControllerContext, ControllerStarter } from '../controllers/context.js';
import { startReplicaSetController } from '../controllers/replicaset/index.js';
import { startDeploymentController } from '../controllers/deployment/index.js';
import { startNamespaceController } from '../controllers/namespace/index.js';
import { startServiceAccountController } from '../controllers/serviceaccount/index.js';
import { startEndpointsController } from '../controllers/endpoints/index.js';
import { startEndpointSliceController } from '../controllers/endpointslice/index.js';
import { startNodeIpamController } from '../controllers/nodeipam/index.js';
import { startNodeLifecycleController, startTaintEvictionController } from '../controllers/nodelifecycle/index.js';
import { startPodGCController } from '../controllers/podgc/index.js';
import { startJobController } from '../controllers/job/index.js';
import { startCronJobController } from '../controllers/cronjob/index.js';
import { startStatefulSetController } from '../controllers/statefulset/index.js';
import { startScheduler } from '../scheduler/index.js';
import { Agent, FakeRuntime, parseNodeCapacity, parseNodeLabel, parseNodeTaint } from '../agent/index.js';
import type { ServerConfig } from './server.js';
import { UsageError } from './flags.js';

/** CONTROLLERS are kube-controller-manager's loops that skiff runs, by name. */
const CONTROLLERS: [string, ControllerStarter][] = [
  ['replicaset', startReplicaSetController],
  ['deployment', startDeploymentController],
  ['namespace', startNamespaceController],
  ['serviceaccount', startServiceAccountController],
  ['endpoints', startEndpointsController],
  ['endpointslice', startEndpointSliceController],
  ['nodeipam', startNodeIpamController],
  ['nodelifecycle', startNodeLifecycleController],
  ['tainteviction', startTaintEvictionController],
  ['podgc', startPodGCController],
  ['job', startJobController],
  ['cronjob', startCronJobController],
  ['statefulset', startStatefulSetController],
];

/**
 * startControlLoops runs the controllers and the scheduler inside the server, on an in-process
 * client (same request chain as HTTPS clients), until the signal aborts.
 */
export function startControlLoops(core: ApiCore, cfg: ServerConfig, logger: Logger, signal: AbortSignal): void {
  const client = new Client(new InProcessTransport(core, { name: 'system:kube-controller-manager', groups: ['system:masters'] }));
  const informers = new SharedInformers(client, logger.child('informers'));
  const ctx: ControllerContext = {
    client,
    informers,
    recorder: (component) => createEventRecorder({ client, component, clock: realClock, logger }),
    clock: realClock,
    logger: logger.child('controller-manager'),
    signal,
    config: {
      clusterCIDR: cfg.clusterCIDR,
      nodeCIDRMaskSize: 24,
      serviceCIDR: cfg.serviceCIDR,
      nodeMonitorGracePeriodMs: cfg.nodeMonitorGracePeriodMs,
      clusterDomain: cfg.clusterDomain,
    },
  };
  const run = (name: string, p: Promise<void>): void => {
    p.catch((e: unknown) => {
      if (!signal.aborted) logger.error(`${name} stopped with an error`, { err: (e as Error).stack ?? String(e) });
    });
  };
  if (!cfg.disableControllerManager) for (const [name, start] of CONTROLLERS) run(name, start({ ...ctx, logger: ctx.logger.child(name) }));
  if (!cfg.disableScheduler) run('scheduler', startScheduler(ctx));
  informers.start(signal);
}

/** startEmbeddedAgent runs the server's own node (the controller machine is a node too). */
export async function startEmbeddedAgent(core: ApiCore, cfg: ServerConfig, logger: Logger, signal: AbortSignal): Promise<Agent | undefined> {
  const a = cfg.agent;
  if (a.runtime !== 'fake') {
    logger.warn(`the ${a.runtime} runtime is not available in this build: the server runs without a node of its own (use --runtime fake for a simulated node, or --disable-agent)`);
    return undefined;
  }
  let labels: Record<string, string>;
  let taints;
  let capacity;
  try {
    labels = Object.fromEntries(a.labels.map(parseNodeLabel));
    taints = a.taints.map(parseNodeTaint);
    capacity = parseNodeCapacity(a.capacity);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const client = new Client(new InProcessTransport(core, { name: `system:node:${a.nodeName}`, groups: ['system:nodes'] }));
  const agent = new Agent({
    client,
    nodeName: a.nodeName,
    runtime: new FakeRuntime({ clock: realClock }),
    logger: logger.child('agent'),
    labels,
    taints,
    capacity,
    leaseDurationSeconds: a.leaseDurationSeconds,
    statusUpdateFrequencyMs: a.statusUpdateFrequencyMs,
    nodeIP: a.nodeIP || cfg.advertiseAddress,
    dataDir: cfg.dataDir,
    roles: ['control-plane', 'master'],
  });
  await agent.start(signal);
  return agent;
}
