import type { Logger } from '../lib/log.js';
import { realClock } from '../lib/clock.js';
import { Client } from '../client/client.js';
import { SharedInformers } from '../client/shared_informers.js';
import { createEventRecorder } from '../client/events.js';
import type { ApiCore } from '../apiserver/core.js';
import { InProcessTransport } from '../apiserver/in_process.js';
import type { Authorizer } from '../apiserver/authz/index.js';
import { CONTROLLER_SERVICE_ACCOUNTS as POLICY_SERVICE_ACCOUNTS } from '../apiserver/rbac/bootstrap_policy.js';
import type { UserInfo } from '../apiserver/auth.js';
import type { ControllerConfig, ControllerContext, ControllerStarter } from '../controllers/context.js';
import { startReplicaSetController, startReplicationController } from '../controllers/replicaset/index.js';
import { startDeploymentController } from '../controllers/deployment/index.js';
import { startNamespaceController } from '../controllers/namespace/index.js';
import { startServiceAccountController } from '../controllers/serviceaccount/index.js';
import { startRootCACertPublisher } from '../controllers/rootcacert/index.js';
import { startEndpointsController } from '../controllers/endpoints/index.js';
import { startEndpointSliceController } from '../controllers/endpointslice/index.js';
import { startEndpointSliceMirroringController } from '../controllers/endpointslicemirroring/index.js';
import { startServiceLBController } from '../controllers/servicelb/index.js';
import { startIngressStatusController } from '../controllers/ingress/index.js';
import { startNodeIpamController } from '../controllers/nodeipam/index.js';
import { startNodeLifecycleController, startTaintEvictionController } from '../controllers/nodelifecycle/index.js';
import { startPodGCController } from '../controllers/podgc/index.js';
import { startJobController } from '../controllers/job/index.js';
import { startCronJobController } from '../controllers/cronjob/index.js';
import { startStatefulSetController } from '../controllers/statefulset/index.js';
import { startDaemonSetController } from '../controllers/daemonset/index.js';
import { startGarbageCollector } from '../controllers/garbagecollector/index.js';
import { startDisruptionController } from '../controllers/disruption/index.js';
import { startClusterRoleAggregationController } from '../controllers/clusterroleaggregation/index.js';
import { startTTLAfterFinishedController } from '../controllers/ttlafterfinished/index.js';
import { startCSRSigningController } from '../controllers/csrsigning/index.js';
import { startCSRApprovingController } from '../controllers/csrapproving/index.js';
import { startServiceAccountTokenController } from '../controllers/serviceaccounttoken/index.js';
import { startPersistentVolumeBinder, startPVCProtectionController, startPVProtectionController } from '../controllers/persistentvolume/index.js';
import { startTokenCleaner } from '../controllers/tokencleaner/index.js';
import { startEphemeralVolumeController } from '../controllers/ephemeralvolume/index.js';
import { startHorizontalPodAutoscalerController } from '../controllers/podautoscaler/index.js';
import { startLocalPathProvisioner } from '../controllers/localpath/index.js';
import { runLeaderElection } from '../client/leader_election.js';
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { startScheduler } from '../scheduler/index.js';
import { parseNodeCapacity, parseNodeLabel, parseNodeTaint, type KubeletTLS } from '../agent/index.js';
import { startNode, type RunningNode } from './node.js';
import { NODE_COMPONENT_USERS, type NodeComponent } from './node_services.js';
import type { ServerConfig } from './server_config.js';
import { UsageError } from './flags.js';

/** CONTROLLER_SERVICE_ACCOUNTS: the kube-system ServiceAccount each loop runs as (upstream's names). */
const CONTROLLER_SERVICE_ACCOUNTS: Readonly<Record<string, string>> = {
  ...POLICY_SERVICE_ACCOUNTS,
  csrsigning: 'certificate-controller',
  csrapproving: 'certificate-controller',
};

