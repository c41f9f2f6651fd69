// What each in-tree signer agrees to sign (pkg/controller/certificates/signer and
// pkg/apis/certificates/helpers.go, v1.32): pure checks over the parsed request and its usages.
import { KUBELET_SERVING_SIGNER, KUBE_APISERVER_CLIENT_KUBELET_SIGNER, KUBE_APISERVER_CLIENT_SIGNER } from './csr_conditions.js';
import type { CertificateRequestInfo } from './csr_request.js';

/** SignerVerdict: unrecognized signers are left alone; a recognized request is signed unless error is set. */
export interface SignerVerdict {
  recognized: boolean;
  /** error is the Failed condition's message (reason SignerValidationFailure). */
  error?: string;
}

const sameSet = (a: string[], b: string[]): boolean => new Set(a).size === b.length && b.every((x) => a.includes(x));

// Go prints a sorted string slice as `[a b c]`.
const goList = (xs: string[]): string => `[${[...xs].sort().join(' ')}]`;

const KUBELET_CLIENT_USAGES = ['digital signature', 'key encipherment', 'client auth'];
const KUBELET_CLIENT_USAGES_NO_RSA = ['digital signature', 'client auth'];
const KUBELET_SERVING_USAGES = ['digital signature', 'key encipherment', 'server auth'];
const KUBELET_SERVING_USAGES_NO_RSA = ['digital signature', 'server auth'];

const onlySystemNodes = (r: CertificateRequestInfo): boolean => r.organizations.length === 1 && r.organizations[0] === 'system:nodes';

/** kubeletClientProblem is ValidateKubeletClientCSR: O=system:nodes only, CN system:node:*, no SANs, client usages. */
export function kubeletClientProblem(r: CertificateRequestInfo, usages: string[]): string | undefined {
  if (!onlySystemNodes(r)) return 'subject organization is not system:nodes';
  if (r.dnsNames.length) return 'DNS subjectAltNames are not allowed';
  if (r.emailAddresses.length) return 'Email subjectAltNames are not allowed';
  if (r.ipAddresses.length) return 'IP subjectAltNames are not allowed';
  if (r.uris.length) return 'URI subjectAltNames are not allowed';
  if (!r.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
  if (!sameSet(usages, KUBELET_CLIENT_USAGES) && !sameSet(usages, KUBELET_CLIENT_USAGES_NO_RSA)) return `usages did not match ${goList(KUBELET_CLIENT_USAGES)}`;
  return undefined;
}

/** kubeletServingProblem is ValidateKubeletServingCSR: O=system:nodes only, a DNS or IP SAN, no email/URI, serving usages, CN system:node:*. */
export function kubeletServingProblem(r: CertificateRequestInfo, usages: string[]): string | undefined {
  if (!onlySystemNodes(r)) return 'subject organization is not system:nodes';
  if (!r.dnsNames.length && !r.ipAddresses.length) return 'DNS or IP subjectAltName is required';
  if (r.emailAddresses.length) return 'Email subjectAltNames are not allowed';
  if (r.uris.length) return 'URI subjectAltNames are not allowed';
  if (!sameSet(usages, KUBELET_SERVING_USAGES) && !sameSet(usages, KUBELET_SERVING_USAGES_NO_RSA)) return `usages did not match ${goList(KUBELET_SERVING_USAGES)}`;
  if (!r.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
  return undefined;
}

/** apiServerClientProblem is validAPIServerClientUsages: client auth required, digital signature and key encipherment optional, nothing else. */
export function apiServerClientProblem(usages: string[]): string | undefined {
  for (const u of usages) {
    if (u !== 'digital signature' && u !== 'key encipherment' && u !== 'client auth') return `invalid usage for client certificate: ${u}`;
  }
  if (!usages.includes('client auth')) return 'missing required usage for client certificate: client auth';
  return undefined;
}

/** checkSigner returns what the signer named signerName makes of a request. */
export function checkSigner(signerName: string, r: CertificateRequestInfo, usages: string[]): SignerVerdict {
  let error: string | undefined;
  switch (signerName) {
    case KUBE_APISERVER_CLIENT_SIGNER:
      error = apiServerClientProblem(usages);
      break;
    case KUBE_APISERVER_CLIENT_KUBELET_SIGNER:
      error = kubeletClientProblem(r, usages);
      break;
    case KUBELET_SERVING_SIGNER:
      error = kubeletServingProblem(r, usages);
      break;
    default:
      return { recognized: false };
  }
  return error === undefined ? { recognized: true } : { recognized: true, error };
}
