import { readFile } from 'node:fs/promises';
import { FleetKubeletServer, machineOf, NodeStatsCollector, selfSignedKubeletCert, type KubeletTLS, type Runtime } from '../agent/index.js';
import type { JsonObject } from '../api/types.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';

/** SimKubeletNode is what the shared kubelet API needs of one simulated node. */
export interface SimKubeletNode {
  nodeName: string;
  runtime: Runtime;
  capacity: JsonObject;
}

/**
 * simKubeletTLS picks the sim-nodes kubelet API's TLS: the joined identity's serving certificate
 * and client CA, or, acting with a kubeconfig, a self-signed certificate and `--client-ca-file`.
 * Undefined (no kubelet API) when neither is available.
 */
export async function simKubeletTLS(joined: { certPem: string; keyPem: string; clientCaPem: string } | undefined, clientCaFile: string, nodeIP: string, clock: Clock): Promise<KubeletTLS | undefined> {
  if (joined) return joined;
  if (!clientCaFile) return undefined;
  const cert = await selfSignedKubeletCert('sim-nodes', nodeIP, clock);
  return { certPem: cert.certPem, keyPem: cert.keyPem, clientCaPem: await readFile(clientCaFile, 'utf8') };
}

/**
 * startSimKubelet serves the kubelet stats API of every simulated node: one port per node on the
 * shared node IP (FleetKubeletServer), one stats collector per node. It resolves with the server
 * and each node's port, which the node advertises in status.daemonEndpoints.
 */
export async function startSimKubelet(nodes: SimKubeletNode[], bindAddress: string, tls: KubeletTLS, clock: Clock, logger: Logger): Promise<{ server: FleetKubeletServer; ports: Map<string, number> }> {
  const server = new FleetKubeletServer({
    bindAddress,
    tls,
    logger,
    nodes: nodes.map((n) => ({
      nodeName: n.nodeName,
      stats: new NodeStatsCollector({ nodeName: n.nodeName, source: () => n.runtime.stats?.() ?? Promise.reject(new Error('the runtime reports no stats')), clock, machine: machineOf(n.capacity) }),
    })),
  });
  const ports = await server.start();
  return { server, ports };
}