/** serviceAccountUser is the user a ServiceAccount's credentials authenticate as. */
export function serviceAccountUser(namespace: string, name: string): UserInfo {
  return { name: `system:serviceaccount:${namespace}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'] };
}

/** CONTROLLERS are kube-controller-manager's loops that skiff runs, by name. */
const CONTROLLERS: [string, ControllerStarter][] = [
  ['replicaset', startReplicaSetController],
  ['replicationcontroller', startReplicationController],
  ['deployment', startDeploymentController],
  ['namespace', startNamespaceController],
  ['serviceaccount', startServiceAccountController],
  ['root-ca-cert-publisher', startRootCACertPublisher],
  ['endpoints', startEndpointsController],
  ['endpointslice', startEndpointSliceController],
  ['endpointslicemirroring', startEndpointSliceMirroringController],
  ['nodeipam', startNodeIpamController],
  ['nodelifecycle', startNodeLifecycleController],
  ['tainteviction', startTaintEvictionController],
  ['podgc', startPodGCController],
  ['job', startJobController],
  ['cronjob', startCronJobController],
  ['statefulset', startStatefulSetController],
  ['daemonset', startDaemonSetController],
  ['garbagecollector', startGarbageCollector],
  ['disruption', startDisruptionController],
  ['clusterrole-aggregation', startClusterRoleAggregationController],
  ['ttl-after-finished', startTTLAfterFinishedController],
  ['csrsigning', startCSRSigningController],
  ['csrapproving', startCSRApprovingController],
  ['serviceaccount-token', startServiceAccountTokenController],
  ['persistentvolume-binder', startPersistentVolumeBinder],
  ['pvc-protection', startPVCProtectionController],
  ['ephemeral-volume', startEphemeralVolumeController],
  ['pv-protection', startPVProtectionController],
  ['tokencleaner', startTokenCleaner],
  ['horizontalpodautoscaling', startHorizontalPodAutoscalerController],
];

/**
 * startControlLoops runs the controllers and the scheduler inside the server, each under leader
 * election on a Lease in kube-system (so several servers can share a datastore with one active
 * instance of each), on an in-process client that takes the same request chain as HTTPS clients.
 * Each leadership term gets fresh informers; losing the lease stops the term's loops.
 */
export function startControlLoops(core: ApiCore, cfg: ServerConfig, logger: Logger, signal: AbortSignal, rootCAPem?: string, authorizer?: Authorizer, extraConfig: Partial<ControllerConfig> = {}): void {
  const inProcess = (user: UserInfo): Client => new Client(new InProcessTransport(core, user, authorizer));
  // kube-controller-manager's own identity runs leader election and the shared informers; each
  // controller writes as its own kube-system ServiceAccount (--use-service-account-credentials), so
  // it holds only the permissions upstream's bootstrap policy gives that controller.
  const managerClient = inProcess({ name: 'system:kube-controller-manager', groups: ['system:authenticated'] });
  const schedulerClient = inProcess({ name: 'system:kube-scheduler', groups: ['system:authenticated'] });
  const controllerClients = new Map<string, Client>();
  const controllerClient = (loop: string): Client => {
    // Upstream's tokens controller runs with kube-controller-manager's own credentials, not an account of its own.
    if (loop === 'serviceaccount-token') return managerClient;
    const sa = CONTROLLER_SERVICE_ACCOUNTS[loop] ?? `${loop}-controller`;
    let c = controllerClients.get(sa);
    if (!c) controllerClients.set(sa, (c = inProcess(serviceAccountUser('kube-system', sa))));
    return c;
  };
  // A stable identity per server lets a restarted server take its own lease back at once.
  const identity = `${hostname()}_${createHash('sha256').update(cfg.dataDir).digest('hex').slice(0, 8)}`;
  const context = (term: AbortSignal, component: string, client: Client): ControllerContext => ({
    client,
    informers: new SharedInformers(client, logger.child(`${component}/informers`)),
    recorder: (name) => createEventRecorder({ client, component: name, clock: realClock, logger }),
    clock: realClock,
    logger: logger.child(component),
    signal: term,
    config: {
      clusterCIDR: cfg.clusterCIDR,
      nodeCIDRMaskSize: 24,
      serviceCIDR: cfg.serviceCIDR,
      nodeMonitorGracePeriodMs: cfg.nodeMonitorGracePeriodMs,
      clusterDomain: cfg.clusterDomain,
      ...(rootCAPem ? { rootCAPem } : {}),
      horizontalPodAutoscaler: cfg.controllerManager.horizontalPodAutoscaler,
      restMapper: (group, kind) => restMappings(core, group, kind),
      ...extraConfig,
    },
  });
  const run = (name: string, term: AbortSignal, p: Promise<void>): void => {
    p.catch((e: unknown) => {
      if (!term.aborted) logger.error(`${name} stopped with an error`, { err: (e as Error).stack ?? String(e) });
    });
  };
  const elect = (lease: string, client: Client, term: (ctx: ControllerContext) => void): void => {
    const loop = async (): Promise<void> => {
      while (!signal.aborted) {
        await runLeaderElection({
          client,
          namespace: 'kube-system',
          name: lease,
          identity,
          leaseDurationMs: 15_000,
          renewDeadlineMs: 10_000,
          retryPeriodMs: 2_000,
          clock: realClock,
          logger: logger.child(`leader/${lease}`),
          signal,
          onStartedLeading: (termSignal) => {
            logger.info('became leader', { lease, identity });
            // Every loop of the term listens on its signal.
            setMaxListeners(100, termSignal);
            const ctx = context(termSignal, lease, client);
            term(ctx);
            ctx.informers.start(termSignal);
          },
          onStoppedLeading: () => logger.warn('lost leadership', { lease, identity }),
        });
      }
    };
    run(`leader election ${lease}`, signal, loop());
  };
  if (!cfg.disableControllerManager) {
    elect('kube-controller-manager', managerClient, (ctx) => {
      const loops: [string, ControllerStarter][] = [...CONTROLLERS];
      if (!cfg.disabled.servicelb) loops.push(['servicelb', startServiceLBController]);
      if (!cfg.disabled.ingress) loops.push(['ingress-status', startIngressStatusController]);
      if (!cfg.disabled.localStorage) loops.push(['local-path-provisioner', startLocalPathProvisioner]);
      for (const [name, start] of loops) {
        const client = controllerClient(name);
        const recorder: ControllerContext['recorder'] = (component) => createEventRecorder({ client, component, clock: realClock, logger });
        run(name, ctx.signal, start({ ...ctx, client, recorder, logger: ctx.logger.child(name) }));
      }
    });
  }
  if (!cfg.disableScheduler) elect('kube-scheduler', schedulerClient, (ctx) => run('scheduler', ctx.signal, startScheduler(ctx)));
}

/** restMappings is the REST mapper controllers resolve kinds with: the served resources of group/kind, stored version first. */
function restMappings(core: ApiCore, group: string, kind: string): { group: string; version: string; resource: string }[] {
  const out: { group: string; version: string; resource: string }[] = [];
  for (const t of core.registry.types) {
    if (t.kind !== kind) continue;
    if (t.group === group) out.push({ group, version: t.version, resource: t.plural });
    for (const c of t.otherVersions ?? []) if (c.group === group) out.push({ group, version: c.version, resource: t.plural });
  }
  return out;
}

/** startEmbeddedAgent runs the server's own node (the controller machine is a node too). */
export async function startEmbeddedAgent(core: ApiCore, cfg: ServerConfig, logger: Logger, signal: AbortSignal, kubeletTLS: KubeletTLS, authorizer?: Authorizer): Promise<RunningNode> {
  const a = cfg.agent;
  if (a.runtime !== 'fake' && a.runtime !== 'containerd') throw new UsageError(`invalid --runtime ${JSON.stringify(a.runtime)}: want containerd or fake`);
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
  const client = new Client(new InProcessTransport(core, { name: `system:node:${a.nodeName}`, groups: ['system:nodes', 'system:authenticated'] }, authorizer));
  const componentClients = new Map<NodeComponent, Client>();
  const componentClient = (c: NodeComponent): Client => {
    let cc = componentClients.get(c);
    if (!cc) componentClients.set(c, (cc = new Client(new InProcessTransport(core, { name: NODE_COMPONENT_USERS[c], groups: ['system:authenticated'] }, authorizer))));
    return cc;
  };
  return startNode({
    client,
    componentClient,
    nodeName: a.nodeName,
    nodeIP: a.nodeIP || cfg.advertiseAddress,
    nodeExternalIP: a.nodeExternalIP,
    dataDir: cfg.dataDir,
    runtime: a.runtime,
    labels,
    taints,
    capacity,
    leaseDurationSeconds: a.leaseDurationSeconds,
    statusUpdateFrequencyMs: a.statusUpdateFrequencyMs,
    roles: ['control-plane', 'master'],
    clusterCIDR: cfg.clusterCIDR,
    clusterDNS: cfg.clusterDNS,
    clusterDomain: cfg.clusterDomain,
    disabled: cfg.disabled,
    ...(cfg.defaultLocalStoragePath ? { localStoragePaths: [cfg.defaultLocalStoragePath] } : {}),
    resolvConf: a.resolvConf,
    privateRegistry: a.privateRegistry,
    kubeletTLS,
    logger: logger.child('agent'),
    signal,
  });
}
