import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import type { Client } from '../client/client.js';
import type { SharedInformers } from '../client/shared_informers.js';
import type { EventRecorder } from '../client/events.js';
import type { CertificateAuthority } from '../pki/index.js';

/** ControllerConfig carries the server flags controllers act on. */
export interface ControllerConfig {
  clusterCIDR: string;
  /** nodeCIDRMaskSize: the prefix length of each node's pod CIDR (24). */
  nodeCIDRMaskSize: number;
  serviceCIDR: string;
  /** nodeMonitorGracePeriodMs: lease silence after which a node is Unknown (40 s upstream). */
  nodeMonitorGracePeriodMs: number;
  /** podEvictionTimeoutMs is unused upstream since taint-based eviction; kept for completeness. */
  clusterDomain: string;
  /** rootCAPem is the CA bundle that verifies the API server, published to every namespace as `kube-root-ca.crt`. */
  rootCAPem?: string;
  /**
   * signLegacyToken signs the non-expiring token of a `kubernetes.io/service-account-token` Secret
   * (the API server's service-account key); without it such Secrets are left unfilled.
   */
  signLegacyToken?: (spec: LegacyTokenClaims) => Promise<string>;
  /**
   * csrSigning holds the CAs the CSR signers issue from, as kube-controller-manager's
   * --cluster-signing-*-file flags do in k3s: the client CA for kube-apiserver-client and
   * kube-apiserver-client-kubelet, the server CA for kubelet-serving. Without it nothing is signed.
   */
  csrSigning?: CsrSigningConfig;
  /**
   * authorize answers what a SubjectAccessReview would (may this user do this?); the CSR approver
   * asks it. Without it the approver approves only a node renewing its own client certificate.
   */
  authorize?: ControllerAuthorize;
  /**
   * horizontalPodAutoscaler overrides the HPA controller's --horizontal-pod-autoscaler-* flags
   * (sync period 15 s, downscale stabilization 5 min, tolerance 0.1, cpu initialization 5 min,
   * initial readiness delay 30 s).
   */
  horizontalPodAutoscaler?: Partial<{ syncPeriodMs: number; downscaleStabilizationMs: number; tolerance: number; cpuInitializationPeriodMs: number; initialReadinessDelayMs: number }>;
  /** restMapper lists the served resources of a group and kind, preferred version first (the API server's discovery). */
  restMapper?: (group: string, kind: string) => { group: string; version: string; resource: string }[];
  /**
   * localStorage is where the local-path provisioner puts volumes: defaultPath
   * (`--default-local-storage-path`, '' for none) wins, then the node's own
   * `skiff.io/local-storage-path`, then fallbackPath (`<server data-dir>/storage`).
   */
  localStorage?: { defaultPath: string; fallbackPath: string };
}

/** CsrSigningConfig is what the CSR signing controller issues from. */
export interface CsrSigningConfig {
  clientCA: CertificateAuthority;
  serverCA: CertificateAuthority;
  /** maxDurationMs caps every certificate's lifetime (--cluster-signing-duration; default 365 days). */
  maxDurationMs?: number;
}

/** AuthorizeRequest is the part of a SubjectAccessReview a controller fills in. */
export interface AuthorizeRequest {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** ControllerAuthorize reports whether user (name, groups) may do what attrs describe. */
export type ControllerAuthorize = (user: { name: string; groups: string[] }, attrs: AuthorizeRequest) => boolean | Promise<boolean>;

/** LegacyTokenClaims name the Secret and ServiceAccount a legacy token is for. */
export interface LegacyTokenClaims {
  namespace: string;
  serviceAccountName: string;
  serviceAccountUID: string;
  secretName: string;
}

/** ControllerContext is everything a controller receives: no globals, no other controllers. */
export interface ControllerContext {
  client: Client;
  informers: SharedInformers;
  recorder: (component: string) => EventRecorder;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  config: ControllerConfig;
}

/** ControllerStarter registers informer handlers synchronously and returns the controller's run promise. */
export type ControllerStarter = (ctx: ControllerContext) => Promise<void>;
