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
