import type { Clock } from '../../lib/clock.js';
import { realClock } from '../../lib/clock.js';
import type { IssuedCert } from '../../pki/agent.js';

/**
 * selfSignedKubeletCert makes a serving certificate for a kubelet that has no CA-issued one, as
 * the kubelet does when started without --tls-cert-file: a throwaway CA named after the node signs
 * a cert for the node's name and IP. Callers that verify the kubelet need that CA (`caPem`).
 */
export async function selfSignedKubeletCert(nodeName: string, nodeIP: string, clock: Clock = realClock): Promise<IssuedCert & { caPem: string }> {
  // Loaded on first use: issuing needs @peculiar/x509 (~20 MB), which a joined agent never does.
  const { createCA, issueServingCert } = await import('../../pki/index.js');
  const ca = await createCA(`kubelet-${nodeName}`, clock);
  const ips = nodeIP ? [nodeIP] : [];
  const cert = await issueServingCert(ca, { commonName: nodeName, dnsNames: [nodeName], ips, clock });
  return { ...cert, caPem: ca.certPem };
}
