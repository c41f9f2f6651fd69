import { hostname, networkInterfaces } from 'node:os';
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logRepairs, secureDataDir } from './data_dir.js';
import { join } from 'node:path';
import { realClock } from '../lib/clock.js';
import { createLogger, type Logger } from '../lib/log.js';
import { SqliteBackend } from '../storage/drivers/sqlite.js';
import type { Backend } from '../storage/backend.js';
import { ApiMetrics, InstrumentedBackend, storedResource } from '../apiserver/metrics/index.js';
import { issueKubeletServingCert, ensureServerPki, ensureServerToken, buildKubeconfig, writeKubeconfig, parseToken, issueClientCert } from '../pki/index.js';
import { ApiCore } from '../apiserver/core.js';
import { ApiServer } from '../apiserver/server.js';
import { ClusterAuthorizer } from '../apiserver/authz/index.js';
import { registerReviews } from '../apiserver/authz/reviews.js';
import { nodeRestriction } from '../apiserver/authz/node_restriction.js';
import { rbacEscalation } from '../apiserver/authz/escalation.js';
import { nodeRules } from '../apiserver/rbac/bootstrap_policy.js';
import { InProcessTransport } from '../apiserver/in_process.js';
import { nodeJoinRoutes } from '../apiserver/node_join/index.js';
import { EncryptionConfigError, EncryptionManager, EncryptionRuntime, encryptionConfigPath, encryptionRoutes, encryptionStatePath } from '../apiserver/encryption/index.js';
import { KUBELET_CLIENT_USER, nodeProxySubresources } from '../apiserver/node_proxy/index.js';
import { componentStatusReader, componentstatuses } from '../apiserver/componentstatuses.js';
import { resourceMetricsTypes, startResourceMetrics, type ResourceMetrics } from '../apiserver/resource_metrics/index.js';
import { proxySubresources } from '../apiserver/service_proxy/index.js';
import { certificateSubresources, certificatesAdmission } from '../apiserver/certificates/index.js';
import { serviceAllocator } from '../apiserver/allocators/service_alloc.js';
import { parseCidr, nthAddress } from '../apiserver/allocators/ip_range.js';
import { defaultRegistriesPath } from '../agent/containerd/registries.js';
import { bootstrapObjects } from '../apiserver/bootstrap.js';
import { ManifestDeployer, builtinManifests, installBuiltins, manifestsDir, registryResolver } from '../apiserver/manifests/index.js';
import { defaultIngressClass } from '../apiserver/admission_default_ingress_class.js';
import { defaultStorageClass } from '../apiserver/admission_default_storage_class.js';
import { createOpenApi } from '../apiserver/openapi/index.js';
import { keyPrefix, objectKey } from '../apiserver/object_store.js';
import { VERBS } from '../apiserver/discovery.js';
import { allResources } from '../api/resources/index.js';
import { UsageError, type FlagValues } from './flags.js';
import { versionInfo } from './version.js';
import type { ServerConfig } from './server_config.js';

export type { ServerConfig, EmbeddedAgentConfig } from './server_config.js';
import { startControlLoops, startEmbeddedAgent } from './control_plane.js';
import type { RunningNode } from './node.js';
import { defaultTolerationSeconds } from '../apiserver/admission_default_tolerations.js';
import { serviceAccountAdmission } from '../apiserver/admission_service_account.js';
import { runtimeClassAdmission } from '../apiserver/admission_runtime_class.js';
import { ensureSigningKey, serviceAccountKeyPath, serviceAccountTokens } from '../apiserver/serviceaccount/index.js';
import { podSecurity, loadPodSecurityConfiguration, DEFAULT_CONFIGURATION as DEFAULT_POD_SECURITY, type PodSecurityConfiguration } from '../apiserver/podsecurity/index.js';
import { parseDuration } from './duration.js';
import { parseControllerManagerArgs } from './controller_manager_args.js';
import { disabledComponents, ipFlag } from './agent_flags.js';

