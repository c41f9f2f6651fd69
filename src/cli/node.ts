import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import type { Logger } from '../lib/log.js';
import { realClock } from '../lib/clock.js';
import type { Client } from '../client/client.js';
import { R } from '../client/client.js';
import { Informer } from '../client/informer.js';
import { createEventRecorder } from '../client/events.js';
import { Agent, FakeRuntime, criStreaming, startVolumeDirs, type Runtime, type Taint, type KubeletTLS } from '../agent/index.js';
import { LOCAL_STORAGE_PATH_ANNOTATION } from '../api/resources/storage/local_path.js';
import { startContainerd } from '../agent/containerd/supervisor.js';
import { loadRegistries } from '../agent/containerd/registries.js';
import { checkNodePrerequisites, formatMissingPrerequisites } from '../agent/containerd/prerequisites.js';
import { prepareNodeImages } from '../agent/images/startup.js';
import { defaultPauseImage } from '../agent/images/pause.js';
import { GrpcCriClient } from '../agent/cri/grpc_client.js';
import { createContainerdRuntime } from '../agent/runtime/containerd/containerd_runtime.js';
import { tokenRequestSource } from '../agent/runtime/containerd/token_request.js';
import { serviceEnvVars } from '../agent/pods/service_env.js';
import { apiLookups } from '../agent/runtime/fake_checks.js';
import { startPodNetwork, cniConfDir, findCniBinDir } from '../network/index.js';
import { UsageError } from './flags.js';
import type { DisabledComponents } from './agent_flags.js';
import { startNodeServices, type NodeServicesOptions } from './node_services.js';

/** NodeOptions describe one node to run: the embedded agent of `skiff server`, or `skiff agent`. */
export interface NodeOptions {
  client: Client;
  /** componentClient gives the node's proxy, DNS, ingress and policy controller their own identities (default: client). */
  componentClient?: NodeServicesOptions['componentClient'];
  nodeName: string;
  nodeIP: string;
  /** nodeExternalIP is the ExternalIP address the node reports ('' or absent: none). */
  nodeExternalIP?: string;
  dataDir: string;
  runtime: 'fake' | 'containerd';
  labels: Record<string, string>;
  taints: Taint[];
  capacity: Record<string, string>;
  leaseDurationSeconds: number;
  statusUpdateFrequencyMs: number;
  roles: string[];
  clusterCIDR: string;
  clusterDNS: string;
  clusterDomain: string;
  /** disabled: the packaged node components not to run (proxy, servicelb, ingress, dns). */
  disabled: DisabledComponents;
  /** resolvConf holds the resolvers cluster DNS forwards outside names to. */
  resolvConf: string;
  /** privateRegistry is the registries.yaml (k3s's format) for this node's containerd. */
  privateRegistry: string;
  /**
   * localStoragePaths are folders besides `<dataDir>/storage` where local-path volumes of this node
   * may live (the server's `--default-local-storage-path`, on the embedded agent).
   */
  localStoragePaths?: string[];
  /** kubeletTLS serves the kubelet API (logs/exec/port-forward); without it there is none. */
  kubeletTLS?: KubeletTLS;
  logger: Logger;
  signal: AbortSignal;
}

/** RunningNode is a started node; stop() leaves containers running, as a restarted kubelet expects. */
export interface RunningNode {
  agent: Agent;
  stop(): Promise<void>;
}

/**
 * startNode runs a node: with the fake runtime just the agent; with containerd also containerd
 * itself (generated config under the data dir), the local pause image and image archives, the pod
 * network (CNI bridge, routes, nftables) and the kubelet API.
 */
