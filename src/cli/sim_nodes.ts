import { setMaxListeners } from 'node:events';
import { FakeRuntime, NodeFleet, nodeCapacity, readSystemInfo, type FleetNode } from '../agent/index.js';
import { Client } from '../client/client.js';
import { realClock } from '../lib/clock.js';
import { createLogger } from '../lib/log.js';
import { joinCluster, signalAbort } from './agent.js';
import { kubeconfigTransport, readKubeconfig } from './kubeconfig_client.js';
import { nodeFlagsConfig } from './agent_flags.js';
import { UsageError, type FlagValues } from './flags.js';

/** SIMULATED_NODE_LABEL marks simulated nodes. */
export const SIMULATED_NODE_LABEL = 'skiff.io/simulated';

/**
 * runSimNodes runs `skiff sim-nodes`: N nodes with the fake runtime in one process, sharing one
 * HTTPS transport, one pod watch and batched heartbeats, until SIGTERM/SIGINT.
 */
export async function runSimNodes(values: FlagValues): Promise<void> {
  const cfg = nodeFlagsConfig(values);
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`invalid --count ${count}: want a positive number of nodes`);
  const prefix = String(values['name-prefix'] ?? 'sim-');
  const logger = createLogger({ level: cfg.debug ? 'debug' : 'info', component: 'sim-nodes' });
  const signal = signalAbort();
  // Every simulated node waits on this one signal (registration, leases, status): a few listeners each, not a leak.
  setMaxListeners(10 + count * 10, signal);
  // One process stands in for many nodes: a single node identity may act only for itself under the
  // Node authorizer, so against an RBAC server the simulation uses the admin's credentials.
  const kubeconfig = String(values.kubeconfig ?? '');
  const transport = kubeconfig ? kubeconfigTransport(await readKubeconfig(kubeconfig)) : await joinCluster(cfg.server, cfg.token, logger, signal);
  const system = await readSystemInfo();
  const capacity = nodeCapacity(system, cfg.capacity);
  const nodes: FleetNode[] = Array.from({ length: count }, (_, i) => ({
    config: {
      nodeName: `${prefix}${i}`,
      nodeIP: cfg.nodeIP || system.defaultIPv4,
      ...(cfg.nodeExternalIP ? { nodeExternalIP: cfg.nodeExternalIP } : {}),
      labels: { ...cfg.labels, [SIMULATED_NODE_LABEL]: 'true' },
      taints: cfg.taints,
      capacity,
      roles: [],
      runtimeVersion: 'fake://1.0.0',
    },
    runtime: new FakeRuntime({ clock: realClock }),
  }));
  const fleet = new NodeFleet(
    {
      client: new Client(transport),
      clock: realClock,
      logger,
      system,
      leaseDurationSeconds: cfg.leaseDurationSeconds,
      statusUpdateFrequencyMs: cfg.statusUpdateFrequencyMs,
      // One watch for every bound pod; each pod is routed to its node in memory.
      podFieldSelector: 'spec.nodeName!=',
      workers: 16,
      concurrency: 16,
    },
    nodes,
  );
  try {
    await fleet.start(signal).catch((e: unknown) => {
      // A SIGTERM during registration is a clean stop, not a failure.
      if (!signal.aborted) throw e;
    });
    logger.info('simulated nodes registered', { count, first: `${prefix}0` });
    if (!signal.aborted) await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
  } finally {
    fleet.stop();
    transport.close();
    logger.info('simulated nodes stopped', { count });
  }
}