function firstIPv4(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** localStoragePath checks --default-local-storage-path: empty (each node's own folder) or an absolute path. */
function localStoragePath(v: string): string {
  if (v && !v.startsWith('/')) throw new UsageError(`invalid --default-local-storage-path ${JSON.stringify(v)}: want an absolute path`);
  return v.length > 1 ? v.replace(/\/+$/, '') : v;
}

/** metricResolution reads --metric-resolution: a duration of at least 1 s. */
function metricResolution(v: string): number {
  const ms = parseDuration(v, 'metric-resolution');
  if (ms < 1000) throw new UsageError(`invalid --metric-resolution ${JSON.stringify(v)}: want at least 1s`);
  return ms;
}

function authorizationMode(v: string): ServerConfig['authorizationMode'] {
  const modes = v.split(',').map((m) => m.trim()).filter(Boolean);
  if (modes.length === 1 && modes[0] === 'AlwaysAllow') return 'AlwaysAllow';
  if (modes.length === 2 && modes.includes('Node') && modes.includes('RBAC')) return 'Node,RBAC';
  throw new UsageError(`invalid --authorization-mode ${JSON.stringify(v)}: want Node,RBAC or AlwaysAllow`);
}

function secretsEncryptionProvider(v: string): ServerConfig['secretsEncryptionProvider'] {
  if (v === 'aescbc' || v === 'aesgcm') return v;
  throw new UsageError(`invalid --secrets-encryption-provider ${JSON.stringify(v)}: want aescbc or aesgcm`);
}

/** firstRoute tries route sets in order; the first that answers a request wins. */
function firstRoute(...sets: ((req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>)[]): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean> {
  return async (req, res, path) => {
    for (const s of sets) if (await s(req, res, path)) return true;
    return false;
  };
}

/** serverConfig validates flag values into a ServerConfig, with errors that say what to fix. */
export function serverConfig(v: FlagValues): ServerConfig {
  const range = /^(\d+)-(\d+)$/.exec(String(v['service-node-port-range']));
  if (!range || Number(range[1]) > Number(range[2])) {
    throw new UsageError(`invalid --service-node-port-range ${String(v['service-node-port-range'])}: want MIN-MAX, e.g. 30000-32767`);
  }
  for (const f of ['cluster-cidr', 'service-cidr']) {
    try {
      parseCidr(String(v[f]));
    } catch (e) {
      throw new UsageError(`--${f}: ${(e as Error).message}`);
    }
  }
  const port = Number(v['https-listen-port']);
  if (port < 0 || port > 65535) throw new UsageError(`invalid --https-listen-port ${port}: want 1-65535 (0 picks a free port)`);
  return {
    dataDir: String(v['data-dir']),
    bindAddress: String(v['bind-address']),
    port,
    // As k3s: the advertise address defaults to the node's external IP, then its node IP.
    advertiseAddress: String(v['advertise-address'] || '') || ipFlag(v, 'node-external-ip') || ipFlag(v, 'node-ip') || firstIPv4(),
    tlsSans: (v['tls-san'] as string[] | undefined) ?? [],
    writeKubeconfig: String(v['write-kubeconfig']),
    writeKubeconfigMode: String(v['write-kubeconfig-mode']),
    token: String(v.token ?? ''),
    clusterCIDR: String(v['cluster-cidr']),
    serviceCIDR: String(v['service-cidr']),
    nodePortRange: { min: Number(range[1]), max: Number(range[2]) },
    clusterDNS: String(v['cluster-dns'] || '') || nthAddress(parseCidr(String(v['service-cidr'])), 10),
    clusterDomain: String(v['cluster-domain']),
    datastoreEndpoint: String(v['datastore-endpoint'] ?? ''),
    disableAgent: v['disable-agent'] === true,
    disabled: disabledComponents(v),
    debug: v.debug === true,
    authorizationMode: authorizationMode(String(v['authorization-mode'])),
    inflight: { readOnly: Number(v['max-requests-inflight']), mutating: Number(v['max-mutating-requests-inflight']) },
    nodeMonitorGracePeriodMs: parseDuration(String(v['node-monitor-grace-period']), 'node-monitor-grace-period'),
    metricResolutionMs: metricResolution(String(v['metric-resolution'] || '15s')),
    notReadyTolerationSeconds: Number(v['default-not-ready-toleration-seconds']),
    unreachableTolerationSeconds: Number(v['default-unreachable-toleration-seconds']),
    disableScheduler: v['disable-scheduler'] === true,
    disableControllerManager: v['disable-controller-manager'] === true,
    controllerManager: parseControllerManagerArgs((v['kube-controller-manager-arg'] as string[] | undefined) ?? []),
    secretsEncryption: v['secrets-encryption'] === true,
    secretsEncryptionProvider: secretsEncryptionProvider(String(v['secrets-encryption-provider'] || 'aescbc')),
    podSecurityAdmissionConfigFile: String(v['pod-security-admission-config-file'] || ''),
    defaultLocalStoragePath: localStoragePath(String(v['default-local-storage-path'] || '')),
    agent: {
      nodeName: String(v['node-name'] || '') || hostname().toLowerCase(),
      nodeIP: String(v['node-ip'] || ''),
      nodeExternalIP: ipFlag(v, 'node-external-ip'),
      labels: (v['node-label'] as string[] | undefined) ?? [],
      taints: (v['node-taint'] as string[] | undefined) ?? [],
      runtime: String(v.runtime || 'containerd'),
      capacity: String(v['node-capacity'] || ''),
      leaseDurationSeconds: Number(v['node-lease-duration-seconds']),
      statusUpdateFrequencyMs: parseDuration(String(v['node-status-update-frequency']), 'node-status-update-frequency'),
      resolvConf: String(v['resolv-conf'] || '') || '/etc/resolv.conf',
      privateRegistry: String(v['private-registry'] || '') || defaultRegistriesPath,
    },
  };
}

function openBackend(cfg: ServerConfig, logger: Logger): Backend & { start?(): void } {
  const ep = cfg.datastoreEndpoint;
  let path = join(cfg.dataDir, 'server', 'db', 'state.db');
  if (ep) {
    if (!ep.startsWith('sqlite://')) {
      throw new UsageError(`unsupported --datastore-endpoint ${ep}: this build supports sqlite:///path/to/file.db`);
    }
    path = ep.slice('sqlite://'.length);
  }
  mkdirSync(join(path, '..'), { recursive: true });
  return new SqliteBackend({ path, logger: logger.child('sqlite') });
}

/** podSecurityConfiguration reads --pod-security-admission-config-file (none: upstream's defaults). */
function podSecurityConfiguration(file: string): PodSecurityConfiguration {
  if (!file) return DEFAULT_POD_SECURITY;
  try {
    return loadPodSecurityConfiguration(file);
  } catch (e) {
    throw new UsageError(`--pod-security-admission-config-file: ${(e as Error).message}`);
  }
}

/** RunningServer is a started control plane. */
export interface RunningServer {
  port: number;
  core: ApiCore;
  stop(): Promise<void>;
}

/** startServer brings up PKI, storage, the API server and the built-in objects. */
export async function startServer(cfg: ServerConfig, logger: Logger): Promise<RunningServer> {
  const clock = realClock;
  const serviceCidr = parseCidr(cfg.serviceCIDR);
  const kubernetesIP = nthAddress(serviceCidr, 1);
  const ips = [cfg.advertiseAddress, kubernetesIP, ...cfg.tlsSans.filter((s) => /^[\d.]+$|:/.test(s))];
  const dnsNames = cfg.tlsSans.filter((s) => !/^[\d.]+$|:/.test(s));
  const dbFile = cfg.datastoreEndpoint?.startsWith('sqlite://') ? [cfg.datastoreEndpoint.slice('sqlite://'.length)] : [];
  logRepairs(logger, secureDataDir(cfg.dataDir, dbFile), 'at start');
  const pki = await ensureServerPki({ dataDir: cfg.dataDir, sans: { ips, dnsNames }, clock });
  const token = await ensureServerToken(cfg.dataDir, pki.serverCA.certPem, cfg.token || undefined);
  const datastore = openBackend(cfg, logger);
  datastore.start?.();
  const resources = allResources();
  // Metrics in kube-apiserver's names; the storage ones keep etcd's names over SQLite too.
  const metrics = new ApiMetrics({ isServed: (group, version, resource) => core.registry.lookup(group, version, resource) !== undefined });
  const backend = new InstrumentedBackend(datastore, metrics.registry, resources.map((t) => storedResource(t.group, t.plural)));
  const openapi = createOpenApi({
    gitVersion: versionInfo().gitVersion,
    resources: [...resources, componentstatuses].flatMap((t) => {
      const entry = { group: t.group, version: t.version, kind: t.kind, plural: t.plural, namespaced: t.namespaced, subresources: t.subresources, hasStatus: t.hasStatus, verbs: t.verbs ?? VERBS };
      return [entry, ...(t.otherVersions ?? []).filter((c) => c.inOpenApi).map((c) => ({ ...entry, group: c.group, version: c.version }))];
    }),
  });
  const servicesType = resources.find((t) => t.plural === 'services' && t.group === '')!;
  const ingressClassesType = resources.find((t) => t.plural === 'ingressclasses' && t.group === 'networking.k8s.io')!;
  const runtimeClassesType = resources.find((t) => t.plural === 'runtimeclasses' && t.group === 'node.k8s.io')!;
  const storageClassesType = resources.find((t) => t.plural === 'storageclasses' && t.group === 'storage.k8s.io')!;
  const namespacesType = resources.find((t) => t.plural === 'namespaces' && t.group === '')!;
  const podsType = resources.find((t) => t.plural === 'pods' && t.group === '')!;
  const serviceAccountsType = resources.find((t) => t.plural === 'serviceaccounts' && t.group === '')!;
  const serviceAccountKeyPem = await ensureSigningKey(serviceAccountKeyPath(cfg.dataDir));
  // Secrets are encrypted at rest with the configuration kept in the data dir (once made, it stays).
  const encryption = await EncryptionRuntime.open({ path: encryptionConfigPath(cfg.dataDir), enable: cfg.secretsEncryption, provider: cfg.secretsEncryptionProvider, logger: logger.child('secrets-encryption') }).catch((e: Error) => {
    throw e instanceof EncryptionConfigError ? new UsageError(`secrets encryption: ${e.message}`) : e;
  });
  const core: ApiCore = new ApiCore({
    backend,
    // metrics.k8s.io is served from memory (never stored) unless --disable metrics-server.
    resources: [...resources, componentstatuses, ...(cfg.disabled.metricsServer ? [] : resourceMetricsTypes())],
    transformers: (group, plural) => encryption.transformerFor(group, plural),
    clock,
    logger: logger.child('apiserver'),
    schemas: openapi.schemas,
    admission: [
      serviceAllocator({
        serviceCIDR: cfg.serviceCIDR,
        nodePortRange: cfg.nodePortRange,
        services: () => core.cache(servicesType).list(keyPrefix(servicesType)).map((x) => x.obj),
      }),
      serviceAccountAdmission({
        serviceAccount: async (ns, name, fresh) => (fresh ? await core.fresh(serviceAccountsType) : core.cache(serviceAccountsType)).get(objectKey(serviceAccountsType, ns, name))?.obj,
      }),
      runtimeClassAdmission(async (name) => (await core.fresh(runtimeClassesType)).get(objectKey(runtimeClassesType, '', name))?.obj),
      defaultTolerationSeconds({ notReadySeconds: cfg.notReadyTolerationSeconds, unreachableSeconds: cfg.unreachableTolerationSeconds }),
      defaultIngressClass(() => core.cache(ingressClassesType).list(keyPrefix(ingressClassesType)).map((x) => x.obj)),
      defaultStorageClass(() => core.cache(storageClassesType).list(keyPrefix(storageClassesType)).map((x) => x.obj)),
      certificatesAdmission({ clock, authorizer: () => authorizer }),
      podSecurity({
        configuration: podSecurityConfiguration(cfg.podSecurityAdmissionConfigFile),
        namespace: async (name) => (await core.fresh(namespacesType)).get(objectKey(namespacesType, '', name))?.obj,
        pods: (namespace) => core.cache(podsType).list(keyPrefix(podsType, namespace)).map((x) => x.obj),
        clock,
        logger: logger.child('podsecurity'),
      }),
    ],
  });
  await core.start();
  // Authorization follows the watch caches, so it starts once they are filled.
  const authorizer = cfg.authorizationMode === 'AlwaysAllow' ? undefined : new ClusterAuthorizer(core, nodeRules());
  if (authorizer) {
    registerReviews(core, authorizer);
    // Admission is a list the core reads per write: these two need the authorizer, made just now.
    const podsType = resources.find((t) => t.plural === 'pods' && t.group === '')!;
    const podOf = (ns: string, name: string) => core.cache(podsType).get(objectKey(podsType, ns, name))?.obj;
    core.opts.admission?.push(nodeRestriction(podOf), rbacEscalation(authorizer));
  }
  let apiPort = cfg.port;
  const saTokens = serviceAccountTokens({
    core,
    privateKeyPem: serviceAccountKeyPem,
    issuer: `https://kubernetes.default.svc.${cfg.clusterDomain}`,
    jwksUri: () => `https://${cfg.advertiseAddress.includes(':') ? `[${cfg.advertiseAddress}]` : cfg.advertiseAddress}:${apiPort}/openid/v1/jwks`,
    clock,
  });
  const stopEncryption = new AbortController();
  encryption.watch(stopEncryption.signal);
  const encryptionManager = await EncryptionManager.open({ runtime: encryption, core, statePath: encryptionStatePath(cfg.dataDir), provider: cfg.secretsEncryptionProvider, logger: logger.child('secrets-encryption'), clock, signal: stopEncryption.signal });
  // The API server's identity towards kubelets (logs, exec, port-forward); kubelet serving certs
  // are signed by the server CA at join, so they are verified against it.
  const kubeletClient = await issueClientCert(pki.clientCA, { commonName: KUBELET_CLIENT_USER, clock });
  const resourceMetrics: ResourceMetrics | undefined = cfg.disabled.metricsServer
    ? undefined
    : startResourceMetrics({ core, kubelet: { ...kubeletClient, caPem: pki.serverCA.certPem }, logger: logger.child('metrics-server'), resolutionMs: cfg.metricResolutionMs });
  core.readers.set(componentstatuses, componentStatusReader(core, clock));
  let bootstrapped = false;
  const api = new ApiServer({
    core,
    // Ready once the bootstrap policy and namespaces exist (kube-apiserver's post-start hook).
    healthChecks: [
      {
        name: 'poststarthook/rbac/bootstrap-roles',
        check: () => {
          if (!bootstrapped) throw new Error('not finished');
        },
      },
    ],
    tokens: [saTokens.tokenAuthenticator],
    routes: saTokens.oidcRoutes,
    inflight: cfg.inflight,
    metrics,
    ...(authorizer ? { authorizer } : {}),
    subresources: new Map([...nodeProxySubresources(core, { ...kubeletClient, caPem: pki.serverCA.certPem }), ...proxySubresources(core, { kubelet: { ...kubeletClient, caPem: pki.serverCA.certPem } }), ...certificateSubresources(core)]),
    logger: logger.child('https'),
    tls: { certPem: pki.serving.certPem, keyPem: pki.serving.keyPem, clientCaPem: pki.clientCA.certPem },
    bindAddress: cfg.bindAddress,
    port: cfg.port,
    version: versionInfo(),
    openapi,
    caBundlePem: pki.serverCA.certPem,
    // The node token buys node certificates only (k3s's /v1-k3s/*-kubelet.crt); it is no API credential.
    // secrets-encrypt takes the server token or an admin certificate (k3s's /v1-k3s/encrypt/*).
    extraRoutes: firstRoute(
      encryptionRoutes({ manager: encryptionManager, tokenSecret: parseToken(token).password, logger: logger.child('secrets-encrypt') }),
      nodeJoinRoutes({
        transport: new InProcessTransport(core, { name: 'system:skiff-supervisor', groups: ['system:masters'] }),
        tokenSecret: parseToken(token).password,
        serverCA: pki.serverCA,
        clientCA: pki.clientCA,
        logger: logger.child('node-join'),
        clock,
      }),
    ),
  });
  const port = await api.start();
  apiPort = port;
  await bootstrapObjects(core, { kubernetesServiceIP: kubernetesIP, advertiseAddress: cfg.advertiseAddress, port, logger });
  bootstrapped = true;
  const kubeconfig = buildKubeconfig({ server: `https://127.0.0.1:${port}`, caPem: pki.serverCA.certPem, clientCertPem: pki.admin.certPem, clientKeyPem: pki.admin.keyPem });
  await writeKubeconfig(cfg.writeKubeconfig, kubeconfig, cfg.writeKubeconfigMode);
  const stopLoops = new AbortController();
  // The manifests folder (k3s's auto-deploy); the packaged components' files are written first.
  const deployer = new ManifestDeployer({ dir: manifestsDir(cfg.dataDir), transport: new InProcessTransport(core, { name: 'system:skiff-supervisor', groups: ['system:masters'] }), resolve: registryResolver(core.registry), logger: logger.child('deploy') });
  const builtins = builtinManifests({ clusterDNS: cfg.clusterDNS, disableDns: cfg.disabled.dns, disableIngress: cfg.disabled.ingress, disableLocalStorage: cfg.disabled.localStorage, defaultLocalStoragePath: cfg.defaultLocalStoragePath, disableMetricsServer: cfg.disabled.metricsServer });
  // The first pass runs beside the control loops' and agent's start (k3s's deploy controller does
  // too), so start-up takes no longer; it logs when it is done.
  const deployed = installBuiltins(deployer, builtins, logger.child('deploy'))
    .then(() => deployer.start(stopLoops.signal))
    .catch((e: Error) => logger.error('the manifests folder cannot be deployed', { error: e.message }));
  startControlLoops(core, cfg, logger, stopLoops.signal, pki.serverCA.certPem, authorizer, {
    csrSigning: { clientCA: pki.clientCA, serverCA: pki.serverCA },
    signLegacyToken: saTokens.legacyToken,
    localStorage: { defaultPath: cfg.defaultLocalStoragePath, fallbackPath: join(cfg.dataDir, 'storage') },
    // The CSR approver's SubjectAccessReview, answered by the same chain.
    ...(authorizer ? { authorize: (user, a) => authorizer.authorize({ user, verb: a.verb, isResourceRequest: true, path: '', apiGroup: a.group, resource: a.resource, subresource: a.subresource ?? '', namespace: a.namespace ?? '', name: a.name ?? '' }).decision === 'allow' } : {}),
  });
  let agent: RunningNode | undefined;
  if (!cfg.disableAgent) {
    const nodeIP = cfg.agent.nodeIP || cfg.advertiseAddress;
    const serving = await issueKubeletServingCert(pki.serverCA, cfg.agent.nodeName, [nodeIP], clock);
    agent = await startEmbeddedAgent(core, cfg, logger, stopLoops.signal, { ...serving, clientCaPem: pki.clientCA.certPem }, authorizer);
  }
  // What start-up created (the database, the agent's files) is closed too.
  secureDataDir(cfg.dataDir, dbFile);
  logger.info(`skiff server is up`, { listen: `https://${cfg.bindAddress}:${port}`, kubeconfig: cfg.writeKubeconfig, nodeToken: join(cfg.dataDir, 'server', 'node-token'), tokenLength: token.length });
  return {
    port,
    core,
    async stop() {
      stopLoops.abort();
      await deployed;
      await agent?.stop();
      await resourceMetrics?.stop();
      await api.stop();
      authorizer?.stop();
      stopEncryption.abort();
      core.stop();
      await backend.close();
    },
  };
}

/** runServer is `skiff server`: start everything and stop cleanly on SIGTERM/SIGINT. */
export async function runServer(values: FlagValues): Promise<void> {
  const cfg = serverConfig(values);
  const logger = createLogger({ level: cfg.debug ? 'debug' : 'info' });
  logger.info('starting skiff server', { dataDir: cfg.dataDir, hostname: hostname() });
  const server = await startServer(cfg, logger);
  await new Promise<void>((resolve) => {
    const onSignal = (sig: string): void => {
      logger.info(`received ${sig}, shutting down`);
      resolve();
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  });
  await server.stop();
}
