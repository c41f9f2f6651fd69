import { setMaxListeners } from 'node:events';
import { FakeRuntime, NodeFleet, SIMULATED_FILES, nodeCapacity, readSystemInfo, startVolumeDirs, type FleetNode } from '../agent/index.js';
import { Client } from '../client/client.js';
import { realClock } from '../lib/clock.js';
import { createLogger } from '../lib/log.js';
import { joinClusterWithCredentials, signalAbort, SIM_NODES_IDENTITY } from './agent.js';
import { simKubeletTLS, startSimKubelet } from './sim_kubelet.js';
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
  const system = await readSystemInfo();
  const nodeIP = cfg.nodeIP || system.defaultIPv4;
  // The join also yields the kubelet API's serving certificate (for the nodes' IP) and the client
  // CA; with a kubeconfig it is only for those.
  const joined = cfg.token ? await joinClusterWithCredentials(cfg.server, cfg.token, logger, signal, { nodeName: SIM_NODES_IDENTITY, nodeIP }).catch((e: Error) => {
    if (!kubeconfig) throw e;
    logger.warn('cannot join for the kubelet API certificates', { err: e.message });
    return undefined;
  }) : undefined;
  const transport = kubeconfig ? kubeconfigTransport(await readKubeconfig(kubeconfig)) : joined!.transport;
  if (kubeconfig) joined?.transport.close();
  const capacity = nodeCapacity(system, cfg.capacity);
  const runtimes = Array.from({ length: count }, () => new FakeRuntime({ clock: realClock }));
  const serving = joined && { certPem: joined.creds.serving.certPem, keyPem: joined.creds.serving.keyPem, clientCaPem: joined.creds.clientCaPem };
  const tls = await simKubeletTLS(serving, String(values['client-ca-file'] ?? ''), nodeIP, realClock);
  const kubelet = tls ? await startSimKubelet(runtimes.map((runtime, i) => ({ nodeName: `${prefix}${i}`, runtime, capacity })), nodeIP, tls, realClock, logger) : undefined;
  if (!kubelet) logger.warn('no kubelet API for the simulated nodes: give --token or --client-ca-file');
  const nodes: FleetNode[] = runtimes.map((runtime, i) => ({
    config: {
      nodeName: `${prefix}${i}`,
      nodeIP,
      ...(cfg.nodeExternalIP ? { nodeExternalIP: cfg.nodeExternalIP } : {}),
      labels: { ...cfg.labels, [SIMULATED_NODE_LABEL]: 'true' },
      taints: cfg.taints,
      capacity,
      roles: [],
      runtimeVersion: 'fake://1.0.0',
      ...(kubelet ? { kubeletPort: kubelet.ports.get(`${prefix}${i}`) ?? 10250 } : {}),
    },
    runtime,
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
    // Their local-path volumes: no folders, but released ones are deleted, as a real node does.
    const hostnames = nodes.map((n) => n.config.nodeName);
    startVolumeDirs({ client: new Client(transport), hostnames, bases: 'any', files: SIMULATED_FILES, clock: realClock, logger: logger.child('local-path') }, signal).catch((e: unknown) => {
      if (!signal.aborted) logger.error('local-path volumes of the simulated nodes stopped', { err: (e as Error).message });
    });
    if (!signal.aborted) await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
  } finally {
    fleet.stop();
    await kubelet?.server.stop();
    transport.close();
    logger.info('simulated nodes stopped', { count });
  }
}
