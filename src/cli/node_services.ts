import type { Client } from '../client/client.js';
import type { Logger } from '../lib/log.js';
import { runCommand } from '../network/command.js';
import { R } from '../client/client.js';
import { Informer } from '../client/informer.js';
import { NftSession, startServiceProxy } from '../proxy/index.js';
import { startClusterDNS, publishNodeDNSEndpoint } from '../dns/index.js';
import { startIngress } from '../ingress/index.js';
import { enableBridgeNetfilter, startNetworkPolicy } from '../netpol/index.js';
import { join } from 'node:path';
import type { DisabledComponents } from './agent_flags.js';

/** NodeServicesOptions: what the Service proxy, DNS and ingress of one node need. */
export interface NodeServicesOptions {
  client: Client;
  /** componentClient, when given, is the client each component runs with (its own identity); default: client. */
  componentClient?: (component: NodeComponent) => Client;
  nodeName: string;
  nodeIP: string;
  clusterCIDR: string;
  clusterDomain: string;
  resolvConf: string;
  /** dataDir: the ingress keeps nginx's files under <dataDir>/agent/ingress. */
  dataDir: string;
  disabled: DisabledComponents;
  logger: Logger;
  signal: AbortSignal;
}

/** NodeComponent names the services of a node that talk to the API under their own identity. */
export type NodeComponent = 'proxy' | 'dns' | 'ingress' | 'network-policy' | 'local-path';

/** NODE_COMPONENT_USERS: the user each node component acts as (RBAC roles in the bootstrap policy). */
export const NODE_COMPONENT_USERS: Readonly<Record<NodeComponent, string>> = {
  proxy: 'system:kube-proxy',
  dns: 'system:skiff:dns',
  ingress: 'system:skiff:ingress',
  'network-policy': 'system:skiff:network-policy',
  'local-path': 'system:skiff:local-path',
};

/** RunningNodeServices stops what startNodeServices started. */
export interface RunningNodeServices {
  stop(): Promise<void>;
}

/**
 * startNodeServices runs the Service networking every node has (k3s's kube-proxy, ServiceLB and
 * CoreDNS, Traefik): Services in the node's nftables table (unless `--disable-kube-proxy`), the
 * node's DNS server behind `kube-dns` (unless `--disable dns`) and Ingresses on ports 80 and 443
 * of the node's address (unless `--disable ingress`), and NetworkPolicies (unless
 * `--disable-network-policy`). Must run inside the node's network namespace.
 */
export async function startNodeServices(o: NodeServicesOptions): Promise<RunningNodeServices> {
  const stops: (() => Promise<void> | void)[] = [];
  const clientOf = (c: NodeComponent): Client => o.componentClient?.(c) ?? o.client;
  const informerAs = (c: NodeComponent) => (r: (typeof R)[keyof typeof R], name: string): Informer => {
    const inf = new Informer({ client: clientOf(c).resource(r), logger: o.logger.child(`informers/${name}`) });
    void inf.run(o.signal);
    return inf;
  };
  // The proxy and the ingress read the same Services and EndpointSlices: one watch each.
  const needServices = !o.disabled.proxy || !o.disabled.ingress;
  const serviceReader = informerAs(o.disabled.proxy ? 'ingress' : 'proxy');
  const services = needServices ? serviceReader(R.services, 'services') : undefined;
  const slices = needServices ? serviceReader(R.endpointslices, 'endpointslices') : undefined;
  if (!o.disabled.proxy && services && slices) {
    const proxyLog = o.logger.child('proxy');
    const nft = new NftSession();
    const proxy = startServiceProxy({
      services,
      endpointSlices: slices,
      nodeName: o.nodeName,
      nodeIPs: [o.nodeIP],
      clusterCIDR: o.clusterCIDR,
      run: runCommand,
      applyChange: (text) => nft.apply(text),
      onError: (err) => proxyLog.error('Service proxy update failed; retrying on the next change', { err: (err as Error).message }),
    });
    stops.push(() => {
      proxy.stop();
      nft.close();
    });
  }
  if (!o.disabled.networkPolicy) startNodeNetworkPolicy(o, informerAs('network-policy'), stops);
  if (!o.disabled.ingress && services && slices) startNodeIngress(o, services, slices, informerAs('ingress'), stops);
  if (!o.disabled.dns) {
    try {
      const dns = await startClusterDNS({ client: clientOf('dns'), clusterDomain: o.clusterDomain, listen: { host: o.nodeIP, port: 53 }, resolvConf: o.resolvConf, logger: o.logger.child('dns'), signal: o.signal });
      stops.push(() => dns.stop());
      publishWithRetry(() => publishNodeDNSEndpoint(clientOf('dns'), o.nodeName, o.nodeIP), o);
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

/**
 * startNodeNetworkPolicy enforces NetworkPolicies for this node's pods (k3s's embedded kube-router
 * policy controller) in table `ip skiff-netpol`, unless `--disable-network-policy`.
 */
function startNodeNetworkPolicy(o: NodeServicesOptions, informer: (r: (typeof R)[keyof typeof R], name: string) => Informer, stops: (() => Promise<void> | void)[]): void {
  const log = o.logger.child('netpol');
  void enableBridgeNetfilter({ run: runCommand }).then((warning) => warning && log.warn(warning));
  const nft = new NftSession();
  const policies = informer({ group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies' }, 'networkpolicies');
  const controller = startNetworkPolicy({
    policies,
    pods: informer(R.pods, 'pods'),
    namespaces: informer(R.namespaces, 'namespaces'),
    nodeName: o.nodeName,
    run: runCommand,
    applyChange: (text) => nft.apply(text),
    onError: (err) => log.error('NetworkPolicy update failed; retrying on the next change', { err: (err as Error).message }),
  });
  stops.push(() => {
    controller.stop();
    nft.close();
  });
}

/**
 * startNodeIngress starts the ingress once its caches are filled, in the background: a node whose
 * ports 80/443 are taken or whose nginx is missing still runs pods, and says what to do.
 */
function startNodeIngress(o: NodeServicesOptions, services: Informer, slices: Informer, informer: (r: (typeof R)[keyof typeof R], name: string) => Informer, stops: (() => Promise<void> | void)[]): void {
  const log = o.logger.child('ingress');
  const started = startIngress({
    ingresses: informer(R.ingresses, 'ingresses'),
    ingressClasses: informer(R.ingressclasses, 'ingressclasses'),
    secrets: informer(R.secrets, 'secrets'),
    services,
    endpointSlices: slices,
    nodeName: o.nodeName,
    listenIP: o.nodeIP,
    dir: join(o.dataDir, 'agent', 'ingress'),
    logger: log,
  }).catch((e: Error) => {
    log.error(`ingress not started on ${o.nodeIP}:80/443: install nginx (Debian nginx-light) or run with --disable ingress`, { err: e.message });
    return undefined;
  });
  let running: { stop(): Promise<void> } | undefined;
  let stopping = false;
  void started.then((r) => {
    if (stopping) void r?.stop();
    else running = r;
  });
  stops.push(async () => {
    stopping = true;
    await running?.stop();
  });
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
