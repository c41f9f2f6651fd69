import type { DisabledComponents } from './agent_flags.js';
import type { ControllerManagerSettings } from './controller_manager_args.js';

/** ServerConfig is the validated form of `skiff server`'s flags. */
export interface ServerConfig {
  dataDir: string;
  bindAddress: string;
  port: number;
  advertiseAddress: string;
  tlsSans: string[];
  writeKubeconfig: string;
  writeKubeconfigMode: string;
  token: string;
  clusterCIDR: string;
  serviceCIDR: string;
  nodePortRange: { min: number; max: number };
  clusterDNS: string;
  clusterDomain: string;
  datastoreEndpoint: string;
  disableAgent: boolean;
  /** disabled lists the packaged components turned off (`--disable`, `--disable-kube-proxy`). */
  disabled: DisabledComponents;
  debug: boolean;
  nodeMonitorGracePeriodMs: number;
  /** authorizationMode: --authorization-mode, 'Node,RBAC' or 'AlwaysAllow'. */
  authorizationMode: 'Node,RBAC' | 'AlwaysAllow';
  /** inflight: --max-requests-inflight and --max-mutating-requests-inflight. */
  inflight: { readOnly: number; mutating: number };
  notReadyTolerationSeconds: number;
  unreachableTolerationSeconds: number;
  disableScheduler: boolean;
  disableControllerManager: boolean;
  /** controllerManager: the --kube-controller-manager-arg flags skiff acts on. */
  controllerManager: ControllerManagerSettings;
  /** podSecurityAdmissionConfigFile: `--pod-security-admission-config-file` ('' for the defaults). */
  podSecurityAdmissionConfigFile: string;
  /** secretsEncryption: --secrets-encryption (an existing encryption configuration is used either way). */
  secretsEncryption: boolean;
  /** secretsEncryptionProvider: --secrets-encryption-provider, the type of new keys. */
  secretsEncryptionProvider: 'aescbc' | 'aesgcm';
  /** defaultLocalStoragePath: --default-local-storage-path ('' for each node's <data-dir>/storage). */
  defaultLocalStoragePath: string;
  /** metricResolutionMs: --metric-resolution, the period of the resource metrics scrape. */
  metricResolutionMs: number;
  /** agent holds the embedded agent's flags. */
  agent: EmbeddedAgentConfig;
}

/** EmbeddedAgentConfig is the server's own node agent. */
export interface EmbeddedAgentConfig {
  nodeName: string;
  nodeIP: string;
  /** nodeExternalIP: --node-external-ip ('' for none). */
  nodeExternalIP: string;
  labels: string[];
  taints: string[];
  runtime: string;
  capacity: string;
  leaseDurationSeconds: number;
  statusUpdateFrequencyMs: number;
  resolvConf: string;
  privateRegistry: string;
}
