import type { Client } from '../client/client.js';
import { R } from '../client/client.js';
import type { KubeObject } from '../api/types.js';

/** DNS_SERVICE names the Service every node's DNS answers behind. */
export const DNS_SERVICE = { namespace: 'kube-system', name: 'kube-dns' };

/** nodeDNSSlice is the EndpointSlice through which one node's DNS server joins the `kube-dns` Service. */
export function nodeDNSSlice(nodeName: string, nodeIP: string, nodeUID?: string): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `kube-dns-${nodeName}`.slice(0, 253),
      namespace: DNS_SERVICE.namespace,
      labels: { 'kubernetes.io/service-name': DNS_SERVICE.name, 'endpointslice.kubernetes.io/managed-by': 'skiff-agent' },
      // Owned by the Node, so deleting the node takes its DNS endpoint with it.
      ...(nodeUID ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUID }] } : {}),
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: [nodeIP], nodeName, conditions: { ready: true, serving: true, terminating: false } }],
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
    ],
  };
}

/**
 * publishNodeDNSEndpoint creates or refreshes this node's `kube-dns` EndpointSlice. The Service has
 * `internalTrafficPolicy: Local`, so each node's pods are answered by their own node.
 */
export async function publishNodeDNSEndpoint(client: Client, nodeName: string, nodeIP: string): Promise<void> {
  const slices = client.resource(R.endpointslices);
  let uid: string | undefined;
  try {
    uid = (await client.resource(R.nodes).get('', nodeName)).metadata.uid;
  } catch {
    uid = undefined;
  }
  const want = nodeDNSSlice(nodeName, nodeIP, uid);
  try {
    const cur = await slices.get(DNS_SERVICE.namespace, want.metadata.name ?? '');
    await slices.update({ ...want, metadata: { ...want.metadata, resourceVersion: cur.metadata.resourceVersion ?? '' } });
  } catch (e) {
    if ((e as { code?: number }).code !== 404) throw e;
    await slices.create(DNS_SERVICE.namespace, want);
  }
}
