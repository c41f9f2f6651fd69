import type { Client } from '../client/client.js';
import type { Logger } from '../lib/log.js';
import { runCommand } from '../network/command.js';
import { R } from '../client/client.js';
import { Informer } from '../client/informer.js';
import { startServiceProxy } from '../proxy/index.js';
import { startClusterDNS, publishNodeDNSEndpoint } from '../dns/index.js';
import type { DisabledComponents } from './agent_flags.js';

/** NodeServicesOptions: what the Service proxy, DNS and ingress of one node need. */
export interface NodeServicesOptions {
  client: Client;
  nodeName: string;
  nodeIP: string;
  clusterCIDR: string;
  clusterDomain: string;
  resolvConf: string;
  disabled: DisabledComponents;
  logger: Logger;
  signal: AbortSignal;
}

/** RunningNodeServices stops what startNodeServices started. */
export interface RunningNodeServices {
  stop(): Promise<void>;
}

/**
 * startNodeServices runs the Service networking every node has (k3s's kube-proxy, ServiceLB and
 * CoreDNS): Services in the node's nftables table (unless `--disable-kube-proxy`) and the node's
 * DNS server behind `kube-dns` (unless `--disable dns`). Must run inside the node's network namespace.
 */
export async function startNodeServices(o: NodeServicesOptions): Promise<RunningNodeServices> {
  const stops: (() => Promise<void> | void)[] = [];
  if (!o.disabled.proxy) {
    const services = new Informer({ client: o.client.resource(R.services), logger: o.logger.child('proxy/services') });
    const slices = new Informer({ client: o.client.resource(R.endpointslices), logger: o.logger.child('proxy/endpointslices') });
    const proxyLog = o.logger.child('proxy');
    const proxy = startServiceProxy({
      services,
      endpointSlices: slices,
      nodeName: o.nodeName,
      nodeIPs: [o.nodeIP],
      clusterCIDR: o.clusterCIDR,
      run: runCommand,
      onError: (err) => proxyLog.error('nftables update failed; retrying on the next change', { err: (err as Error).message }),
    });
    void services.run(o.signal);
    void slices.run(o.signal);
    stops.push(() => proxy.stop());
  }
  if (!o.disabled.dns) {
    try {
      const dns = await startClusterDNS({ client: o.client, clusterDomain: o.clusterDomain, listen: { host: o.nodeIP, port: 53 }, resolvConf: o.resolvConf, logger: o.logger.child('dns'), signal: o.signal });
      stops.push(() => dns.stop());
      publishWithRetry(() => publishNodeDNSEndpoint(o.client, o.nodeName, o.nodeIP), o);
    } catch (e) {
      // A node whose port 53 is taken still runs pods; its pods' queries are answered by no one.
      o.logger.error(`cluster DNS cannot listen on ${o.nodeIP}:53: free the port or run with --disable dns`, { err: (e as Error).message });
    }
  }
  return {
    async stop() {
      for (const s of stops.reverse()) await s();
    },
  };
}

/** publishWithRetry runs a small API write in the background, retrying (bounded: a minute) until it lands. */
function publishWithRetry(write: () => Promise<unknown>, o: NodeServicesOptions): void {
  void (async () => {
    for (let attempt = 0; attempt < 60 && !o.signal.aborted; attempt++) {
      try {
        await write();
        return;
      } catch (e) {
        if (attempt === 0) o.logger.warn('node DNS endpoint not written yet; retrying', { err: (e as Error).message });
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  })();
}
