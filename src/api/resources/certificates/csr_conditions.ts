// CertificateSigningRequest status helpers shared by the API strategy, the approval subresource,
// the signing and approving controllers and the printer.
import { isObject, type KubeObject } from '../../types.js';

/** Well-known signer names (k8s.io/api/certificates/v1). */
export const KUBE_APISERVER_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
export const KUBE_APISERVER_CLIENT_KUBELET_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';
export const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';
/** LEGACY_UNKNOWN_SIGNER is refused by certificates.k8s.io/v1. */
export const LEGACY_UNKNOWN_SIGNER = 'kubernetes.io/legacy-unknown';

/** CsrCondition is one status.conditions entry. */
export interface CsrCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

/** APPROVAL_TYPES are the condition types only the approval subresource may set. */
export const APPROVAL_TYPES = ['Approved', 'Denied'];

/** conditionsOf returns status.conditions (objects only). */
export function conditionsOf(obj: KubeObject): CsrCondition[] {
  const status = isObject(obj.status) ? obj.status : {};
  const list = Array.isArray(status.conditions) ? status.conditions : [];
  return list.filter((c): c is CsrCondition => isObject(c)) as CsrCondition[];
}

/** setConditions replaces status.conditions. */
export function setConditions(obj: KubeObject, conditions: CsrCondition[]): void {
  obj.status = { ...(isObject(obj.status) ? obj.status : {}), conditions };
}

/** hasTrueCondition reports whether a condition of this type with status True is present. */
export function hasTrueCondition(obj: KubeObject, type: string): boolean {
  return conditionsOf(obj).some((c) => c.type === type && c.status === 'True');
}

/** approvalState is GetCertApprovalCondition: whether an Approved or Denied condition is present (any status). */
export function approvalState(obj: KubeObject): { approved: boolean; denied: boolean } {
  const cs = conditionsOf(obj);
  return { approved: cs.some((c) => c.type === 'Approved'), denied: cs.some((c) => c.type === 'Denied') };
}

/** isApproved is IsCertificateRequestApproved: Approved and not Denied. */
export function isApproved(obj: KubeObject): boolean {
  const s = approvalState(obj);
  return s.approved && !s.denied;
}

/** certificateOf returns status.certificate (base64 of PEM) or "". */
export function certificateOf(obj: KubeObject): string {
  const c = isObject(obj.status) ? obj.status.certificate : undefined;
  return typeof c === 'string' ? c : '';
}

/**
 * populateConditionTimestamps sets lastUpdateTime where missing to now, and lastTransitionTime
 * where missing to the old condition's of the same type and status, else now, as the API server does.
 */
export function populateConditionTimestamps(obj: KubeObject, old: KubeObject | undefined, now: string): void {
  const before = old ? conditionsOf(old) : [];
  for (const c of conditionsOf(obj)) {
    if (!c.lastUpdateTime) c.lastUpdateTime = now;
    if (!c.lastTransitionTime) {
      const same = before.find((o) => o.type === c.type && o.status === c.status && o.lastTransitionTime);
      c.lastTransitionTime = same?.lastTransitionTime ?? now;
    }
  }
}

/** keepApprovalConditions is the status strategy: Approved/Denied conditions stay as stored; the others come from obj. */
export function keepApprovalConditions(obj: KubeObject, old: KubeObject): void {
  const approval = conditionsOf(old).filter((c) => APPROVAL_TYPES.includes(c.type));
  const others = conditionsOf(obj).filter((c) => !APPROVAL_TYPES.includes(c.type));
  setConditions(obj, [...approval, ...others]);
}

/** printedCondition is what the CONDITION column shows: Denied|Approved|Pending, then ",Failed" and ",Issued". */
export function printedCondition(obj: KubeObject): string {
  const types = new Set(conditionsOf(obj).map((c) => c.type));
  let s = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) s += ',Failed';
  if (certificateOf(obj)) s += ',Issued';
  return s;
}
