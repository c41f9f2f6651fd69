/** The certificates.k8s.io/v1 resources and the CSR helpers signers and approvers share. */
import type { ResourceType } from '../../resource.js';
import { certificatesigningrequests } from './certificatesigningrequests.js';

export { certificatesigningrequests } from './certificatesigningrequests.js';
export {
  APPROVAL_TYPES,
  KUBELET_SERVING_SIGNER,
  KUBE_APISERVER_CLIENT_KUBELET_SIGNER,
  KUBE_APISERVER_CLIENT_SIGNER,
  LEGACY_UNKNOWN_SIGNER,
  approvalState,
  certificateOf,
  conditionsOf,
  hasTrueCondition,
  isApproved,
  keepApprovalConditions,
  populateConditionTimestamps,
  printedCondition,
  setConditions,
  type CsrCondition,
} from './csr_conditions.js';
export { decodeRequestField, parseCertificateRequest, type CertificateRequestInfo } from './csr_request.js';
export { apiServerClientProblem, checkSigner, kubeletClientProblem, kubeletServingProblem, type SignerVerdict } from './csr_signers.js';
export { KEY_USAGES, approvalUpdate, certificateProblem, validateCsr, validateCsrUpdate, validateSignerName, type CsrUpdateRules } from './csr_validation.js';

/** certificatesResources lists every certificates.k8s.io/v1 ResourceType. */
export const certificatesResources: ResourceType[] = [certificatesigningrequests];
