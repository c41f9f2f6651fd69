import type { Clock } from '../lib/clock.js';
import type { CertificateAuthority } from './ca.js';
import { issueClientCert, issueServingCert, type IssuedCert } from './issue.js';
import { kubeletServingSans, nodeUserName, NODES_GROUP } from './node_identity.js';

/**
 * issueNodeClientCert signs the kubelet's client certificate with the client CA: CN
 * `system:node:<nodeName>`, O `system:nodes`, with a new key (generated here, as k3s's server does),
 * valid `days` (default LEAF_VALIDITY_DAYS).
 */
export function issueNodeClientCert(clientCA: CertificateAuthority, nodeName: string, clock?: Clock, days?: number): Promise<IssuedCert> {
  return issueClientCert(clientCA, { commonName: nodeUserName(nodeName), organizations: [NODES_GROUP], ...(clock ? { clock } : {}), ...(days ? { days } : {}) });
}

/**
 * issueKubeletServingCert signs the kubelet's serving certificate with the server CA: CN
 * `<nodeName>`, SANs from kubeletServingSans. Throws for an invalid IP.
 */
export function issueKubeletServingCert(serverCA: CertificateAuthority, nodeName: string, nodeIPs: string[], clock?: Clock, days?: number): Promise<IssuedCert> {
  return issueServingCert(serverCA, { commonName: nodeName, ...kubeletServingSans(nodeName, nodeIPs), ...(clock ? { clock } : {}), ...(days ? { days } : {}) });
}
