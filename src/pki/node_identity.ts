// Node identity in certificates: names only, no crypto library (the agent imports this).

/** NODE_USER_PREFIX starts the user name of a node's client certificate: `system:node:<node name>`. */
export const NODE_USER_PREFIX = 'system:node:';

/** NODES_GROUP is the group (certificate O) every node's client certificate carries. */
export const NODES_GROUP = 'system:nodes';

/** nodeUserName returns the Kubernetes user of a node: `system:node:<nodeName>`. */
export function nodeUserName(nodeName: string): string {
  return `${NODE_USER_PREFIX}${nodeName}`;
}

/** kubeletServingSans returns the names a kubelet serving cert carries: node name, localhost, 127.0.0.1 and the node IPs. */
export function kubeletServingSans(nodeName: string, nodeIPs: string[]): { dnsNames: string[]; ips: string[] } {
  const dnsNames = [...new Set([nodeName, 'localhost'])];
  const ips = [...new Set(['127.0.0.1', ...nodeIPs.filter((ip) => ip !== '')])];
  return { dnsNames, ips };
}

/**
 * splitCertAndKey separates a PEM bundle holding certificates and one private key (the body the
 * node cert endpoints return, cert first as k3s sends it) into certPem (every CERTIFICATE block, in
 * order) and keyPem. Throws when either part is missing.
 */
export function splitCertAndKey(bundle: string): { certPem: string; keyPem: string } {
  const blocks = bundle.match(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g) ?? [];
  const certs = blocks.filter((b) => b.startsWith('-----BEGIN CERTIFICATE-----'));
  const keys = blocks.filter((b) => /^-----BEGIN (EC |RSA )?PRIVATE KEY-----/.test(b));
  if (certs.length === 0) throw new Error('no certificate in the PEM bundle');
  if (keys.length !== 1) throw new Error(`want one private key in the PEM bundle, found ${keys.length}`);
  return { certPem: certs.map((c) => c + '\n').join(''), keyPem: keys[0]! + '\n' };
}