export async function startNode(o: NodeOptions): Promise<RunningNode> {
  // The node's components (kubelet, network, proxy, DNS, ingress, policies and their informers)
  // all stop on this one signal: dozens of listeners by design, not a leak.
  setMaxListeners(100, o.signal);
  const base = {
    client: o.client,
    nodeName: o.nodeName,
    logger: o.logger,
    labels: o.labels,
    taints: o.taints,
    capacity: o.capacity,
    leaseDurationSeconds: o.leaseDurationSeconds,
    statusUpdateFrequencyMs: o.statusUpdateFrequencyMs,
    nodeIP: o.nodeIP,
    ...(o.nodeExternalIP ? { nodeExternalIP: o.nodeExternalIP } : {}),
    dataDir: o.dataDir,
    roles: o.roles,
    // The local-path provisioner puts this node's volumes where the node says.
    ...(o.disabled.localStorage ? {} : { annotations: { [LOCAL_STORAGE_PATH_ANNOTATION]: join(o.dataDir, 'storage') } }),
  };
  if (o.runtime === 'fake') {
    const agent = new Agent({ ...base, runtime: new FakeRuntime({ clock: realClock, lookups: apiLookups(o.client) }) });
    await agent.start(o.signal);
    const stopVolumes = startLocalPathVolumes(o);
    return {
      agent,
      stop: async () => {
        stopVolumes();
        agent.stop();
      },
    };
  }
  const missing = checkNodePrerequisites({});
  if (missing.length) throw new UsageError(formatMissingPrerequisites(missing));
  const logger = o.logger;
  const containerd = await startContainerd({
    dataDir: o.dataDir,
    logger: logger.child('containerd'),
    registries: await loadRegistries(o.privateRegistry),
    sandboxImage: defaultPauseImage,
    cniBinDir: await findCniBinDir(),
    cniConfDir: cniConfDir(o.dataDir),
    signal: o.signal,
  });
  await prepareNodeImages({ socket: containerd.socket, snapshotter: containerd.snapshotter, dataDir: o.dataDir, logger: logger.child('images') });
  const network = await startPodNetwork({ client: o.client, nodeName: o.nodeName, nodeIP: o.nodeIP, clusterCIDR: o.clusterCIDR, dataDir: o.dataDir, logger, signal: o.signal });
  const cri = new GrpcCriClient({ socket: containerd.socket });
  const services = new Informer({ client: o.client.resource(R.services), logger: logger.child('services') });
  void services.run(o.signal);
  const podLogsDir = join(o.dataDir, 'agent', 'pods', 'logs');
  const lookup = (gvr: typeof R.configmaps) => async (ns: string, name: string) => {
    try {
      return await o.client.resource(gvr).get(ns, name);
    } catch (e) {
      if ((e as { code?: number }).code === 404) return undefined;
      throw e;
    }
  };
  const runtime: Runtime & { shutdown(): void } = await createContainerdRuntime({
    cri,
    nodeName: o.nodeName,
    dataDir: o.dataDir,
    clock: realClock,
    logger: logger.child('runtime'),
    podLogsDir,
    clusterDNS: [o.clusterDNS],
    clusterDomain: o.clusterDomain,
    resolvConf: o.resolvConf,
    nodeIP: o.nodeIP,
    serviceEnv: (ns, links) => serviceEnvVars(services.list(), ns, links),
    getConfigMap: lookup(R.configmaps),
    getSecret: lookup(R.secrets),
    getPersistentVolumeClaim: lookup(R.persistentvolumeclaims),
    getPersistentVolume: (name) => lookup({ group: '', version: 'v1', resource: 'persistentvolumes' })('', name),
    getNode: () => lookup(R.nodes)('', o.nodeName),
    serviceAccountToken: tokenRequestSource(o.client),
    recorder: createEventRecorder({ client: o.client, component: 'kubelet', host: o.nodeName, clock: realClock, logger }),
    runtimeVersion: containerd.version,
  });
  const agent = new Agent({
    ...base,
    runtime,
    ...(o.kubeletTLS ? { kubelet: { tls: o.kubeletTLS, streaming: criStreaming(cri, podLogsDir) } } : {}),
  });
  await agent.start(o.signal);
  const stopVolumes = startLocalPathVolumes(o);
  const nodeServices = await startNodeServices({
    client: o.client,
    ...(o.componentClient ? { componentClient: o.componentClient } : {}),
    nodeName: o.nodeName,
    nodeIP: o.nodeIP,
    clusterCIDR: o.clusterCIDR,
    clusterDomain: o.clusterDomain,
    resolvConf: o.resolvConf,
    dataDir: o.dataDir,
    disabled: o.disabled,
    logger,
    signal: o.signal,
  });
  return {
    agent,
    async stop() {
      stopVolumes();
      await nodeServices.stop();
      agent.stop();
      runtime.shutdown();
      network.stop();
      cri.close();
      await containerd.stop();
    },
  };
}

/**
 * startLocalPathVolumes runs the node side of the local-path provisioner (unless `--disable
 * local-storage`) as user system:skiff:local-path: folders of the volumes pinned to this node
 * under `<dataDir>/storage`, and their removal once released. Returns its stop.
 */
function startLocalPathVolumes(o: NodeOptions): () => void {
  if (o.disabled.localStorage) return () => undefined;
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  o.signal.addEventListener('abort', stop, { once: true });
  const client = o.componentClient?.('local-path') ?? o.client;
  const logger = o.logger.child('local-path');
  const recorder = createEventRecorder({ client, component: 'skiff.io/local-path', host: o.nodeName, clock: realClock, logger });
  const hostname = o.labels['kubernetes.io/hostname'] ?? o.nodeName;
  const bases = [join(o.dataDir, 'storage'), ...(o.localStoragePaths ?? [])];
  startVolumeDirs({ client, hostnames: [hostname], bases, clock: realClock, logger, recorder }, ac.signal).catch((e: unknown) => {
    if (!ac.signal.aborted) logger.error('local-path volume folders stopped', { err: (e as Error).message });
  });
  return stop;
}
