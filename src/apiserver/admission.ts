import type { ResourceType } from '../api/resource.js';
import type { KubeObject } from '../api/types.js';
import type { UserInfo } from './auth.js';

/** AdmissionRequest is what admission plugins see of a write. */
export interface AdmissionRequest {
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  type: ResourceType;
  subresource: string;
  namespace: string;
  name: string;
  /** obj is the new object (stored version, defaulted); plugins may mutate it in admit(). */
  obj: KubeObject;
  old: KubeObject | undefined;
  user: UserInfo;
  dryRun: boolean;
  /** warnings, when set, collects messages for the response's `Warning` header (the request's Scope.warnings). */
  warnings?: string[];
  /** auditAnnotations, when set, collects key/value facts an audit log records with the request. */
  auditAnnotations?: Record<string, string>;
}

/**
 * AdmissionPlugin mutates (admit) and then checks (validate) writes, like kube-apiserver's admission
 * chain. Both throw a StatusError to refuse. release undoes side effects (e.g. allocated IPs) when the
 * write did not happen.
 */
export interface AdmissionPlugin {
  name: string;
  admit?(req: AdmissionRequest): Promise<void> | void;
  validate?(req: AdmissionRequest): Promise<void> | void;
  /** committed is called after the write succeeded (or after a dry run, with dryRun set). */
  committed?(req: AdmissionRequest, ok: boolean): void;
}
